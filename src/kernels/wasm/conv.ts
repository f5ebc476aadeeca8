import type { FloatArray } from '../backend';
import type { ConvGeometry } from '../cpu/conv';
import type { WasmGemm } from './gemm';

/**
 * Convolution on the wasm module end to end: im2col, the SIMD GEMM, the bias scatter, the dy
 * gather and col2im all run in linear memory, and the host only copies each batch group in and
 * out (contiguous NCHW slices, so each copy is one memcpy). In JS those layout moves cost more
 * than the SIMD products themselves.
 *
 * Memory is laid out per call from gemm.base; a group of items shares one GEMM (wide N), as in
 * cpu/conv.ts. The layout only depends on the shapes, so a warm training loop never grows memory.
 */

/**
 * 3×3 layers with at most this many input channels take the direct kernels (im2col + GEMM has
 * K = 9·C there, too thin for the GEMM; C = 1 is the seed CNN's first layer).
 */
const DIRECT_MAX_IN_C = 4;

const isDirect = (g: ConvGeometry): boolean => g.kernel === 3 && g.inC <= DIRECT_MAX_IN_C;

/** Upper bound on the im2col matrix, in floats (1 MiB): wide N while staying cache-sized. */
const COL_BUDGET = 1 << 18;

const align16 = (bytes: number): number => (bytes + 15) & ~15;

function itemsPerGroup(g: ConvGeometry): number {
  const perItem = g.inC * g.kernel * g.kernel * g.outH * g.outW;
  return Math.max(1, Math.min(g.batch, Math.floor(COL_BUDGET / perItem)));
}

/** Byte offsets of consecutive 16-aligned float regions starting at `base`; the last is the end. */
function layout(base: number, f0: number, f1: number, f2: number, f3: number, f4: number, f5: number, out: Float64Array): void {
  out[0] = base;
  out[1] = out[0] + align16(4 * f0);
  out[2] = out[1] + align16(4 * f1);
  out[3] = out[2] + align16(4 * f2);
  out[4] = out[3] + align16(4 * f3);
  out[5] = out[4] + align16(4 * f4);
  out[6] = out[5] + align16(4 * f5);
}

export class WasmConv {
  /** Region offsets of the current call (reused: no allocation per call). */
  private readonly at = new Float64Array(7);

  constructor(private readonly gemm: WasmGemm) {}

  /** out = conv(x, w) + bias. */
  forward(x: FloatArray, w: FloatArray, bias: FloatArray, out: FloatArray, g: ConvGeometry): void {
    if (isDirect(g)) {
      this.directForward(x, w, bias, out, g);
      return;
    }
    const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, group = itemsPerGroup(g);
    const xStride = g.inC * g.height * g.width, outStride = g.outC * hw;
    const at = this.at;
    // regions: w | bias | x group | col | prod | out group | packing
    layout(this.gemm.base, g.outC * kk, g.outC, group * xStride, kk * group * hw, g.outC * group * hw, group * outStride, at);
    const view = this.gemm.reserve(at[6] + this.gemm.packingBytes(g.outC, group * hw, kk));
    view.set(w.subarray(0, g.outC * kk), at[0] >> 2);
    view.set(bias.subarray(0, g.outC), at[1] >> 2);
    const k = this.gemm.conv;
    for (let b0 = 0; b0 < g.batch; b0 += group) {
      const items = Math.min(group, g.batch - b0), ld = items * hw;
      view.set(x.subarray(b0 * xStride, (b0 + items) * xStride), at[2] >> 2);
      for (let i = 0; i < items; i++) {
        k.im2col(at[2] + 4 * i * xStride, at[3] + 4 * i * hw, ld, g.inC, g.height, g.width, g.kernel, g.pad, g.outH, g.outW);
      }
      this.gemm.runInMemory(at[0], at[3], at[4], g.outC, ld, kk, false, false, false, at[6]);
      k.scatterBias(at[4], at[5], at[1], g.outC, items, hw);
      out.set(view.subarray(at[5] >> 2, (at[5] >> 2) + items * outStride), b0 * outStride);
    }
  }

  /** dx = ∂L/∂x: dcol = Wᵀ·dy per group, then col2im adds into the group's zeroed dx. */
  backwardInput(dy: FloatArray, w: FloatArray, dx: FloatArray, g: ConvGeometry): void {
    const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, group = itemsPerGroup(g);
    const xStride = g.inC * g.height * g.width, outStride = g.outC * hw;
    const at = this.at;
    // regions: w | dy group | dyMat | dcol | dx group | (unused) | packing
    layout(this.gemm.base, g.outC * kk, group * outStride, g.outC * group * hw, kk * group * hw, group * xStride, 0, at);
    const view = this.gemm.reserve(at[6] + this.gemm.packingBytes(kk, group * hw, g.outC));
    view.set(w.subarray(0, g.outC * kk), at[0] >> 2);
    const k = this.gemm.conv;
    for (let b0 = 0; b0 < g.batch; b0 += group) {
      const items = Math.min(group, g.batch - b0), ld = items * hw;
      view.set(dy.subarray(b0 * outStride, (b0 + items) * outStride), at[1] >> 2);
      k.gatherRows(at[1], at[2], 0, g.outC, items, hw);
      this.gemm.runInMemory(at[0], at[2], at[3], kk, ld, g.outC, true, false, false, at[6]);
      view.fill(0, at[4] >> 2, (at[4] >> 2) + items * xStride);
      for (let i = 0; i < items; i++) {
        k.col2imAdd(at[3] + 4 * i * hw, ld, at[4] + 4 * i * xStride, g.inC, g.height, g.width, g.kernel, g.pad, g.outH, g.outW);
      }
      dx.set(view.subarray(at[4] >> 2, (at[4] >> 2) + items * xStride), b0 * xStride);
    }
  }

  /** dw (+)= dy·colᵀ summed over the batch; db (+)= Σ dy over batch and pixels. */
  backwardWeight(x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray, accumulate: boolean, g: ConvGeometry): void {
    if (isDirect(g)) {
      this.directBackwardWeight(x, dy, dw, db, accumulate, g);
      return;
    }
    const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, group = itemsPerGroup(g);
    const xStride = g.inC * g.height * g.width, outStride = g.outC * hw;
    const at = this.at;
    // regions: dw | db | x group | col | dy group | dyMat | packing
    layout(this.gemm.base, g.outC * kk, g.outC, group * xStride, kk * group * hw, group * outStride, g.outC * group * hw, at);
    const view = this.gemm.reserve(at[6] + this.gemm.packingBytes(g.outC, kk, group * hw));
    const dwAt = at[0] >> 2, dbAt = at[1] >> 2;
    if (accumulate) {
      view.set(dw.subarray(0, g.outC * kk), dwAt);
      view.set(db.subarray(0, g.outC), dbAt);
    } else {
      view.fill(0, dwAt, dwAt + g.outC * kk);
      view.fill(0, dbAt, dbAt + g.outC);
    }
    const k = this.gemm.conv;
    for (let b0 = 0; b0 < g.batch; b0 += group) {
      const items = Math.min(group, g.batch - b0), ld = items * hw;
      view.set(x.subarray(b0 * xStride, (b0 + items) * xStride), at[2] >> 2);
      view.set(dy.subarray(b0 * outStride, (b0 + items) * outStride), at[4] >> 2);
      for (let i = 0; i < items; i++) {
        k.im2col(at[2] + 4 * i * xStride, at[3] + 4 * i * hw, ld, g.inC, g.height, g.width, g.kernel, g.pad, g.outH, g.outW);
      }
      k.gatherRows(at[4], at[5], at[1], g.outC, items, hw);
      this.gemm.runInMemory(at[5], at[3], at[0], g.outC, kk, ld, false, true, true, at[6]);
    }
    dw.set(view.subarray(dwAt, dwAt + g.outC * kk));
    db.set(view.subarray(dbAt, dbAt + g.outC));
  }

  private directForward(x: FloatArray, w: FloatArray, bias: FloatArray, out: FloatArray, g: ConvGeometry): void {
    const group = itemsPerGroup(g), xStride = g.inC * g.height * g.width, outStride = g.outC * g.outH * g.outW;
    const at = this.at;
    // regions: w | bias | x group | out group | padded plane
    const paddedSize = (g.height + 2 * g.pad) * (g.width + 2 * g.pad);
    layout(this.gemm.base, g.outC * g.inC * 9, g.outC, group * xStride, group * outStride, paddedSize, 0, at);
    const view = this.gemm.reserve(at[6]);
    view.set(w.subarray(0, g.outC * g.inC * 9), at[0] >> 2);
    view.set(bias.subarray(0, g.outC), at[1] >> 2);
    for (let b0 = 0; b0 < g.batch; b0 += group) {
      const items = Math.min(group, g.batch - b0);
      view.set(x.subarray(b0 * xStride, (b0 + items) * xStride), at[2] >> 2);
      this.gemm.conv.conv3x3Forward(at[2], at[0], at[1], at[3], at[4], items, g.inC, g.height, g.width, g.outC, g.pad);
      out.set(view.subarray(at[3] >> 2, (at[3] >> 2) + items * outStride), b0 * outStride);
    }
  }

  private directBackwardWeight(
    x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray, accumulate: boolean, g: ConvGeometry,
  ): void {
    const group = itemsPerGroup(g), xStride = g.inC * g.height * g.width, outStride = g.outC * g.outH * g.outW;
    const at = this.at, dwSize = g.outC * g.inC * 9;
    // regions: dw | db | x group | dy group | padded plane
    const paddedSize = (g.height + 2 * g.pad) * (g.width + 2 * g.pad);
    layout(this.gemm.base, dwSize, g.outC, group * xStride, group * outStride, paddedSize, 0, at);
    const view = this.gemm.reserve(at[6]);
    const dwAt = at[0] >> 2, dbAt = at[1] >> 2;
    if (accumulate) {
      view.set(dw.subarray(0, dwSize), dwAt);
      view.set(db.subarray(0, g.outC), dbAt);
    } else {
      view.fill(0, dwAt, dwAt + dwSize);
      view.fill(0, dbAt, dbAt + g.outC);
    }
    for (let b0 = 0; b0 < g.batch; b0 += group) {
      const items = Math.min(group, g.batch - b0);
      view.set(x.subarray(b0 * xStride, (b0 + items) * xStride), at[2] >> 2);
      view.set(dy.subarray(b0 * outStride, (b0 + items) * outStride), at[3] >> 2);
      this.gemm.conv.conv3x3BackwardWeight(at[2], at[3], at[0], at[1], at[4], items, g.inC, g.height, g.width, g.outC, g.pad);
    }
    dw.set(view.subarray(dwAt, dwAt + dwSize));
    db.set(view.subarray(dbAt, dbAt + g.outC));
  }
}
