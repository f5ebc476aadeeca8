import type { FloatArray } from '../backend';
import { WasmHeap, align16 } from './heap';
import { instantiateKernels, type FmaMode, type KernelExports } from './module';

export type { FmaMode } from './module';

/**
 * Host side of the SIMD GEMM in assembly/gemm.as. `runInMemory` multiplies operands already in
 * linear memory (the wasm backend's tensors live there); `run` copies host arrays in and out
 * through the heap's scratch block (a memcpy each way), for callers holding typed arrays.
 */

export interface WasmGemmOptions {
  fma?: FmaMode;
  /** K-block (default 256: a packed 8-column B micro-panel is 8 KiB, L1-resident). */
  kc?: number;
  /** M-block (default 120: a packed A block is ≤ 120 KiB, L2-resident; a multiple of MR). */
  mc?: number;
  /** Share an instance and its heap (the wasm backend's); default: a fresh instance. */
  kernels?: { exports: KernelExports; heap: WasmHeap };
}

export class WasmGemm {
  readonly usesFma: boolean;
  readonly tileRows: number;
  readonly tileCols: number;
  private readonly exports: KernelExports;
  readonly heap: WasmHeap;
  private readonly kc: number;
  private readonly mc: number;

  constructor(opts: WasmGemmOptions = {}) {
    const kc = positiveInt('kc', opts.kc ?? 256);
    const mc = positiveInt('mc', opts.mc ?? 120);
    if (opts.kernels) {
      this.exports = opts.kernels.exports;
      this.heap = opts.kernels.heap;
    } else {
      this.exports = instantiateKernels(opts.fma ?? 'auto');
      this.heap = new WasmHeap(this.exports.memory, this.exports.heapBase());
    }
    this.usesFma = this.exports.usesRelaxedFma() !== 0;
    this.tileRows = this.exports.tileRows();
    this.tileCols = this.exports.tileCols();
    this.kc = kc;
    this.mc = Math.ceil(mc / this.tileRows) * this.tileRows;
  }

  /** memory.grow calls so far: flat across steps proves a warm loop does not grow memory. */
  get growths(): number {
    return this.heap.growths;
  }

  /** Bytes of linear memory in use. */
  memoryBytes(): number {
    return this.heap.byteLength();
  }

  /**
   * c[m,n] (+)= op(a)[m,k]·op(b)[k,n] (a stored [k,m] when transA, b [n,k] when transB),
   * computed in float32 on copies of host arrays (float64 ones are converted on the copy in and
   * out). The arrays must not be views of this module's memory: the scratch request may grow
   * it and detach them. The caller has checked the shapes; c must not overlap a or b.
   */
  run(
    a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number,
    transA: boolean, transB: boolean, accumulate: boolean,
  ): void {
    const mn = m * n;
    if (mn === 0) return;
    if (k === 0) {
      if (!accumulate) c.fill(0, 0, mn);
      return;
    }
    const aBytes = align16(4 * m * k), bBytes = align16(4 * k * n), cBytes = align16(4 * mn);
    const aOff = this.heap.scratch(aBytes + bBytes + cBytes + this.packingBytes(m, n, k));
    const bOff = aOff + aBytes, cOff = bOff + bBytes, freeOff = cOff + cBytes;
    const view = this.heap.f32;
    view.set(a.subarray(0, m * k), aOff >>> 2);
    view.set(b.subarray(0, k * n), bOff >>> 2);
    if (accumulate) view.set(c.subarray(0, mn), cOff >>> 2);
    this.runInMemory(aOff, bOff, cOff, m, n, k, transA, transB, accumulate, freeOff);
    c.set(view.subarray(cOff >>> 2, (cOff >>> 2) + mn));
  }

  /** Bytes of packing buffers runInMemory needs past its `freeOff` for this product. */
  packingBytes(m: number, n: number, k: number): number {
    const mBlock = this.mBlock(m), kBlock = this.kBlock(k);
    const { tileRows: mr, tileCols: nr } = this;
    return align16(4 * mBlock * kBlock) + align16(4 * Math.ceil(n / nr) * nr * kBlock) + 4 * mr * nr;
  }

  /**
   * The product on operands already in linear memory (byte offsets, 4-aligned); packing
   * buffers go at freeOff (16-aligned), where the caller has packingBytes(m, n, k) free.
   */
  runInMemory(
    aOff: number, bOff: number, cOff: number, m: number, n: number, k: number,
    transA: boolean, transB: boolean, accumulate: boolean, freeOff: number,
  ): void {
    if (m * n === 0) return;
    if (k === 0) {
      if (!accumulate) this.heap.f32.fill(0, cOff >>> 2, (cOff >>> 2) + m * n);
      return;
    }
    const mBlock = this.mBlock(m), kBlock = this.kBlock(k);
    const apOff = freeOff;
    const bpOff = apOff + align16(4 * mBlock * kBlock);
    const tileOff = bpOff + align16(4 * Math.ceil(n / this.tileCols) * this.tileCols * kBlock);
    this.exports.gemm(aOff, bOff, cOff, m, n, k, +transA, +transB, +accumulate, apOff, bpOff, tileOff, this.kc, mBlock);
  }

  /** Bytes of op(b) [k,n] packed whole by packB. */
  packedBBytes(n: number, k: number): number {
    return align16(4 * Math.ceil(n / this.tileCols) * this.tileCols * k);
  }

  /** Packs op(b) once (at packedOff, packedBBytes free) for products that reuse it: runPackedB. */
  packB(bOff: number, n: number, k: number, transB: boolean, packedOff: number): void {
    this.exports.packB(bOff, packedOff, n, k, +transB, this.kc);
  }

  /** runInMemory with op(b) packed by packB; freeOff needs packedABytes(m, k) free. */
  runPackedB(
    aOff: number, packedOff: number, cOff: number, m: number, n: number, k: number,
    transA: boolean, accumulate: boolean, freeOff: number,
  ): void {
    const tileOff = freeOff + align16(4 * this.mBlock(m) * this.kBlock(k));
    this.exports.gemmPackedB(aOff, packedOff, cOff, m, n, k, +transA, +accumulate, freeOff, tileOff, this.kc, this.mBlock(m));
  }

  /** Bytes runPackedB needs past its freeOff: the packed A block and the edge tile. */
  packedABytes(m: number, k: number): number {
    return align16(4 * this.mBlock(m) * this.kBlock(k)) + 4 * this.tileRows * this.tileCols;
  }

  /** Equal blocks, as the K-blocks in gemm.as: m = 256 runs as 2×128, not 120 + 120 + 16. */
  private mBlock(m: number): number {
    return Math.ceil(Math.ceil(m / Math.ceil(m / this.mc)) / this.tileRows) * this.tileRows;
  }

  /** The K-block of a product with inner size k (packB's and im2colPacked's layout). */
  kBlock(k: number): number {
    return Math.ceil(k / Math.ceil(k / this.kc));
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`WasmGemm: ${name} must be a positive integer, got ${v}`);
  return v;
}
