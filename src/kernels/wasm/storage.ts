import type { Tensor } from '../backend';
import type { PoolStats } from '../cpu/storage';
import { tensorSize } from '../validate';
import type { WasmHeap } from './heap';

/**
 * A wasm backend tensor: `offset` is the byte offset of its float32 storage in the kernels'
 * linear memory, −1 once disposed so a stale handle fails loudly instead of aliasing storage the
 * heap has handed to someone else.
 */
export class WasmTensor implements Tensor {
  /** Cached view of the storage; rebuilt when a memory grow has detached it. */
  view: Float32Array | null = null;

  constructor(
    readonly shape: readonly number[],
    readonly size: number,
    readonly id: number,
    public offset: number,
    readonly owner: WasmStoragePool,
  ) {}
}

/** Tensor storage in wasm memory: the heap recycles blocks by exact size (see heap.ts). */
export class WasmStoragePool {
  private nextId = 1;
  private live = 0;

  constructor(private readonly heap: WasmHeap) {}

  acquire(shape: readonly number[], data?: ArrayLike<number>): WasmTensor {
    const size = tensorSize(shape, data);
    const t = new WasmTensor(Object.freeze([...shape]), size, this.nextId++, this.heap.alloc(4 * size), this);
    const view = this.viewOf(t, 'tensor');
    if (data === undefined) view.fill(0);
    else view.set(data);
    this.live++;
    return t;
  }

  release(t: Tensor): void {
    const offset = this.offsetOf(t, 'dispose');
    this.heap.release(offset, 4 * t.size);
    (t as WasmTensor).offset = -1;
    (t as WasmTensor).view = null;
    this.live--;
  }

  /** Byte offset of the live storage of `t`; throws on disposed or foreign tensors. */
  offsetOf(t: Tensor, op: string): number {
    if (!(t instanceof WasmTensor) || t.owner !== this) {
      throw new Error(`${op}: tensor ${describe(t)} does not belong to this wasm backend`);
    }
    if (t.offset < 0) throw new Error(`${op}: tensor #${t.id} [${t.shape.join(',')}] was used after dispose`);
    return t.offset;
  }

  /** A view of the live storage, valid until the next allocation may grow memory. */
  viewOf(t: Tensor, op: string): Float32Array {
    const offset = this.offsetOf(t, op);
    const wt = t as WasmTensor;
    const memory = this.heap.memory.buffer;
    if (wt.view === null || wt.view.buffer !== memory) wt.view = new Float32Array(memory, offset, wt.size);
    return wt.view;
  }

  stats(): PoolStats {
    return { live: this.live, pooled: this.heap.pooledCount, allocations: this.heap.carved };
  }

  liveCount(): number {
    return this.live;
  }
}

function describe(t: Tensor): string {
  if (t === null || typeof t !== 'object') return String(t);
  return `#${t.id} [${(t.shape ?? []).join(',')}]`;
}
