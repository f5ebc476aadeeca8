import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../kernels/backend';
import { CpuBackend } from '../../kernels/cpu';
import { Rng } from '../../kernels/rng';
import { checkParamGradients } from '../testing/param-gradcheck';
import { SoftmaxCrossEntropy } from '../loss';
import type { ModelBatch } from '../types';
import { RnnModel } from './rnn';

const H = 3, LAYERS = 2, T = 5, B = 3, C = 4, EPS = 1e-6;
const LENGTHS = [5, 3, 1];

interface Setup {
  backend: CpuBackend;
  model: RnnModel;
  loss: SoftmaxCrossEntropy;
  batch: ModelBatch;
  labels: Tensor;
}

/** Time-major input [T·B, 3] and lengths; padded steps hold `padding` (0, or finite garbage that must not matter). */
function setup(smoothing: number, padding: (rng: Rng) => number): Setup {
  const backend = new CpuBackend({ precision: 'f64' });
  const model = new RnnModel(backend, { hidden: H, layers: LAYERS, max_len: T, delta_scale: 1, outputSize: C }, 3);
  // Larger weights than nn.GRU's init so gates saturate somewhat and every path carries gradient.
  for (const p of model.params) {
    const v = Float64Array.from(backend.readSync(p.value), (w) => 2.5 * w);
    backend.write(p.value, v);
  }
  const rng = new Rng(17), garbage = new Rng(23);
  const host = new Float64Array(T * B * 3);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let f = 0; f < 3; f++) {
        const real = rng.normal();
        host[(t * B + b) * 3 + f] = t < LENGTHS[b] ? real : padding(garbage);
      }
    }
  }
  const batch = { input: backend.tensor([T * B, 3], host), lengths: backend.tensor([B], LENGTHS) };
  const labels = backend.tensor([B], [2, 0, 3]);
  return { backend, model, loss: new SoftmaxCrossEntropy(backend, C, smoothing), batch, labels };
}

/** The second of two passes, so buffers left dirty by an earlier step would show up. */
function analyticGrads(s: Setup): Float64Array[] {
  for (let pass = 0; pass < 2; pass++) {
    s.model.zeroGrad();
    s.model.backward(s.loss.forward(s.model.forward(s.batch, true), s.labels).dlogits);
  }
  return s.model.params.map((p) => Float64Array.from(s.backend.readSync(p.grad)));
}

function gradcheck(s: Setup): { worst: number; checked: number } {
  analyticGrads(s);
  const lossValue = (): number => s.backend.readSync(s.loss.forward(s.model.forward(s.batch, true), s.labels).loss)[0];
  return checkParamGradients(s.backend, s.model.params, lossValue, EPS);
}

describe('RnnModel gradient check (float64, H=3, L=2, T=5, B=3, lengths [5,3,1], C=4)', () => {
  for (const smoothing of [0, 0.1]) {
    it(`every parameter through fc and cross-entropy (label smoothing ${smoothing})`, () => {
      const s = setup(smoothing, () => 0);
      const { worst, checked } = gradcheck(s);
      expect(checked).toBe(s.model.parameterCount());
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('every parameter gets a nonzero gradient', () => {
    const s = setup(0, () => 0);
    for (const [i, g] of analyticGrads(s).entries()) {
      expect(g.some((v) => Math.abs(v) > 1e-8), s.model.params[i].name).toBe(true);
    }
  });

  it('finite garbage in padded steps changes neither logits nor gradients', () => {
    const clean = setup(0, () => 0), noisy = setup(0, (rng) => 1e3 * rng.normal());
    expect(Array.from(noisy.backend.readSync(noisy.model.forward(noisy.batch, false))))
      .toEqual(Array.from(clean.backend.readSync(clean.model.forward(clean.batch, false))));
    const a = analyticGrads(clean), b = analyticGrads(noisy);
    a.forEach((g, k) => g.forEach((v, i) => expect(b[k][i]).toBeCloseTo(v, 12)));
  });

  it('gradients accumulate across backward calls until zeroGrad', () => {
    const s = setup(0, () => 0);
    const once = analyticGrads(s);
    s.model.backward(s.loss.forward(s.model.forward(s.batch, true), s.labels).dlogits);
    s.model.params.forEach((p, k) => s.backend.readSync(p.grad).forEach((g, i) => expect(g).toBeCloseTo(2 * once[k][i], 12)));
  });

  it('dropout between layers acts in training only', () => {
    const backend = new CpuBackend({ precision: 'f64' });
    const config = { hidden: 6, layers: 2, max_len: T, delta_scale: 1, outputSize: C };
    const plain = new RnnModel(backend, config, 9), dropped = new RnnModel(backend, { ...config, dropout: 0.5 }, 9);
    const x = backend.tensor([T * B, 3], Array.from({ length: T * B * 3 }, (_, i) => Math.sin(i)));
    const batch = { input: x, lengths: backend.tensor([B], LENGTHS) };
    const reference = Array.from(backend.readSync(plain.forward(batch, false)));
    expect(Array.from(backend.readSync(dropped.forward(batch, false)))).toEqual(reference);
    const trained = Array.from(backend.readSync(dropped.forward(batch, true)));
    expect(trained.some((v, i) => Math.abs(v - reference[i]) > 1e-6)).toBe(true);
  });

  it('dropout on the final states: training only, and its gradient matches finite differences under the same mask', () => {
    const base = setup(0.1, () => 0);
    const weights = base.model.params.map((p) => Float64Array.from(base.backend.readSync(p.value)));
    const config = { hidden: H, layers: LAYERS, max_len: T, delta_scale: 1, outputSize: C, head_dropout: 0.5 };
    // A fresh model draws the same first mask (same seed, first call), so each loss below sees one mask.
    const fresh = (values: Float64Array[]): RnnModel => {
      const m = new RnnModel(base.backend, config, 3);
      m.params.forEach((p, k) => base.backend.write(p.value, values[k]));
      return m;
    };
    const lossOf = (m: RnnModel): number => base.backend.readSync(base.loss.forward(m.forward(base.batch, true), base.labels).loss)[0];
    const inference = (m: RnnModel) => Array.from(base.backend.readSync(m.forward(base.batch, false)));
    expect(inference(fresh(weights))).toEqual(inference(base.model));
    const model = fresh(weights);
    model.zeroGrad();
    model.backward(base.loss.forward(model.forward(base.batch, true), base.labels).dlogits);
    let worst = 0, checked = 0;
    model.params.forEach((p, k) => {
      const analytic = base.backend.readSync(p.grad);
      for (let i = 0; i < Math.min(6, analytic.length); i++) {
        const at = (delta: number) => {
          const values = weights.map((w) => w.slice());
          values[k][i] += delta;
          return lossOf(fresh(values));
        };
        const numeric = (at(EPS) - at(-EPS)) / (2 * EPS);
        worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i])));
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(40);
    expect(worst).toBeLessThan(1e-6);
    // The mask really drops something: a training forward differs from inference.
    const trained = Array.from(base.backend.readSync(fresh(weights).forward(base.batch, true)));
    expect(trained.some((v, i) => Math.abs(v - inference(base.model)[i]) > 1e-6)).toBe(true);
  });
});
