import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../kernels/cpu';
import { Rng } from '../kernels/rng';
import { assertGradients, tensorParam } from '../kernels/testing/gradcheck';
import { SoftmaxCrossEntropy } from './loss';
import { DigitMarginalLoss } from './loss-digit-marginals';
import { TwoHeadLoss } from './loss-two-head';
import { CNN2HEAD_KIND, CNN_KIND } from './models/kinds/cnn';
import { resolveCnnConfig } from './models/cnn';

const DIGITS = 10, CLASSES = 100;

/** CE over the 100 numbers with smoothing ε + λ·(−log p_tens(a*) − log p_ones(b*)), batch mean, from explicit probabilities. */
function byHand(z: Float64Array, labels: number[], smoothing: number, lambda: number): number {
  let total = 0;
  labels.forEach((y, b) => {
    const row = Array.from(z.subarray(b * CLASSES, (b + 1) * CLASSES));
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    const p = row.map((v) => Math.exp(v - max) / sum);
    const ce = -row.reduce((s, _, k) => s + ((k === y ? 1 - smoothing : 0) + smoothing / CLASSES) * Math.log(p[k]), 0);
    const tens = Math.floor(y / DIGITS), ones = y % DIGITS;
    let pTens = 0, pOnes = 0;
    for (let d = 0; d < DIGITS; d++) {
      pTens += p[tens * DIGITS + d];
      pOnes += p[d * DIGITS + ones];
    }
    total += ce + lambda * (-Math.log(pTens) - Math.log(pOnes));
  });
  return total / labels.length;
}

describe('DigitMarginalLoss', () => {
  const backend = new CpuBackend({ precision: 'f64' });
  const rng = new Rng(3);
  const batch = 4;
  const zh = Float64Array.from({ length: batch * CLASSES }, () => 6 * rng.next() - 3);
  const yh = [0, 42, 97, 59];

  for (const [smoothing, lambda] of [[0, 1], [0.1, 0.5]]) {
    it(`loss = CE_100 + λ·(per-digit CEs) and dlogits = its gradient (ε ${smoothing}, λ ${lambda})`, () => {
      const loss = new DigitMarginalLoss(backend, DIGITS, lambda, smoothing);
      const logits = backend.tensor([batch, CLASSES], zh), labels = backend.tensor([batch], yh);
      const value = () => backend.readSync(loss.forward(logits, labels).loss)[0];
      expect(value()).toBeCloseTo(byHand(zh, yh, smoothing, lambda), 10);
      const dlogits = loss.forward(logits, labels).dlogits;
      assertGradients(value, [tensorParam(backend, 'logits', logits, dlogits)]);
      // The per-digit terms are really there: the plain joint loss is lower by λ·aux > 0.
      const plain = new SoftmaxCrossEntropy(backend, CLASSES, smoothing);
      expect(value() - backend.readSync(plain.forward(logits, labels).loss)[0]).toBeCloseTo(byHand(zh, yh, 0, lambda) - byHand(zh, yh, 0, 0), 10);
      expect(loss.scores(logits)).toBe(logits);
      plain.dispose();
      loss.dispose();
    });
  }

  it('allocates nothing per step once its batch size is warm', () => {
    const f32 = new CpuBackend();
    const loss = new DigitMarginalLoss(f32, DIGITS, 1);
    const logits = f32.tensor([batch, CLASSES], zh), labels = f32.tensor([batch], yh);
    loss.forward(logits, labels);
    const before = f32.stats().allocations;
    for (let i = 0; i < 5; i++) loss.forward(logits, labels);
    expect(f32.stats().allocations).toBe(before);
    loss.dispose();
  });

  it('is the cnn kind\'s loss when λ > 0; cnn2head and λ = 0 keep theirs; a cnn of other classes is refused', () => {
    const f32 = new CpuBackend();
    const net = { padding: 1, channels: [4], fc: 8, inputShape: [1, 28, 56], outputSize: CLASSES };
    const config = resolveCnnConfig('cnn', net);
    expect(CNN_KIND.loss(f32, config, { digitLoss: 0.5 })).toBeInstanceOf(DigitMarginalLoss);
    expect(CNN_KIND.loss(f32, config, { smoothing: 0.1 })).toBeInstanceOf(SoftmaxCrossEntropy);
    expect(CNN2HEAD_KIND.loss(f32, resolveCnnConfig('cnn2head', net), { digitLoss: 0.5 })).toBeInstanceOf(TwoHeadLoss);
    expect(() => CNN_KIND.loss(f32, { ...config, outputSize: 10 }, { digitLoss: 1 }))
      .toThrow('the digit loss needs the 100 classes 00–99 (two digits), but this cnn has 10 outputs');
    expect(() => new DigitMarginalLoss(f32, DIGITS, -1)).toThrow('the digit-marginal weight must be a number ≥ 0, got -1');
  });
});
