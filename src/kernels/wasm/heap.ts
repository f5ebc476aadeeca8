/**
 * Allocator over the kernels' linear memory, on the host side (the wasm module has no runtime).
 * Blocks are 16-byte aligned and recycled by exact size: a training loop allocates the same
 * shapes every step, so after the first step every request hits a free list and memory stops
 * growing. Memory never shrinks.
 *
 * A grow detaches the old ArrayBuffer, and with it every typed-array view of the memory: code
 * must take views (`f32`) after any call that may allocate, never hold them across one.
 */

const PAGE = 65536;

// Arithmetic, not `& ~15`: offsets past 2 GiB do not fit the signed 32 bits of JS bitwise operators.
export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

export class WasmHeap {
  private top: number;
  private readonly free = new Map<number, number[]>();
  private view: Float32Array;
  /** Scratch block shared by the ops (one op runs at a time); see `scratch`. */
  private scratchAt = -1;
  private scratchBytes = 0;
  /** memory.grow calls so far: flat across warm training steps. */
  growths = 0;
  /** Blocks ever carved from fresh memory (not recycled). */
  carved = 0;
  pooledCount = 0;

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.top = align16(base);
    this.view = new Float32Array(memory.buffer);
  }

  /** Byte offset of a block of at least `bytes` (16-aligned; contents unspecified). */
  alloc(bytes: number): number {
    const size = align16(Math.max(16, bytes));
    const list = this.free.get(size);
    if (list && list.length > 0) {
      this.pooledCount--;
      return list.pop()!;
    }
    const at = this.top;
    this.ensure(at + size);
    this.top = at + size;
    this.carved++;
    return at;
  }

  /** Returns a block from `alloc(bytes)` (same `bytes`) for reuse. */
  release(offset: number, bytes: number): void {
    const size = align16(Math.max(16, bytes));
    let list = this.free.get(size);
    if (!list) {
      list = [];
      this.free.set(size, list);
    }
    list.push(offset);
    this.pooledCount++;
  }

  /**
   * Byte offset of the shared scratch block, at least `bytes` long. Only valid until the next
   * `scratch` call: each op lays out all its temporaries in one request. Grows by 1.5× so a
   * warm loop settles quickly.
   */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchAt >= 0) this.release(this.scratchAt, this.scratchBytes);
      this.scratchBytes = align16(Math.max(bytes, Math.ceil(this.scratchBytes * 1.5)));
      this.scratchAt = this.alloc(this.scratchBytes);
    }
    return this.scratchAt;
  }

  /** The whole memory as floats (index = byte offset >>> 2: unsigned, offsets reach 4 GiB); rebuilt after a grow. */
  get f32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Grows geometrically (fewer grows, fewer detached views), exactly when that is refused. */
  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const needed = Math.ceil((end - have) / PAGE);
    const generous = Math.max(needed, Math.ceil(have / PAGE / 2));
    try {
      this.memory.grow(generous);
    } catch {
      try {
        this.memory.grow(needed);
      } catch {
        throw new Error(`out of WebAssembly memory: needs ${Math.ceil(end / 2 ** 20)} MiB, more than this browser allows`);
      }
    }
    this.growths++;
  }
}
