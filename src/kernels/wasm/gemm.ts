import { RELAXED_BASE64, SIMD_BASE64 } from './generated/gemm-wasm';
import type { FloatArray } from '../backend';
import { decodeBase64, requireWasmSimd } from './features';

/**
 * Host side of the SIMD GEMM in assembly/gemm.as. The module has no allocator: this class lays
 * out one linear memory as [A | B | C | packed A | packed B | edge tile] per call and grows it
 * (never shrinks) to the largest call seen, so a training loop that repeats its shapes stops
 * growing after the first step. Operands are copied in with TypedArray.set (a memcpy).
 */

/** 'auto' uses relaxed-simd fused multiply-add where the engine validates it. */
export type FmaMode = 'auto' | 'on' | 'off';

export interface WasmGemmOptions {
  fma?: FmaMode;
  /** K-block (default 256: a packed 8-column B micro-panel is 8 KiB, L1-resident). */
  kc?: number;
  /** M-block (default 120: a packed A block is ≤ 120 KiB, L2-resident; a multiple of MR). */
  mc?: number;
}

/** The conv plumbing in assembly/gemm.as: pointers are byte offsets, sizes in floats. */
export interface ConvExports {
  im2col(x: number, col: number, ld: number, inC: number, h: number, w: number, k: number, pad: number, outH: number, outW: number): void;
  col2imAdd(dcol: number, ld: number, dx: number, inC: number, h: number, w: number, k: number, pad: number, outH: number, outW: number): void;
  scatterBias(prod: number, out: number, bias: number, outC: number, items: number, hw: number): void;
  gatherRows(dy: number, dyMat: number, db: number, outC: number, items: number, hw: number): void;
  conv3x3Forward(
    x: number, wt: number, bias: number, out: number, padded: number,
    items: number, inC: number, h: number, w: number, outC: number, pad: number,
  ): void;
  conv3x3BackwardWeight(
    x: number, dy: number, dw: number, db: number, padded: number,
    items: number, inC: number, h: number, w: number, outC: number, pad: number,
  ): void;
}

interface GemmExports extends ConvExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  tileRows(): number;
  tileCols(): number;
  usesRelaxedFma(): number;
  gemm(
    a: number, b: number, c: number, m: number, n: number, k: number,
    transA: number, transB: number, accumulate: number,
    ap: number, bp: number, tile: number, kcMax: number, mcMax: number,
  ): void;
}

const PAGE = 65536;
const align16 = (bytes: number): number => (bytes + 15) & ~15;

let simdModule: WebAssembly.Module | undefined;
/** null once relaxed-simd was found missing. */
let relaxedModule: WebAssembly.Module | null | undefined;

/** Compiles (once per realm) the variant to run; null when relaxed-simd is asked but absent. */
function compiledModule(relaxed: boolean): WebAssembly.Module | null {
  if (!relaxed) return (simdModule ??= new WebAssembly.Module(decodeBase64(SIMD_BASE64)));
  if (relaxedModule === undefined) {
    const bytes = decodeBase64(RELAXED_BASE64);
    relaxedModule = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return relaxedModule;
}

export class WasmGemm {
  readonly usesFma: boolean;
  readonly tileRows: number;
  readonly tileCols: number;
  private readonly exports: GemmExports;
  /** First byte the host may lay out (16-aligned). */
  readonly base: number;
  private readonly kc: number;
  private readonly mc: number;
  private view: Float32Array;
  /** Memory.grow calls so far: flat across steps proves a warm loop does not grow memory. */
  growths = 0;

  constructor(opts: WasmGemmOptions = {}) {
    requireWasmSimd();
    const fma = opts.fma ?? 'auto';
    let module = fma === 'off' ? null : compiledModule(true);
    if (fma === 'on' && !module) throw new Error('WasmGemm: fma "on" needs relaxed-simd, which this engine lacks');
    module ??= compiledModule(false)!;
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as GemmExports;
    this.usesFma = this.exports.usesRelaxedFma() !== 0;
    this.tileRows = this.exports.tileRows();
    this.tileCols = this.exports.tileCols();
    this.base = align16(this.exports.heapBase());
    this.kc = positiveInt('kc', opts.kc ?? 256);
    const mc = positiveInt('mc', opts.mc ?? 120);
    this.mc = Math.ceil(mc / this.tileRows) * this.tileRows;
    this.view = new Float32Array(this.exports.memory.buffer);
  }

  /** Bytes of linear memory in use (grows to the largest call). */
  memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /**
   * c[m,n] (+)= op(a)[m,k]·op(b)[k,n] (a stored [k,m] when transA, b [n,k] when transB),
   * computed in float32. Float64 operands (the CPU kernels' scratch) are converted on the copy
   * in and out. The caller has checked the shapes; c must not overlap a or b.
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
    const aOff = this.base;
    const bOff = aOff + align16(4 * m * k);
    const cOff = bOff + align16(4 * k * n);
    const freeOff = cOff + align16(4 * mn);
    const view = this.reserve(freeOff + this.packingBytes(m, n, k));
    view.set(a.subarray(0, m * k), aOff >> 2);
    view.set(b.subarray(0, k * n), bOff >> 2);
    if (accumulate) view.set(c.subarray(0, mn), cOff >> 2);
    this.runInMemory(aOff, bOff, cOff, m, n, k, transA, transB, accumulate, freeOff);
    c.set(view.subarray(cOff >> 2, (cOff >> 2) + mn));
  }

  /** The conv plumbing kernels of the same module (they share this memory). */
  get conv(): ConvExports {
    return this.exports;
  }

  /** Bytes of packing buffers runInMemory needs past its `freeOff` for this product. */
  packingBytes(m: number, n: number, k: number): number {
    const mBlock = this.mBlock(m), kBlock = this.kBlock(k);
    const { tileRows: mr, tileCols: nr } = this;
    return align16(4 * mBlock * kBlock) + align16(4 * Math.ceil(n / nr) * nr * kBlock) + 4 * mr * nr;
  }

  /**
   * The product on operands already in linear memory (byte offsets, 16-aligned); packing
   * buffers go at freeOff. The caller has reserved freeOff + packingBytes(m, n, k).
   */
  runInMemory(
    aOff: number, bOff: number, cOff: number, m: number, n: number, k: number,
    transA: boolean, transB: boolean, accumulate: boolean, freeOff: number,
  ): void {
    if (m * n === 0) return;
    if (k === 0) {
      if (!accumulate) this.view.fill(0, cOff >> 2, (cOff >> 2) + m * n);
      return;
    }
    const mBlock = this.mBlock(m), kBlock = this.kBlock(k);
    const apOff = freeOff;
    const bpOff = apOff + align16(4 * mBlock * kBlock);
    const tileOff = bpOff + align16(4 * Math.ceil(n / this.tileCols) * this.tileCols * kBlock);
    this.exports.gemm(aOff, bOff, cOff, m, n, k, +transA, +transB, +accumulate, apOff, bpOff, tileOff, this.kc, mBlock);
  }

  /** Equal blocks, as the K-blocks in gemm.as: m = 256 runs as 2×128, not 120 + 120 + 16. */
  private mBlock(m: number): number {
    return Math.ceil(Math.ceil(m / Math.ceil(m / this.mc)) / this.tileRows) * this.tileRows;
  }

  private kBlock(k: number): number {
    return Math.ceil(k / Math.ceil(k / this.kc));
  }

  /** A view of linear memory at least `bytes` long, growing it if needed (grows are counted). */
  reserve(bytes: number): Float32Array {
    return this.ensure(bytes);
  }

  private ensure(bytes: number): Float32Array {
    const memory = this.exports.memory;
    if (bytes > memory.buffer.byteLength) {
      try {
        memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
      } catch {
        throw new Error(`matmul: needs ${Math.ceil(bytes / 2 ** 20)} MiB of WebAssembly memory, more than this engine allows`);
      }
      this.growths++;
    }
    // A grow detaches the old ArrayBuffer, so the view is rebuilt whenever the buffer changed.
    if (this.view.buffer !== memory.buffer) this.view = new Float32Array(memory.buffer);
    return this.view;
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`WasmGemm: ${name} must be a positive integer, got ${v}`);
  return v;
}
