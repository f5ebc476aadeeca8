import type { ConformanceCase } from './conformance-util';
import {
  conv2dBackwardInputRef, conv2dBackwardWeightRef, conv2dRef, convOutSize, maxPool2dBackwardRef, maxPool2dRef,
  type ConvDims,
} from './reference-conv';

/**
 * Convolution shapes: batch 1, odd sizes, kernels 1/2/3/5, padding 0/1/2, a padding wider than
 * the image, the seed CNN's first layer, 3×3 with few and many input channels (a CPU backend
 * may switch algorithms on C), and one big enough that the batch is split across several GEMM
 * groups.
 */
const CONV_DIMS: readonly ConvDims[] = [
  { batch: 1, inC: 1, h: 1, w: 1, outC: 1, k: 1, pad: 0 },
  { batch: 3, inC: 3, h: 7, w: 9, outC: 2, k: 3, pad: 0 },
  { batch: 3, inC: 3, h: 7, w: 9, outC: 2, k: 3, pad: 1 },
  { batch: 2, inC: 5, h: 6, w: 5, outC: 7, k: 2, pad: 1 },
  { batch: 2, inC: 5, h: 7, w: 5, outC: 3, k: 3, pad: 0 },
  { batch: 2, inC: 9, h: 5, w: 8, outC: 3, k: 3, pad: 1 },
  { batch: 1, inC: 2, h: 4, w: 4, outC: 3, k: 5, pad: 2 },
  { batch: 1, inC: 2, h: 1, w: 1, outC: 2, k: 5, pad: 2 },
  { batch: 2, inC: 1, h: 3, w: 1, outC: 2, k: 3, pad: 1 },
  { batch: 2, inC: 1, h: 28, w: 56, outC: 4, k: 3, pad: 1 },
  { batch: 3, inC: 16, h: 30, w: 30, outC: 5, k: 3, pad: 1 },
];

const label = (d: ConvDims): string => `B${d.batch} C${d.inC} ${d.h}×${d.w} O${d.outC} k${d.k} pad${d.pad}`;
const xShape = (d: ConvDims): number[] => [d.batch, d.inC, d.h, d.w];
const wShape = (d: ConvDims): number[] => [d.outC, d.inC, d.k, d.k];
const yShape = (d: ConvDims): number[] => [d.batch, d.outC, ...convOutSize(d)];

/** Pool input sizes: odd H and/or W (floor mode), batch 1, a single window, the seed CNN's. */
const POOL_SHAPES: ReadonlyArray<[number, number, number, number]> = [
  [1, 1, 2, 2], [1, 1, 3, 3], [2, 3, 5, 7], [3, 2, 8, 6], [1, 4, 9, 1], [2, 16, 28, 56],
  // Output rows of 5 and 9 windows (a 4-window SIMD block plus a tail), odd trailing row/column.
  [2, 1, 4, 10], [1, 2, 7, 19], [1, 1, 3, 17],
];

/** conv2d, its two gradients, max-pool and its gradient. */
export const convCases: ConformanceCase[] = [
  {
    name: 'conv2d forward (cross-correlation, zero padding) on odd shapes and kernels',
    async run(ctx) {
      for (const d of CONV_DIMS) {
        const [x, xh] = ctx.random(xShape(d));
        const [w, wh] = ctx.random(wShape(d));
        const [bias, bh] = ctx.random([d.outC]);
        const [out] = ctx.random(yShape(d), 5, 6);
        ctx.backend.conv2d(x, w, bias, out, d.pad);
        await ctx.expectClose(`conv2d ${label(d)}`, out, conv2dRef(xh, wh, bh, d));
      }
    },
  },
  {
    name: 'conv2dBackwardInput overwrites dx with the input gradient',
    async run(ctx) {
      for (const d of CONV_DIMS) {
        const [dy, dyh] = ctx.random(yShape(d));
        const [w, wh] = ctx.random(wShape(d));
        const [dx] = ctx.random(xShape(d), 5, 6);
        ctx.backend.conv2dBackwardInput(dy, w, dx, d.pad);
        await ctx.expectClose(`conv2dBackwardInput ${label(d)}`, dx, conv2dBackwardInputRef(dyh, wh, d));
      }
    },
  },
  {
    name: 'conv2dBackwardWeight: weight and bias gradients, overwrite and accumulate',
    async run(ctx) {
      for (const d of CONV_DIMS) {
        const [x, xh] = ctx.random(xShape(d));
        const [dy, dyh] = ctx.random(yShape(d));
        const [dw, dwPrior] = ctx.random(wShape(d));
        const [db, dbPrior] = ctx.random([d.outC]);
        const [wantW, wantB] = conv2dBackwardWeightRef(xh, dyh, d);
        ctx.backend.conv2dBackwardWeight(x, dy, dw, db, d.pad, true);
        await ctx.expectClose(`dweight accumulate ${label(d)}`, dw, wantW.map((v, i) => v + dwPrior[i]));
        await ctx.expectClose(`dbias accumulate ${label(d)}`, db, wantB.map((v, i) => v + dbPrior[i]));
        ctx.backend.conv2dBackwardWeight(x, dy, dw, db, d.pad);
        await ctx.expectClose(`dweight ${label(d)}`, dw, wantW);
        await ctx.expectClose(`dbias ${label(d)}`, db, wantB);
      }
    },
  },
  {
    name: 'maxPool2d 2×2 (odd sizes, ties: first wins) and its backward scatter',
    async run(ctx) {
      for (const [batch, ch, h, w] of POOL_SHAPES) {
        // Multiples of 1/16 are exact in float32 and collide often, so ties get exercised.
        const xh = Float64Array.from({ length: batch * ch * h * w }, () => (ctx.rng.int(32) - 16) / 16);
        const x = ctx.tensor([batch, ch, h, w], xh);
        const pooled = [batch, ch, Math.floor(h / 2), Math.floor(w / 2)];
        const out = ctx.tensor(pooled), argmax = ctx.tensor(pooled);
        const [dy, dyh] = ctx.random(pooled);
        const [dx] = ctx.random([batch, ch, h, w], 5, 6);
        const [want, wantIdx] = maxPool2dRef(xh, batch * ch, h, w);
        const name = `[${batch},${ch},${h},${w}]`;
        ctx.backend.maxPool2d(x, out, argmax);
        await ctx.expectClose(`maxPool2d ${name}`, out, want);
        await ctx.expectEqual(`maxPool2d argmax ${name}`, argmax, wantIdx);
        ctx.backend.maxPool2dBackward(dy, argmax, dx);
        await ctx.expectClose(`maxPool2dBackward ${name}`, dx, maxPool2dBackwardRef(dyh, wantIdx, batch * ch, h, w));
      }
    },
  },
  {
    name: 'maxPool2d: NaN wins its window; CPU kernels scatter any in-plane argmax and reject others',
    async run(ctx) {
      const b = ctx.backend;
      // Two rows of 5 windows; NaN at window 1 (bottom right) and window 4 (top left).
      const xh = [1, 2, 3, 4, 5, 6, 7, 8, NaN, 0, 0, 1, 2, NaN, 4, 3, 2, 1, 9, 5];
      const x = ctx.tensor([1, 1, 2, 10], xh), out = ctx.tensor([1, 1, 1, 5]), argmax = ctx.tensor([1, 1, 1, 5]);
      b.maxPool2d(x, out, argmax);
      const got = await b.read(out);
      if (!Number.isNaN(got[1]) || !Number.isNaN(got[4])) throw new Error(`NaN windows pooled to ${got[1]}, ${got[4]}`);
      await ctx.expectEqual('argmax with NaN', argmax, [1, 13, 5, 7, 8]);
      const dx = ctx.tensor([1, 1, 2, 10], Array.from({ length: 20 }, () => 7));
      // An argmax outside its window (or repeated) is still a pixel: the CPU kernels scatter-add, as
      // the reference. WebGL2 gathers per input pixel from its own window (a fragment shader cannot
      // scatter), so there argmax must come from maxPool2d, which is all training ever passes.
      if (b.name !== 'webgl2') {
        const foreign = [19, 0, 0, 5, 12];
        const dyh = [1, 2, 3, 4, 5];
        b.maxPool2dBackward(ctx.tensor([1, 1, 1, 5], dyh), ctx.tensor([1, 1, 1, 5], foreign), dx);
        await ctx.expectClose('scatter to foreign argmax', dx, maxPool2dBackwardRef(dyh, foreign, 1, 2, 10));
        // The CPU kernels read argmax on the host anyway, so they also refuse indices off the plane.
        for (const bad of [20, -1, 2.5, NaN]) {
          const idx = ctx.tensor([1, 1, 1, 5], [1, 13, bad, 7, 8]);
          ctx.expectThrow(`argmax ${bad}`, () => b.maxPool2dBackward(ctx.tensor([1, 1, 1, 5]), idx, dx), /argmax holds/);
        }
      }
    },
  },
  {
    name: 'conv2d / maxPool2d shape errors',
    async run(ctx) {
      const b = ctx.backend;
      const x = ctx.tensor([2, 3, 6, 6]), w = ctx.tensor([4, 3, 3, 3]), bias = ctx.tensor([4]);
      ctx.expectThrow('channels', () => b.conv2d(x, ctx.tensor([4, 2, 3, 3]), bias, ctx.tensor([2, 4, 6, 6]), 1), /channels/);
      ctx.expectThrow('out shape', () => b.conv2d(x, w, bias, ctx.tensor([2, 4, 6, 6]), 0), /\[2,4,4,4\]/);
      ctx.expectThrow('bias', () => b.conv2d(x, w, ctx.tensor([3]), ctx.tensor([2, 4, 6, 6]), 1), /bias/);
      ctx.expectThrow('dy shape', () => b.conv2dBackwardWeight(x, ctx.tensor([2, 4, 5, 6]), w, bias, 1), /dy/);
      ctx.expectThrow('pool out', () => b.maxPool2d(x, ctx.tensor([2, 3, 3, 2]), ctx.tensor([2, 3, 3, 3])), /\[2,3,3,3\]/);
      ctx.expectThrow('pool 3-D', () => b.maxPool2d(ctx.tensor([3, 6, 6]), ctx.tensor([3, 3, 3]), ctx.tensor([3, 3, 3])), /4-D/);
    },
  },
];
