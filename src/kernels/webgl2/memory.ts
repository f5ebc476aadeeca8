import type { Tensor } from '../backend';
import { tensorSize } from '../validate';
import type { GlEngine } from './engine';
import { ReadBack } from './readback';
import { GlTensor, layoutOf } from './tensor';

/** Small tensors (labels, lengths) keep a host copy of what was last uploaded; see GlTensor.host. */
const HOST_COPY_LIMIT = 1 << 16;

const ZERO = new Float32Array(4);

/**
 * Tensor lifetime, uploads and read-back. Each live tensor holds one pooled texture (none for
 * size 0); dispose returns it to the pool, so a training loop that allocates and frees the
 * same shapes creates no GPU objects after its first step.
 */
export class GlMemory {
  private nextId = 1;
  private live = 0;
  private staging = new Float32Array(0);
  private readonly readBack: ReadBack;
  private readonly fillColor = new Float32Array(4);

  constructor(private readonly engine: GlEngine) {
    this.readBack = new ReadBack(engine.gl, engine.caps.readRed);
  }

  tensor(shape: readonly number[], data?: ArrayLike<number>): GlTensor {
    const size = tensorSize(shape, data);
    const { width, height } = layoutOf(size);
    const max = this.engine.caps.maxTextureSize;
    if (height > max) throw new Error(`tensor [${shape.join(',')}] (${size} values) is too large for this GPU's textures`);
    const texture = size === 0 ? null : this.engine.pool.acquire(width, height, 1, data === undefined);
    const t = new GlTensor(Object.freeze([...shape]), size, this.nextId++, this, texture);
    this.live++;
    if (data !== undefined) this.upload(t, data);
    return t;
  }

  dispose(t: Tensor): void {
    const g = this.handleDeferred(t, 'dispose');
    g.zeroPending = false;
    if (g.texture) this.engine.pool.release(g.texture);
    g.texture = null;
    g.disposed = true;
    g.host = null;
    this.live--;
  }

  /** `data` must hold t.size values (CheckedBackend.write checks). */
  write(t: Tensor, data: ArrayLike<number>): void {
    this.upload(this.handleDeferred(t, 'write'), data);
  }

  async read(t: Tensor): Promise<Float32Array> {
    const g = this.handle(t, 'read');
    if (!g.texture) return new Float32Array(0);
    return this.readBack.read(g.texture, g.size);
  }

  fill(t: GlTensor, value: number): void {
    if (!t.texture) return;
    if (value === 0 && 1 / value > 0) {
      // zeroGrad fills every gradient and the next op accumulates into it: defer the clear.
      t.zeroPending = true;
      t.hostValid = false;
      return;
    }
    t.zeroPending = false;
    this.fillColor[0] = value;
    this.engine.pool.clear(t.texture, this.fillColor);
    t.hostValid = false;
  }

  zero(t: GlTensor): void {
    t.zeroPending = false;
    if (!t.texture) return;
    this.engine.pool.clear(t.texture, ZERO);
    t.hostValid = false;
  }

  liveCount(): number {
    return this.live;
  }

  destroy(): void {
    this.readBack.dispose();
  }

  /** The live handle behind `t`, its deferred zero fill done; throws on disposed or foreign tensors. */
  handle(t: Tensor, op: string): GlTensor {
    const g = this.handleDeferred(t, op);
    if (g.zeroPending) this.zero(g);
    return g;
  }

  /**
   * Whether an op writing every element of `t` must still add onto its contents: false when a
   * zero fill is pending (the op then overwrites, and the clear is dropped). Call only once
   * the op can no longer fail.
   */
  accumulates(t: GlTensor, accumulate: boolean): boolean {
    if (!t.zeroPending) return accumulate;
    t.zeroPending = false;
    return false;
  }

  /** As `handle`, leaving a pending zero fill for `accumulates` to resolve. */
  handleDeferred(t: Tensor, op: string): GlTensor {
    if (!(t instanceof GlTensor) || t.owner !== this) {
      const what = t !== null && typeof t === 'object' ? `#${t.id} [${(t.shape ?? []).join(',')}]` : String(t);
      throw new Error(`${op}: tensor ${what} does not belong to this WebGL2 backend`);
    }
    if (t.disposed) throw new Error(`${op}: tensor #${t.id} [${t.shape.join(',')}] was used after dispose`);
    return t;
  }

  private upload(t: GlTensor, data: ArrayLike<number>): void {
    t.hostValid = false;
    t.zeroPending = false; // every element is overwritten
    if (!t.texture) return;
    const src = this.float32(data);
    const gl = this.engine.gl;
    const { width, height } = t.texture;
    const fullRows = Math.floor(t.size / width);
    const rest = t.size - fullRows * width;
    this.engine.pool.bindForUpdate(t.texture.texture);
    if (fullRows > 0) gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, width, fullRows, gl.RED, gl.FLOAT, src, 0);
    if (rest > 0 && fullRows < height) {
      gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, fullRows, rest, 1, gl.RED, gl.FLOAT, src, fullRows * width);
    }
    if (t.size <= HOST_COPY_LIMIT) {
      if (!t.host) t.host = new Float32Array(t.size);
      t.host.set(src.subarray(0, t.size));
      t.hostValid = true;
    }
  }

  /** `data` as a Float32Array, through a reused staging buffer unless it already is one. */
  private float32(data: ArrayLike<number>): Float32Array {
    if (data instanceof Float32Array) return data;
    if (this.staging.length < data.length) this.staging = new Float32Array(Math.max(data.length, this.staging.length * 2));
    const s = this.staging;
    for (let i = 0; i < data.length; i++) s[i] = data[i];
    return s;
  }
}
