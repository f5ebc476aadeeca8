import { activationKinds, activationSpec } from '../activations';
import type { ActivationKind, AdamParams } from '../backend';
import type { ConformanceCase } from './conformance-util';
import { ROW_SHAPES } from './conformance-util';
import {
  activationDerivRef, activationRef, adamRef, dropoutMaskRef, momentumRef, sgdRef, softmaxCrossEntropyRef,
} from './reference';

// Tails of the 4-wide SIMD loops (1..3 past a multiple of 4) and a large odd size.
const SIZES = [1, 3, 6, 7, 64, 1001];

/** Forward (also in place) and backward of each activation, against the float64 reference. */
export function activationCases(kinds: readonly ActivationKind[]): ConformanceCase[] {
  return kinds.map((kind): ConformanceCase => ({
    name: `activation ${kind}: forward (also in place) and backward`,
    async run(ctx) {
      const slope = activationSpec(kind).usesSlope ? 0.2 : undefined;
      for (const n of SIZES) {
        const [x, xh] = ctx.random([n], -4, 4);
        const [dy, dyh] = ctx.random([n]);
        const y = ctx.tensor([n]), dx = ctx.tensor([n]);
        const yh = xh.map((v) => activationRef(kind, v, slope));
        ctx.backend.activation(kind, x, y, slope);
        await ctx.expectClose(`${kind} forward n=${n}`, y, yh);
        ctx.backend.activationBackward(kind, x, y, dy, dx, slope);
        await ctx.expectClose(`${kind} backward n=${n}`, dx, xh.map((v, i) => dyh[i] * activationDerivRef(kind, v, slope)));
        ctx.backend.activationBackward(kind, x, y, dy, dy, slope);
        await ctx.expectClose(`${kind} backward in place n=${n}`, dy, xh.map((v, i) => dyh[i] * activationDerivRef(kind, v, slope)));
        ctx.backend.activation(kind, x, x, slope);
        await ctx.expectClose(`${kind} in place n=${n}`, x, yh);
      }
    },
  }));
}

/** Elementwise ops, loss, dropout and optimizer steps. */
export const opsCases: ConformanceCase[] = [
  ...activationCases(activationKinds()),
  {
    name: 'scale, axpy, mul',
    async run(ctx) {
      for (const n of SIZES) {
        const [x, xh] = ctx.random([n]);
        const [y, yh] = ctx.random([n]);
        const out = ctx.tensor([n]);
        ctx.backend.scale(x, -1.5, out);
        await ctx.expectClose(`scale n=${n}`, out, xh.map((v) => -1.5 * v));
        ctx.backend.mul(x, y, out);
        await ctx.expectClose(`mul n=${n}`, out, xh.map((v, i) => v * yh[i]));
        ctx.backend.axpy(0.25, x, y);
        await ctx.expectClose(`axpy n=${n}`, y, yh.map((v, i) => v + 0.25 * xh[i]));
        ctx.backend.scale(x, 3, x);
        await ctx.expectClose(`scale in place n=${n}`, x, xh.map((v) => 3 * v));
      }
    },
  },
  ...[0, 0.1].map((smoothing): ConformanceCase => ({
    name: `softmaxCrossEntropy, label smoothing ${smoothing}`,
    async run(ctx) {
      for (const [rows, cols] of [...ROW_SHAPES.filter(([, c]) => c > 1), [5, 10]] as [number, number][]) {
        const [logits, zh] = ctx.random([rows, cols], -8, 8);
        const yh = ctx.labels(rows, cols);
        const labels = ctx.tensor([rows], yh);
        const probs = ctx.tensor([rows, cols]), dlogits = ctx.tensor([rows, cols]), loss = ctx.tensor([1]);
        ctx.backend.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, smoothing);
        const want = softmaxCrossEntropyRef(zh, yh, rows, cols, smoothing);
        const label = `${rows}x${cols}`;
        await ctx.expectClose(`loss ${label}`, loss, [want.loss]);
        await ctx.expectClose(`probs ${label}`, probs, want.probs);
        await ctx.expectClose(`dlogits ${label}`, dlogits, want.dlogits);
      }
    },
  })),
  {
    name: 'softmaxCrossEntropy stays finite on huge logits and rejects bad labels',
    async run(ctx) {
      const zh = [1000, -1000, 999, 0, -5e4, 5e4];
      const logits = ctx.tensor([2, 3], zh), labels = ctx.tensor([2], [0, 1]);
      const probs = ctx.tensor([2, 3]), dlogits = ctx.tensor([2, 3]), loss = ctx.tensor([1]);
      ctx.backend.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, 0.1);
      const want = softmaxCrossEntropyRef(zh, [0, 1], 2, 3, 0.1);
      await ctx.expectClose('huge logits loss', loss, [want.loss]);
      await ctx.expectClose('huge logits dlogits', dlogits, want.dlogits);
      const bad = ctx.tensor([2], [0, 3]);
      ctx.expectThrow('label out of range', () => ctx.backend.softmaxCrossEntropy(logits, bad, probs, dlogits, loss, 0), /label/);
    },
  },
  {
    name: 'dropout draws the shared hash mask (p = 0, 0.3, 0.5, 1)',
    async run(ctx) {
      for (const p of [0, 0.3, 0.5, 1]) {
        for (const n of SIZES) {
          const [x, xh] = ctx.random([n]);
          const mask = ctx.tensor([n]), out = ctx.tensor([n]);
          const seed = 1000 + n;
          ctx.backend.dropout(x, mask, out, p, seed);
          const mh = dropoutMaskRef(n, p, seed);
          await ctx.expectClose(`mask p=${p} n=${n}`, mask, mh);
          await ctx.expectClose(`out p=${p} n=${n}`, out, xh.map((v, i) => v * mh[i]));
        }
      }
    },
  },
  {
    name: 'sgdStep and momentumStep over several steps (PyTorch formulas)',
    async run(ctx) {
      for (const n of SIZES) {
        const [p, ph] = ctx.random([n]);
        const [q, qh] = ctx.random([n]);
        const velocity = ctx.tensor([n]);
        const buf = new Float64Array(n);
        for (let step = 0; step < 4; step++) {
          const gh = ctx.uniform(n);
          const g = ctx.tensor([n], gh);
          ctx.backend.sgdStep(p, g, 0.1, 0.01);
          sgdRef(ph, gh, 0.1, 0.01);
          ctx.backend.momentumStep(q, g, velocity, 0.05, 0.9, 5e-4);
          momentumRef(qh, gh, buf, step === 0, 0.05, 0.9, 5e-4);
        }
        await ctx.expectClose(`sgd n=${n}`, p, ph);
        await ctx.expectClose(`momentum n=${n}`, q, qh);
        await ctx.expectClose(`velocity n=${n}`, velocity, buf);
      }
    },
  },
  ...[false, true].map((decoupled): ConformanceCase => ({
    name: `adamStep (${decoupled ? 'AdamW decoupled' : 'Adam with L2'}) over several steps`,
    async run(ctx) {
      for (const n of SIZES) {
        const [p, ph] = ctx.random([n]);
        const m = ctx.tensor([n]), v = ctx.tensor([n]);
        const mh = new Float64Array(n), vh = new Float64Array(n);
        for (let step = 1; step <= 5; step++) {
          const gh = ctx.uniform(n);
          const o: AdamParams = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, weightDecay: 0.05, decoupled };
          ctx.backend.adamStep(p, ctx.tensor([n], gh), m, v, o);
          adamRef(ph, gh, mh, vh, o);
        }
        await ctx.expectClose(`param n=${n}`, p, ph);
        await ctx.expectClose(`m n=${n}`, m, mh);
        await ctx.expectClose(`v n=${n}`, v, vh);
      }
    },
  })),
];
