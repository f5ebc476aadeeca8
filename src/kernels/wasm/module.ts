import { RELAXED_BASE64, SIMD_BASE64 } from './generated/kernels-wasm';
import { decodeBase64, requireWasmSimd } from './features';

/**
 * The one WebAssembly module of all kernels (assembly/*.as, built by scripts/build-wasm.mjs).
 * Every kernel takes byte offsets into the module's own linear memory and allocates nothing: the
 * host owns the layout (see heap.ts). Sizes are in floats.
 */

/** 'auto' uses relaxed-simd fused multiply-add where the engine validates it. */
export type FmaMode = 'auto' | 'on' | 'off';

/** The conv plumbing in assembly/conv.as. */
export interface ConvExports {
  im2col(x: number, col: number, ld: number, inC: number, h: number, w: number, k: number, pad: number, outH: number, outW: number): void;
  col2imAdd(dcol: number, ld: number, dx: number, inC: number, h: number, w: number, k: number, pad: number, outH: number, outW: number): void;
  im2colPacked(x: number, padded: number, bp: number, inC: number, h: number, w: number, k: number, pad: number, kBlock: number): void;
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

export interface GemmExports {
  heapBase(): number;
  tileRows(): number;
  tileCols(): number;
  usesRelaxedFma(): number;
  gemm(
    a: number, b: number, c: number, m: number, n: number, k: number,
    transA: number, transB: number, accumulate: number,
    ap: number, bp: number, tile: number, kcMax: number, mcMax: number,
  ): void;
  packB(b: number, bp: number, n: number, k: number, transB: number, kcMax: number): void;
  gemmPackedB(
    a: number, bp: number, c: number, m: number, n: number, k: number,
    transA: number, accumulate: number, ap: number, tile: number, kcMax: number, mcMax: number,
  ): void;
}

/** assembly/elementwise.as, pool.as, optimizers.as (booleans pass as 0/1). */
export interface OpsExports {
  activationForward(kind: number, x: number, out: number, n: number, slope: number): void;
  activationBackward(kind: number, x: number, y: number, dy: number, dx: number, n: number, slope: number): void;
  scale(x: number, alpha: number, out: number, n: number): void;
  axpy(alpha: number, x: number, y: number, n: number): void;
  mul(a: number, b: number, out: number, n: number): void;
  addRowVector(x: number, bias: number, out: number, rows: number, cols: number): void;
  sumRows(x: number, out: number, rows: number, cols: number, accumulate: number): void;
  dropout(x: number, mask: number, out: number, n: number, p: number, seed: number, keepScale: number): void;
  maxPool2dForward(x: number, out: number, argmax: number, planes: number, h: number, w: number): void;
  /** −1, or the first output index whose argmax is not a pixel of its plane. */
  maxPool2dBackward(dy: number, argmax: number, dx: number, planes: number, h: number, w: number): number;
  sgdStep(p: number, g: number, n: number, lr: number, wd: number): void;
  momentumStep(p: number, g: number, v: number, n: number, lr: number, mu: number, wd: number): void;
  adamStep(
    p: number, g: number, m: number, v: number, n: number,
    beta1: number, beta2: number, eps: number, stepSize: number, sqrtBiasCorrection2: number, shrink: number, l2: number,
  ): void;
}

/** assembly/loss.as: returns the mean loss. */
export interface LossExports {
  softmaxCrossEntropy(
    logits: number, labels: number, probs: number, dlogits: number, rows: number, classes: number, smoothing: number,
  ): number;
}

/** assembly/gru.as. */
export interface GruExports {
  gruForwardStep(
    xProj: number, gh: number, bhh: number, state: number, hAll: number, cache: number, lengths: number,
    t: number, batch: number, hidden: number,
  ): void;
  gruLastState(hAll: number, lengths: number, hLast: number, batch: number, hidden: number, reverse: number): void;
  gruBackwardStep(
    cache: number, hAll: number, dhAll: number, dhLast: number, lengths: number,
    dH: number, dGates: number, history: number, dxProj: number, dbhh: number,
    t: number, slot: number, batch: number, hidden: number, reverse: number,
  ): void;
}

export interface KernelExports extends GemmExports, ConvExports, OpsExports, GruExports, LossExports {
  memory: WebAssembly.Memory;
}

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

/** A fresh instance (its own linear memory); throws WasmUnavailableError without SIMD128. */
export function instantiateKernels(fma: FmaMode = 'auto'): KernelExports {
  requireWasmSimd();
  let module = fma === 'off' ? null : compiledModule(true);
  if (fma === 'on' && !module) throw new Error('wasm kernels: fma "on" needs relaxed-simd, which this engine lacks');
  module ??= compiledModule(false)!;
  return new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
}
