import type { ConvGeometry } from '../validate-conv';
import type { WasmGemm } from './gemm';
import { align16, type WasmHeap } from './heap';
import type { ConvExports } from './module';

/**
 * Convolution on tensors in linear memory (byte offsets): im2col, the SIMD GEMM, the bias
 * scatter, the dy gather and col2im read and write the tensors in place, with temporaries in
 * the heap's scratch block. A group of items shares one GEMM (wide N), as in cpu/conv.ts.
 * The scratch layout only depends on the shapes, so a warm training loop never grows memory.
 */

/**
 * 3×3 layers with at most this many input channels take the direct kernels (im2col + GEMM has
 * K = 9·C there, too thin for the GEMM; C = 1 is the seed CNN's first layer).
 */
const DIRECT_MAX_IN_C = 4;

const isDirect = (g: ConvGeometry): boolean => g.kernel === 3 && g.inC <= DIRECT_MAX_IN_C;

/** Upper bound on the im2col matrix, in floats (1 MiB): wide N while staying cache-sized. */
const COL_BUDGET = 1 << 18;

function itemsPerGroup(g: ConvGeometry): number {
  const perItem = g.inC * g.kernel * g.kernel * g.outH * g.outW;
  return Math.max(1, Math.min(g.batch, Math.floor(COL_BUDGET / perItem)));
}

/** Byte offsets `at` of consecutive 16-aligned float regions from `base`; returns the end. */
function layout(base: number, floats: readonly number[], at: Float64Array): number {
  let end = base;
  for (let i = 0; i < floats.length; i++) {
    at[i] = end;
    end += align16(4 * floats[i]);
  }
  return end;
}

export class WasmConv {
  /** Region offsets of the current call (reused: no allocation per call). */
  private readonly at = new Float64Array(4);
  /** Region sizes in floats of the current call (reused). */
  private readonly sizes = [0, 0];

  constructor(private readonly gemm: WasmGemm, private readonly k: ConvExports, private readonly heap: WasmHeap) {}

  /** Scratch for two regions plus GEMM packing; sets this.at[0..1], returns the packing offset. */
  private scratch(f0: number, f1: number, packing: number): number {
    this.sizes[0] = f0;
    this.sizes[1] = f1;
    const size = layout(0, this.sizes, this.at);
    const base = this.heap.scratch(size + packing);
    this.at[0] += base;
    this.at[1] += base;
    return base + size;
  }

  /** out = conv(x, w) + bias. */
  forward(x: number, w: number, bias: number, out: number, g: ConvGeometry): void {
    const k = this.k;
    if (isDirect(g)) {
      const padded = this.heap.scratch(4 * (g.height + 2 * g.pad) * (g.width + 2 * g.pad));
      k.conv3x3Forward(x, w, bias, out, padded, g.batch, g.inC, g.height, g.width, g.outC, g.pad);
      return;
    }
    this.forwardPerItem(x, w, bias, out, g);
  }

  /**
   * Image by image: the patches go straight into the GEMM's packed layout (im2colPacked), the
   * product straight into the image's NCHW output, then the bias in place, all on cache-sized
   * data (no col matrix, no packing copy, no product matrix to scatter).
   */
  private forwardPerItem(x: number, w: number, bias: number, out: number, g: ConvGeometry): void {
    const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, gemm = this.gemm;
    const xStride = 4 * g.inC * g.height * g.width, outStride = 4 * g.outC * hw;
    const paddedBytes = align16(4 * g.inC * (g.height + 2 * g.pad) * (g.width + 2 * g.pad));
    const packedBytes = gemm.packedBBytes(hw, kk), kBlock = gemm.kBlock(kk);
    const padded = this.heap.scratch(paddedBytes + packedBytes + gemm.packedABytes(g.outC, kk));
    const packed = padded + paddedBytes, free = packed + packedBytes;
    for (let i = 0; i < g.batch; i++) {
      const item = out + i * outStride;
      this.k.im2colPacked(x + i * xStride, padded, packed, g.inC, g.height, g.width, g.kernel, g.pad, kBlock);
      gemm.runPackedB(w, packed, item, g.outC, hw, kk, false, false, free);
      this.k.scatterBias(item, item, bias, g.outC, 1, hw);
    }
  }

  /** dx = ∂L/∂x: dcol = Wᵀ·dy per group, then col2im adds into the zeroed dx. */
  backwardInput(dy: number, w: number, dx: number, g: ConvGeometry): void {
    const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, group = itemsPerGroup(g);
    const xStride = 4 * g.inC * g.height * g.width, outStride = 4 * g.outC * hw;
    const packAt = this.scratch(g.outC * group * hw, kk * group * hw, this.gemm.packingBytes(kk, group * hw, g.outC));
    const dyMat = this.at[0], dcol = this.at[1];
    this.heap.f32.fill(0, dx >>> 2, (dx >>> 2) + g.batch * g.inC * g.height * g.width);
    const k = this.k;
    for (let b0 = 0; b0 < g.batch; b0 += group) {
      const items = Math.min(group, g.batch - b0), ld = items * hw;
      k.gatherRows(dy + b0 * outStride, dyMat, 0, g.outC, items, hw);
      this.gemm.runInMemory(w, dyMat, dcol, kk, ld, g.outC, true, false, false, packAt);
      for (let i = 0; i < items; i++) {
        k.col2imAdd(dcol + 4 * i * hw, ld, dx + (b0 + i) * xStride, g.inC, g.height, g.width, g.kernel, g.pad, g.outH, g.outW);
      }
    }
  }

  /** dw (+)= dy·colᵀ summed over the batch; db (+)= Σ dy over batch and pixels. */
  backwardWeight(x: number, dy: number, dw: number, db: number, accumulate: boolean, g: ConvGeometry): void {
    const kk = g.inC * g.kernel * g.kernel, hw = g.outH * g.outW, group = itemsPerGroup(g);
    const xStride = 4 * g.inC * g.height * g.width, outStride = 4 * g.outC * hw;
    const direct = isDirect(g);
    const packAt = direct
      ? this.heap.scratch(4 * (g.height + 2 * g.pad) * (g.width + 2 * g.pad))
      : this.scratch(kk * group * hw, g.outC * group * hw, this.gemm.packingBytes(g.outC, kk, group * hw));
    if (!accumulate) {
      const f32 = this.heap.f32;
      f32.fill(0, dw >>> 2, (dw >>> 2) + g.outC * kk);
      f32.fill(0, db >>> 2, (db >>> 2) + g.outC);
    }
    const k = this.k;
    if (direct) {
      k.conv3x3BackwardWeight(x, dy, dw, db, packAt, g.batch, g.inC, g.height, g.width, g.outC, g.pad);
      return;
    }
    const col = this.at[0], dyMat = this.at[1];
    for (let b0 = 0; b0 < g.batch; b0 += group) {
      const items = Math.min(group, g.batch - b0), ld = items * hw;
      for (let i = 0; i < items; i++) {
        k.im2col(x + (b0 + i) * xStride, col + 4 * i * hw, ld, g.inC, g.height, g.width, g.kernel, g.pad, g.outH, g.outW);
      }
      k.gatherRows(dy + b0 * outStride, dyMat, db, g.outC, items, hw);
      this.gemm.runInMemory(dyMat, col, dw, g.outC, kk, ld, false, true, true, packAt);
    }
  }
}
