import type { FloatArray } from '../backend';
import type { ConvGeometry } from '../validate-conv';
import type { Scratch } from './storage';

/**
 * Direct 3×3 convolution for layers with few input channels (the CNN's first layer has C = 1,
 * where im2col + GEMM has K = 9: each 8×8 tile does 9 steps of work and then pays a 64-value
 * write-back, and the im2col copy is 9× the image). Each input plane is copied once into a
 * zero-bordered scratch so the inner loops need no bounds checks, then a 3×3 window slides
 * along each row with the nine weights (or, for the weight gradient, nine sums) held in
 * locals: three loads and nine multiply-adds per pixel.
 */

/** Pads plane `c` of item `b` into `padded` ((H+2p) × (W+2p), zero border). */
function padPlane(x: FloatArray, xOff: number, padded: Float64Array, g: ConvGeometry): void {
  const { height, width, pad } = g;
  const wp = width + 2 * pad;
  padded.fill(0, 0, (height + 2 * pad) * wp);
  for (let y = 0; y < height; y++) {
    const dst = (y + pad) * wp + pad, src = xOff + y * width;
    for (let i = 0; i < width; i++) padded[dst + i] = x[src + i];
  }
}

/** out = conv3×3(x, w) + bias. Requires g.kernel === 3. */
export function conv3x3DirectForward(
  x: FloatArray, w: FloatArray, bias: FloatArray, out: FloatArray, g: ConvGeometry, scratch: Scratch,
): void {
  const { batch, inC, height, width, outC, pad, outH, outW } = g;
  const hw = outH * outW, planeIn = height * width;
  const padded = scratch.get((height + 2 * pad) * (width + 2 * pad));
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outC; o++) out.fill(bias[o], (b * outC + o) * hw, (b * outC + o + 1) * hw);
    for (let c = 0; c < inC; c++) {
      padPlane(x, (b * inC + c) * planeIn, padded, g);
      for (let o = 0; o < outC; o++) {
        forwardPlane(padded, w, (o * inC + c) * 9, out, (b * outC + o) * hw, outH, outW, width + 2 * pad);
      }
    }
  }
}

function forwardPlane(
  p: Float64Array, w: FloatArray, wOff: number, out: FloatArray, outOff: number,
  outH: number, outW: number, wp: number,
): void {
  const w00 = w[wOff], w01 = w[wOff + 1], w02 = w[wOff + 2];
  const w10 = w[wOff + 3], w11 = w[wOff + 4], w12 = w[wOff + 5];
  const w20 = w[wOff + 6], w21 = w[wOff + 7], w22 = w[wOff + 8];
  for (let oy = 0; oy < outH; oy++) {
    const r0 = oy * wp, r1 = r0 + wp, r2 = r1 + wp;
    let a0 = p[r0], a1 = p[r0 + 1], b0 = p[r1], b1 = p[r1 + 1], c0 = p[r2], c1 = p[r2 + 1];
    const o = outOff + oy * outW;
    for (let ox = 0; ox < outW; ox++) {
      const a2 = p[r0 + ox + 2], b2 = p[r1 + ox + 2], c2 = p[r2 + ox + 2];
      out[o + ox] += w00 * a0 + w01 * a1 + w02 * a2 + w10 * b0 + w11 * b1 + w12 * b2 + w20 * c0 + w21 * c1 + w22 * c2;
      a0 = a1; a1 = a2; b0 = b1; b1 = b2; c0 = c1; c1 = c2;
    }
  }
}

/** dw (+)= Σ dy ⊗ window, db (+)= Σ dy. Requires g.kernel === 3. */
export function conv3x3DirectBackwardWeight(
  x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray, accumulate: boolean,
  g: ConvGeometry, scratch: Scratch,
): void {
  const { batch, inC, height, width, outC, pad, outH, outW } = g;
  const hw = outH * outW, planeIn = height * width;
  const padded = scratch.get((height + 2 * pad) * (width + 2 * pad));
  if (!accumulate) {
    dw.fill(0, 0, outC * inC * 9);
    db.fill(0, 0, outC);
  }
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outC; o++) {
      let sum = 0;
      for (let i = (b * outC + o) * hw, end = i + hw; i < end; i++) sum += dy[i];
      db[o] += sum;
    }
    for (let c = 0; c < inC; c++) {
      padPlane(x, (b * inC + c) * planeIn, padded, g);
      for (let o = 0; o < outC; o++) {
        weightGradPlane(padded, dy, (b * outC + o) * hw, dw, (o * inC + c) * 9, outH, outW, width + 2 * pad);
      }
    }
  }
}

function weightGradPlane(
  p: Float64Array, dy: FloatArray, dyOff: number, dw: FloatArray, wOff: number,
  outH: number, outW: number, wp: number,
): void {
  let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0;
  for (let oy = 0; oy < outH; oy++) {
    const r0 = oy * wp, r1 = r0 + wp, r2 = r1 + wp;
    let a0 = p[r0], a1 = p[r0 + 1], b0 = p[r1], b1 = p[r1 + 1], c0 = p[r2], c1 = p[r2 + 1];
    const d = dyOff + oy * outW;
    for (let ox = 0; ox < outW; ox++) {
      const a2 = p[r0 + ox + 2], b2 = p[r1 + ox + 2], c2 = p[r2 + ox + 2], gv = dy[d + ox];
      s00 += gv * a0; s01 += gv * a1; s02 += gv * a2;
      s10 += gv * b0; s11 += gv * b1; s12 += gv * b2;
      s20 += gv * c0; s21 += gv * c1; s22 += gv * c2;
      a0 = a1; a1 = a2; b0 = b1; b1 = b2; c0 = c1; c1 = c2;
    }
  }
  dw[wOff] += s00; dw[wOff + 1] += s01; dw[wOff + 2] += s02;
  dw[wOff + 3] += s10; dw[wOff + 4] += s11; dw[wOff + 5] += s12;
  dw[wOff + 6] += s20; dw[wOff + 7] += s21; dw[wOff + 8] += s22;
}
