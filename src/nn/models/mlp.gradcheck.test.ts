import { describe, expect, it } from 'vitest';
import { hiddenActivationKinds } from '../../kernels/activations';
import { CpuBackend } from '../../kernels/cpu';
import { Rng } from '../../kernels/rng';
import { checkParamGradients } from '../testing/param-gradcheck';
import { SoftmaxCrossEntropy } from '../loss';
import type { MlpConfig } from '../types';
import { MlpModel } from './mlp';

const IN = 7;
const CLASSES = 3;
const EPS = 1e-6;

/** Whole-network gradient check: analytic backward vs central finite differences, all in float64. */
function gradcheck(activation: MlpConfig['activation'], batch: number, smoothing: number, slope = 0.1): number {
  const backend = new CpuBackend({ precision: 'f64' });
  const model = new MlpModel(backend, { hidden: [5, 4], activation, leaky_slope: slope, inputSize: IN, outputSize: CLASSES }, 11);
  const loss = new SoftmaxCrossEntropy(backend, CLASSES, smoothing);
  const rng = new Rng(batch * 101 + 7);
  const x = backend.tensor([batch, IN], Array.from({ length: batch * IN }, () => rng.normal()));
  const labels = backend.tensor([batch], Array.from({ length: batch }, () => rng.int(CLASSES)));
  const lossValue = (): number => backend.readSync!(loss.forward(model.forward({ input: x }, true), labels).loss)[0];

  model.zeroGrad();
  const out = loss.forward(model.forward({ input: x }, true), labels);
  model.backward(out.dlogits);
  const { worst } = checkParamGradients(backend, model.params, lossValue, EPS);
  model.dispose();
  loss.dispose();
  return worst;
}

describe('MLP gradient check (float64, finite differences)', () => {
  // Hidden layers apply their activation themselves (Dense with a fused activation), except a
  // leaky relu with a negative slope, whose derivative needs the input: a separate layer.
  it('leaky_relu with a negative slope (activation as its own layer), batch 3', () => {
    expect(gradcheck('leaky_relu', 3, 0, -0.2)).toBeLessThan(1e-6);
  });
  for (const activation of hiddenActivationKinds()) {
    for (const batch of [3, 1]) {
      it(`${activation}, hidden [5,4], batch ${batch}`, () => {
        expect(gradcheck(activation, batch, 0)).toBeLessThan(1e-6);
        expect(gradcheck(activation, batch, 0.1)).toBeLessThan(1e-6);
      });
    }
  }

  it('accumulates gradients across backward calls until zeroGrad', () => {
    const backend = new CpuBackend({ precision: 'f64' });
    const model = new MlpModel(backend, { hidden: [4], activation: 'tanh', inputSize: 3, outputSize: 2 }, 1);
    const loss = new SoftmaxCrossEntropy(backend, 2);
    const x = backend.tensor([2, 3], [0.1, -0.2, 0.3, 0.5, 0.4, -0.6]);
    const y = backend.tensor([2], [0, 1]);
    const step = (): void => model.backward(loss.forward(model.forward({ input: x }, true), y).dlogits);
    model.zeroGrad();
    step();
    const once = Float64Array.from(backend.readSync!(model.params[0].grad));
    step();
    const twice = backend.readSync!(model.params[0].grad);
    once.forEach((g, i) => expect(twice[i]).toBeCloseTo(2 * g, 12));
    model.zeroGrad();
    expect(Array.from(backend.readSync!(model.params[0].grad)).every((g) => g === 0)).toBe(true);
  });
});
