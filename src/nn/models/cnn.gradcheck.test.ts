import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../kernels/cpu';
import { Rng } from '../../kernels/rng';
import { checkParamGradients } from '../testing/param-gradcheck';
import { lossFor } from '.';
import { CnnModel, type CnnKind } from './cnn';

const EPS = 1e-5;
const SHAPE = [1, 8, 12];

/**
 * Whole-network gradient check in float64: analytic backward vs central finite differences for
 * every parameter of a tiny CNN (channels [2,3], fc 5), with its own loss. EPS 1e-5: at 1e-6 the
 * rounding noise of the two-head loss (≈ 5) already reaches 1e-9 per difference.
 */
function gradcheck(kind: CnnKind, padding: number, batch: number, inputShape: number[]): number {
  const backend = new CpuBackend({ precision: 'f64' });
  const config = { padding, channels: [2, 3], fc: 5, inputShape, outputSize: 7 };
  const size = inputShape.reduce((a, b) => a * b, 1);
  const model = new CnnModel(backend, kind, config, 5);
  const classes = kind === 'cnn2head' ? 100 : 7;
  const loss = lossFor(model);
  const rng = new Rng(batch * 31 + padding);
  const x = backend.tensor([batch, size], Array.from({ length: batch * size }, () => rng.normal()));
  const labels = backend.tensor([batch], Array.from({ length: batch }, () => rng.int(classes)));
  const lossValue = (): number => backend.readSync!(loss.forward(model.forward({ input: x }, true), labels).loss)[0];

  model.zeroGrad();
  model.backward(loss.forward(model.forward({ input: x }, true), labels).dlogits);
  const { worst } = checkParamGradients(backend, model.params, lossValue, EPS);
  model.dispose();
  loss.dispose();
  return worst;
}

describe('CNN gradient check (float64, finite differences)', () => {
  for (const kind of ['cnn', 'cnn2head'] as const) {
    // Padding 0 shrinks every map by 2 before pooling, so it needs 10×14 to leave a 1×2 map.
    for (const [padding, batch, shape] of [[1, 3, [1, 8, 12]], [0, 2, [1, 10, 14]]] as const) {
      it(`${kind}, channels [2,3], fc 5, ${shape.join('×')}, padding ${padding}, batch ${batch}`, () => {
        expect(gradcheck(kind, padding, batch, [...shape])).toBeLessThan(1e-6);
      });
    }
  }

  it('cnn2head loss = CE(head1, tens) + CE(head2, ones), batch-mean as PyTorch', () => {
    const backend = new CpuBackend({ precision: 'f64' });
    const model = new CnnModel(backend, 'cnn2head', { padding: 1, channels: [2], fc: 4, inputShape: SHAPE }, 3);
    const rng = new Rng(9);
    const x = backend.tensor([4, 96], Array.from({ length: 4 * 96 }, () => rng.normal()));
    const y = [7, 42, 99, 0];
    const loss = lossFor(model);
    const logits = Array.from(backend.readSync!(model.forward({ input: x }, false)));
    const got = backend.readSync!(loss.forward(model.forward({ input: x }, false), backend.tensor([4], y)).loss)[0];
    const ce = (z: number[], label: number): number => {
      const m = Math.max(...z);
      return Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) + m - z[label];
    };
    const expected = y.reduce((a, label, r) => {
      const row = logits.slice(r * 20, r * 20 + 20);
      return a + ce(row.slice(0, 10), Math.floor(label / 10)) + ce(row.slice(10), label % 10);
    }, 0) / 4;
    expect(got).toBeCloseTo(expected, 12);
    model.dispose();
    loss.dispose();
  });

  it('a training step allocates nothing after warm-up; dispose frees every tensor', () => {
    const backend = new CpuBackend();
    const live = backend.liveTensors();
    for (const kind of ['cnn', 'cnn2head'] as const) {
      const model = new CnnModel(backend, kind, { padding: 1, channels: [2, 3], fc: 5, dropout: 0.3, inputShape: SHAPE }, 1);
      const loss = lossFor(model);
      const x = backend.tensor([4, 96], Array.from({ length: 384 }, (_, i) => Math.sin(i)));
      const y = backend.tensor([4], [1, 22, 53, 99]);
      const step = (): void => {
        model.zeroGrad();
        model.backward(loss.forward(model.forward({ input: x }, true), y).dlogits);
      };
      step();
      const { allocations } = backend.stats();
      const scratch = backend.stats().scratchGrowths;
      for (let i = 0; i < 3; i++) step();
      expect(backend.stats().allocations).toBe(allocations);
      expect(backend.stats().scratchGrowths).toBe(scratch);
      [x, y].forEach((t) => backend.dispose(t));
      loss.dispose();
      model.dispose();
      expect(backend.liveTensors()).toBe(live);
    }
  });
});
