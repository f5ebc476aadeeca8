import { RELAXED_BASE64, SIMD_BASE64 } from './generated/gemm-wasm';
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

interface GemmExports {
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
  private readonly base: number;
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
   * c[m,n] (+)= op(a)[m,k]·op(b)[k,n] on float32 arrays (a stored [k,m] when transA, b [n,k]
   * when transB). The caller has checked the shapes; c must not overlap a or b.
   */
  run(
    a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number,
    transA: boolean, transB: boolean, accumulate: boolean,
  ): void {
    const mn = m * n;
    if (mn === 0) return;
    if (k === 0) {
      if (!accumulate) c.fill(0, 0, mn);
      return;
    }
    const { tileRows: mr, tileCols: nr } = this;
    // Equal blocks, as the K-blocks in gemm.as: m = 256 runs as 2×128, not 120 + 120 + 16.
    const kBlock = Math.ceil(k / Math.ceil(k / this.kc));
    const mBlock = Math.ceil(Math.ceil(m / Math.ceil(m / this.mc)) / mr) * mr;
    const aOff = this.base;
    const bOff = aOff + align16(4 * m * k);
    const cOff = bOff + align16(4 * k * n);
    const apOff = cOff + align16(4 * mn);
    const bpOff = apOff + align16(4 * mBlock * kBlock);
    const tileOff = bpOff + align16(4 * Math.ceil(n / nr) * nr * kBlock);
    const view = this.ensure(tileOff + 4 * mr * nr);
    view.set(a.subarray(0, m * k), aOff >> 2);
    view.set(b.subarray(0, k * n), bOff >> 2);
    if (accumulate) view.set(c.subarray(0, mn), cOff >> 2);
    this.exports.gemm(aOff, bOff, cOff, m, n, k, +transA, +transB, +accumulate, apOff, bpOff, tileOff, this.kc, mBlock);
    c.set(view.subarray(cOff >> 2, (cOff >> 2) + mn));
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
