/**
 * The MLP takes an activation registered from its own file (testing/silu.ts) with no edit in nn:
 * its config accepts it, its derivative needs the input so it runs as its own layer (not fused),
 * and the whole network's gradients match central finite differences.
 */
import { describe, expect, it } from 'vitest';
import { registerActivation } from '../../kernels/activations';
import { CpuBackend } from '../../kernels/cpu';
import { Rng } from '../../kernels/rng';
import { silu } from '../../kernels/testing/silu';
import { Activation } from '../layers/activation';
import { SoftmaxCrossEntropy } from '../loss';
import { checkParamGradients } from '../testing/param-gradcheck';
import type { MlpConfig } from '../types';
import { MlpModel, resolveMlpConfig } from './mlp';

registerActivation(silu);
const SILU = 'silu' as MlpConfig['activation'];

describe('MLP with an activation registered at run time', () => {
  it('accepts it in its config and records it in the weight file config', () => {
    expect(resolveMlpConfig({ hidden: [4], activation: SILU }).activation).toBe('silu');
    const model = new MlpModel(new CpuBackend(), { hidden: [4], activation: SILU, inputSize: 3, outputSize: 2 }, 1);
    expect(model.configJson()).toEqual({ hidden: [4], activation: 'silu' });
    model.dispose();
  });

  it('gradients match central finite differences (float64, hidden [5,4], batch 3)', () => {
    const backend = new CpuBackend({ precision: 'f64' });
    const model = new MlpModel(backend, { hidden: [5, 4], activation: SILU, inputSize: 6, outputSize: 3 }, 11);
    const loss = new SoftmaxCrossEntropy(backend, 3);
    const rng = new Rng(5);
    const x = backend.tensor([3, 6], Array.from({ length: 18 }, () => rng.normal()));
    // Its derivative needs the input, which a Dense layer does not keep: an Activation layer applies it.
    const activations: string[] = [];
    model.forwardVisiting(x, false, (layer) => { if (layer instanceof Activation) activations.push(layer.name); });
    expect(activations).toEqual(['act1', 'act2']);
    const labels = backend.tensor([3], [0, 2, 1]);
    const lossValue = (): number => backend.readSync(loss.forward(model.forward({ input: x }, true), labels).loss)[0];
    model.zeroGrad();
    model.backward(loss.forward(model.forward({ input: x }, true), labels).dlogits);
    const { worst, checked } = checkParamGradients(backend, model.params, lossValue, 1e-6);
    expect(checked).toBe(6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
    expect(worst).toBeLessThan(1e-6);
    model.dispose();
    loss.dispose();
  });
});
