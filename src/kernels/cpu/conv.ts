import type { FloatArray } from '../backend';
import type { ConvGeometry } from '../validate-conv';
import { conv3x3DirectBackwardWeight, conv3x3DirectForward } from './conv-direct';
import { gemm, type MatmulScratch } from './matmul';
import { Scratch } from './storage';

/**
 * 2-D convolution (NCHW, stride 1, square kernel, zero padding) as im2col + the blocked GEMM.
 *
 * Several batch items share one GEMM: their im2col matrices sit side by side in one
 * [C·k·k, items·Ho·Wo] scratch, so the GEMM sees a wide N (a lone conv1 image is only
 * 16 × 1568 × 9, far too thin to amortize packing and tile write-back). The product comes back
 * as [O, items·Ho·Wo] and is scattered into NCHW with the bias added on the way.
 *
 * 3×3 layers with few input channels take the direct kernels of conv-direct.ts instead; the
 * crossover was measured with bench/conv.ts-style runs (batch 64–256, 3×3, pad 1): direct is
 * ~2× faster at C = 1, ~1.4× at C = 3, even at C = 8 for the weight gradient (still ahead for
 * the forward), and ~20% slower at C = 16.
 */
const DIRECT_FORWARD_MAX_IN_C = 8;
const DIRECT_WEIGHT_MAX_IN_C = 4;

export interface ConvScratch {
  /** im2col matrix (forward, weight grad) or its gradient (input grad). */
  col: Scratch;
  /** Output-side matrix [O, items·Ho·Wo]: the GEMM product, or dy gathered out of NCHW. */
  mat: Scratch;
}

export function newConvScratch(): ConvScratch {
  return { col: new Scratch(), mat: new Scratch() };
}

/**
 * Upper bound on the im2col scratch, in doubles (1 MiB): several small images share one GEMM
 * (wide N) while the scratch stays cache-sized. On the seed CNN's conv2 (one image = 56k
 * doubles) budgets of 2^15..2^18 measured the same and 2^20 was slower.
 */
const COL_BUDGET = 1 << 17;

/** out = conv(x, w) + bias. */
export function conv2dForward(
  x: FloatArray, w: FloatArray, bias: FloatArray, out: FloatArray,
  g: ConvGeometry, s: ConvScratch, gs: MatmulScratch,
): void {
  if (g.kernel === 3 && g.inC <= DIRECT_FORWARD_MAX_IN_C) {
    conv3x3DirectForward(x, w, bias, out, g, s.col);
    return;
  }
  const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, group = itemsPerGroup(g);
  const xStride = g.inC * g.height * g.width, outStride = g.outC * hw;
  for (let b0 = 0; b0 < g.batch; b0 += group) {
    const items = Math.min(group, g.batch - b0), ld = items * hw;
    const col = s.col.get(kk * ld), prod = s.mat.get(g.outC * ld);
    for (let i = 0; i < items; i++) im2col(x, (b0 + i) * xStride, col, i * hw, ld, g);
    gemm(w, col, prod, g.outC, ld, kk, false, false, false, gs);
    for (let i = 0; i < items; i++) {
      for (let o = 0; o < g.outC; o++) {
        const bo = bias[o], src = o * ld + i * hw, dst = (b0 + i) * outStride + o * hw;
        for (let p = 0; p < hw; p++) out[dst + p] = prod[src + p] + bo;
      }
    }
  }
}

/** dx = ∂L/∂x: dcol = Wᵀ·dy per group, then col2im scatter-adds into the zeroed dx. */
export function conv2dBackwardInput(
  dy: FloatArray, w: FloatArray, dx: FloatArray,
  g: ConvGeometry, s: ConvScratch, gs: MatmulScratch,
): void {
  const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, group = itemsPerGroup(g);
  const xStride = g.inC * g.height * g.width;
  dx.fill(0, 0, g.batch * xStride);
  for (let b0 = 0; b0 < g.batch; b0 += group) {
    const items = Math.min(group, g.batch - b0), ld = items * hw;
    const dyMat = s.mat.get(g.outC * ld), dcol = s.col.get(kk * ld);
    gatherRows(dy, dyMat, b0, items, g, null);
    gemm(w, dyMat, dcol, kk, ld, g.outC, true, false, false, gs);
    for (let i = 0; i < items; i++) col2imAdd(dcol, i * hw, ld, dx, (b0 + i) * xStride, g);
  }
}

/** dw (+)= dy·colᵀ summed over the batch; db (+)= Σ dy over batch and pixels. */
export function conv2dBackwardWeight(
  x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray, accumulate: boolean,
  g: ConvGeometry, s: ConvScratch, gs: MatmulScratch,
): void {
  if (g.kernel === 3 && g.inC <= DIRECT_WEIGHT_MAX_IN_C) {
    conv3x3DirectBackwardWeight(x, dy, dw, db, accumulate, g, s.col);
    return;
  }
  const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, group = itemsPerGroup(g);
  const xStride = g.inC * g.height * g.width;
  if (!accumulate) {
    dw.fill(0, 0, g.outC * kk);
    db.fill(0, 0, g.outC);
  }
  for (let b0 = 0; b0 < g.batch; b0 += group) {
    const items = Math.min(group, g.batch - b0), ld = items * hw;
    const dyMat = s.mat.get(g.outC * ld), col = s.col.get(kk * ld);
    gatherRows(dy, dyMat, b0, items, g, db);
    for (let i = 0; i < items; i++) im2col(x, (b0 + i) * xStride, col, i * hw, ld, g);
    gemm(dyMat, col, dw, g.outC, kk, ld, false, true, true, gs);
  }
}

function itemsPerGroup(g: ConvGeometry): number {
  const perItem = g.inC * g.kernel * g.kernel * g.outH * g.outW;
  return Math.max(1, Math.min(g.batch, Math.floor(COL_BUDGET / perItem)));
}

/**
 * Copies dy of items b0.. into dyMat [O, items·Ho·Wo] (the layout the GEMM wants); when `db` is
 * given, adds each row's sum into it on the way (the bias gradient costs no extra pass).
 */
function gatherRows(
  dy: FloatArray, dyMat: Float64Array, b0: number, items: number, g: ConvGeometry, db: FloatArray | null,
): void {
  const hw = g.outH * g.outW, ld = items * hw, outStride = g.outC * hw;
  for (let i = 0; i < items; i++) {
    for (let o = 0; o < g.outC; o++) {
      const src = (b0 + i) * outStride + o * hw, dst = o * ld + i * hw;
      let sum = 0;
      for (let p = 0; p < hw; p++) {
        const v = dy[src + p];
        dyMat[dst + p] = v;
        sum += v;
      }
      if (db) db[o] += sum;
    }
  }
}

/**
 * Valid output columns [lo, hi) for kernel column kx: where ix = ox + kx − pad lies in [0, W).
 * Clamped to [0, Wo] so a padding wider than the image never indexes past a row.
 */
function rangeLo(kx: number, g: ConvGeometry): number {
  return Math.min(g.outW, Math.max(0, g.pad - kx));
}

function rangeHi(kx: number, g: ConvGeometry, lo: number): number {
  return Math.max(lo, Math.min(g.outW, g.width + g.pad - kx));
}

/**
 * Writes one image's patches into columns [colOff, colOff + Ho·Wo) of col (row stride ld):
 * col[(c·k + ky)·k + kx, oy·Wo + ox] = x[c, oy + ky − pad, ox + kx − pad], 0 outside the image.
 */
function im2col(
  x: FloatArray, xOff: number, col: Float64Array, colOff: number, ld: number, g: ConvGeometry,
): void {
  const { inC, height, width, kernel, pad, outH, outW } = g;
  let row = 0;
  for (let c = 0; c < inC; c++) {
    const plane = xOff + c * height * width;
    for (let ky = 0; ky < kernel; ky++) {
      for (let kx = 0; kx < kernel; kx++, row++) {
        const lo = rangeLo(kx, g), hi = rangeHi(kx, g, lo);
        let o = colOff + row * ld;
        for (let oy = 0; oy < outH; oy++, o += outW) {
          const iy = oy + ky - pad;
          if (iy < 0 || iy >= height) {
            col.fill(0, o, o + outW);
            continue;
          }
          const src = plane + iy * width + kx - pad;
          for (let ox = 0; ox < lo; ox++) col[o + ox] = 0;
          for (let ox = lo; ox < hi; ox++) col[o + ox] = x[src + ox];
          for (let ox = hi; ox < outW; ox++) col[o + ox] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each patch gradient back onto the pixel it was copied from. */
function col2imAdd(
  dcol: Float64Array, colOff: number, ld: number, dx: FloatArray, xOff: number, g: ConvGeometry,
): void {
  const { inC, height, width, kernel, pad, outH, outW } = g;
  let row = 0;
  for (let c = 0; c < inC; c++) {
    const plane = xOff + c * height * width;
    for (let ky = 0; ky < kernel; ky++) {
      for (let kx = 0; kx < kernel; kx++, row++) {
        const lo = rangeLo(kx, g), hi = rangeHi(kx, g, lo);
        let o = colOff + row * ld;
        for (let oy = 0; oy < outH; oy++, o += outW) {
          const iy = oy + ky - pad;
          if (iy < 0 || iy >= height) continue;
          const dst = plane + iy * width + kx - pad;
          for (let ox = lo; ox < hi; ox++) dx[dst + ox] += dcol[o + ox];
        }
      }
    }
  }
}
