import type { FloatArray, Tensor } from '../backend';
import { tensorSize } from '../validate';

export type Precision = 'f32' | 'f64';

/**
 * A CPU tensor handle. `data` is the live storage; it becomes null on dispose so a stale handle
 * fails loudly instead of silently aliasing storage that the pool has handed to someone else.
 */
export class CpuTensor implements Tensor {
  constructor(
    readonly shape: readonly number[],
    readonly size: number,
    readonly id: number,
    public data: FloatArray | null,
    readonly owner: StoragePool,
  ) {}
}

export interface PoolStats {
  /** Tensors handed out and not yet disposed. */
  live: number;
  /** Free arrays waiting in the pool for reuse. */
  pooled: number;
  /** Typed arrays ever created by this pool: flat after warm-up means no allocation per step. */
  allocations: number;
}

/**
 * Storage recycled by exact element count: layers allocate the same shapes every step, so an
 * exact-size free list hits after the first step and the hot loop creates no typed arrays.
 */
export class StoragePool {
  private readonly free = new Map<number, FloatArray[]>();
  private nextId = 1;
  private live = 0;
  private pooledCount = 0;
  private allocationCount = 0;

  constructor(readonly precision: Precision) {}

  /** A fresh array of `size` elements (not pooled; used for scratch and read copies). */
  newArray(size: number): FloatArray {
    return this.precision === 'f64' ? new Float64Array(size) : new Float32Array(size);
  }

  acquire(shape: readonly number[], data?: ArrayLike<number>): CpuTensor {
    const size = tensorSize(shape, data);
    const storage = this.take(size);
    if (data === undefined) storage.fill(0);
    else storage.set(data);
    this.live++;
    return new CpuTensor(Object.freeze([...shape]), size, this.nextId++, storage, this);
  }

  release(t: Tensor): void {
    const storage = this.storageOf(t, 'dispose');
    (t as CpuTensor).data = null;
    let list = this.free.get(storage.length);
    if (!list) {
      list = [];
      this.free.set(storage.length, list);
    }
    list.push(storage);
    this.pooledCount++;
    this.live--;
  }

  /** The live storage of `t`; throws on disposed or foreign tensors. */
  storageOf(t: Tensor, op: string): FloatArray {
    if (!(t instanceof CpuTensor) || t.owner !== this) {
      throw new Error(`${op}: tensor ${describe(t)} does not belong to this CPU backend`);
    }
    if (t.data === null) throw new Error(`${op}: tensor #${t.id} [${t.shape.join(',')}] was used after dispose`);
    return t.data;
  }

  stats(): PoolStats {
    return { live: this.live, pooled: this.pooledCount, allocations: this.allocationCount };
  }

  liveCount(): number {
    return this.live;
  }

  private take(size: number): FloatArray {
    const list = this.free.get(size);
    if (list && list.length > 0) {
      this.pooledCount--;
      return list.pop()!;
    }
    this.allocationCount++;
    return this.newArray(size);
  }
}

function describe(t: Tensor): string {
  if (t === null || typeof t !== 'object') return String(t);
  return `#${t.id} [${(t.shape ?? []).join(',')}]`;
}

/**
 * Scratch memory that only grows: packing buffers for matmul, reused across calls so a warm
 * training loop never allocates. Always float64 so the inner kernel sees one array type.
 */
export class Scratch {
  private buf = new Float64Array(0);
  growths = 0;

  get(size: number): Float64Array {
    if (this.buf.length < size) {
      this.buf = new Float64Array(Math.max(size, this.buf.length * 2));
      this.growths++;
    }
    return this.buf;
  }
}
