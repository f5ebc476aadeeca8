import type { FloatArray } from '../backend';
import { MR, NR, microKernel } from './matmul-kernel';
import { Scratch } from './storage';

/**
 * GEMM in the GotoBLAS shape: for each K-block, pack op(B) into NR-wide column panels and op(A)
 * into MR-tall row panels (zero-padded at the edges), then a register-tiled micro-kernel runs over
 * the packed panels. Packing turns all four transpose combinations into the same contiguous
 * inner loop, and the K-blocking keeps a B micro-panel in L1 while it meets every A panel.
 */

/** K-block: a packed B micro-panel is KC·NR doubles (16 KiB), L1-resident. */
const KC = 256;
/** M-block: a packed A block is MC·KC doubles (256 KiB), sized for L2. */
const MC = 128;

export interface MatmulScratch {
  a: Scratch;
  b: Scratch;
}

export function newMatmulScratch(): MatmulScratch {
  return { a: new Scratch(), b: new Scratch() };
}

/**
 * The GEMM the GRU kernels call (default: `gemm` below): another backend may inject a faster
 * implementation with the same semantics, which may ignore `scratch`.
 */
export type GemmFn = (
  a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, n: number, k: number,
  transA: boolean, transB: boolean, accumulate: boolean,
  scratch: MatmulScratch,
) => void;

/**
 * c[m,n] (+)= op(a)[m,k] · op(b)[k,n]. a is stored [m,k] (or [k,m] when transA), b is stored
 * [k,n] (or [n,k] when transB), c is [m,n]. c must not overlap a or b.
 */
export function gemm(
  a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, n: number, k: number,
  transA: boolean, transB: boolean, accumulate: boolean,
  scratch: MatmulScratch,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  if (m === 0 || n === 0 || k === 0) return;
  const nPanels = Math.ceil(n / NR);
  // Equal K-blocks (784 → 4×196, not 3×256 + 16): a thin last block would pay the per-tile
  // write-back of C for almost no multiply-adds.
  const kBlock = Math.ceil(k / Math.ceil(k / KC));
  for (let pc = 0; pc < k; pc += kBlock) {
    const kc = Math.min(kBlock, k - pc);
    const bp = scratch.b.get(nPanels * NR * kc);
    if (transB) packPanels(b, bp, pc, n, k, 1, kc, NR);
    else packPanels(b, bp, pc * n, n, 1, n, kc, NR);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = Math.min(MC, m - ic);
      const ap = scratch.a.get(Math.ceil(mc / MR) * MR * kc);
      if (transA) packPanels(a, ap, pc * m + ic, mc, 1, m, kc, MR);
      else packPanels(a, ap, ic * k + pc, mc, k, 1, kc, MR);
      macroKernel(ap, bp, c, ic, mc, n, kc);
    }
  }
}

function macroKernel(
  ap: Float64Array, bp: Float64Array, c: FloatArray, ic: number, mc: number, n: number, kc: number,
): void {
  for (let jr = 0; jr < n; jr += NR) {
    const nr = Math.min(NR, n - jr);
    const bOff = jr * kc;
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = Math.min(MR, mc - ir);
      microKernel(ap, ir * kc, bp, bOff, kc, c, (ic + ir) * n + jr, n, mr, nr);
    }
  }
}

/**
 * Packs `count` lanes (rows of op(A) or columns of op(B)) × kc steps into consecutive panels of
 * `width` lanes, each laid out p-major: dst[panel + p·width + lane] = src[start + lane·laneStride
 * + p·pStride]. The strides express the transpose, so one routine serves both operands and all
 * four combinations. Lanes past `count` are zero, so edge tiles need no case in the micro-kernel.
 * The loop order follows the unit stride: walking a power-of-two stride in the inner loop
 * thrashes L1 sets (512×512 transposed ran 30% slower that way).
 */
function packPanels(
  src: FloatArray, dst: Float64Array, start: number, count: number,
  laneStride: number, pStride: number, kc: number, width: number,
): void {
  let panel = 0;
  for (let l0 = 0; l0 < count; l0 += width) {
    const lanes = Math.min(width, count - l0);
    const first = start + l0 * laneStride;
    if (laneStride === 1) packLanesInner(src, dst, panel, first, lanes, pStride, kc, width);
    else packStepsInner(src, dst, panel, first, lanes, laneStride, kc, width);
    panel += width * kc;
  }
}

/** Lanes are contiguous in src (transposed A, plain B): copy one row segment per step. */
function packLanesInner(
  src: FloatArray, dst: Float64Array, panel: number, first: number, lanes: number,
  pStride: number, kc: number, width: number,
): void {
  let o = panel;
  let s = first;
  for (let p = 0; p < kc; p++, o += width, s += pStride) {
    for (let lane = 0; lane < lanes; lane++) dst[o + lane] = src[s + lane];
    for (let lane = lanes; lane < width; lane++) dst[o + lane] = 0;
  }
}

/** Steps are contiguous in src (plain A, transposed B): copy one run of kc per lane. */
function packStepsInner(
  src: FloatArray, dst: Float64Array, panel: number, first: number, lanes: number,
  laneStride: number, kc: number, width: number,
): void {
  for (let lane = 0; lane < width; lane++) {
    let o = panel + lane;
    if (lane >= lanes) {
      for (let p = 0; p < kc; p++, o += width) dst[o] = 0;
      continue;
    }
    let s = first + lane * laneStride;
    for (let p = 0; p < kc; p++, o += width, s++) dst[o] = src[s];
  }
}
