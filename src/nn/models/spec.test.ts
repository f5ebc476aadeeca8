import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../kernels/cpu';
import type { StateDict } from '../types';
import { buildModel, modelFromWeights, stateDictOf } from '.';
import { SPEC_LIMITS, checkTensorsFit, modelSpecOf, type ModelWeights } from './spec';

const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));

/** A backend that counts tensor allocations, so a test can assert that a refusal allocated nothing. */
class CountingBackend extends CpuBackend {
  allocations = 0;
  override tensor(shape: readonly number[], data?: ArrayLike<number>) {
    this.allocations++;
    return super.tensor(shape, data);
  }
}

function tiny(name: string, shape: number[]): StateDict {
  return new Map([[name, { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) }]]);
}

function refused(w: ModelWeights, message: RegExp | string): void {
  const backend = new CountingBackend();
  expect(() => modelFromWeights(backend, w)).toThrow(message);
  expect(backend.allocations).toBe(0);
}

const sample = {
  mlp: { model: 'mlp', config: { hidden: [6, 5], activation: 'relu' } },
  cnn: { model: 'cnn', config: { padding: 1, channels: [2, 3], fc: 4 } },
  cnn2head: { model: 'cnn2head', config: { padding: 0, channels: [2], fc: 4 } },
  rnn: { model: 'rnn', config: { hidden: 4, layers: 2, max_len: 20, delta_scale: 10 } },
} as const;

describe('modelSpecOf', () => {
  it('lists exactly the tensors (names, shapes, order) and parameter count of the model it describes', () => {
    const backend = new CpuBackend();
    for (const [kind, s] of Object.entries(sample)) {
      const model = buildModel(backend, kind as keyof typeof sample, { ...s.config, inputSize: 12, inputShape: [1, 12, 16], outputSize: 10 } as never, 1);
      // The CNN's input size is read from norm.* (else paired MNIST's 28×56).
      if (kind.startsWith('cnn')) model.norm = { mean: new Float32Array(192), std: new Float32Array(192).fill(1) };
      const tensors = stateDictOf(model);
      const spec = modelSpecOf({ model: kind, config: { ...s.config }, classes: kind === 'cnn2head' ? [] : DIGITS, tensors });
      expect(spec.tensors).toEqual(model.params.map((p) => ({ name: p.name, shape: [...p.value.shape] })));
      expect(spec.parameterCount).toBe(model.parameterCount());
      expect(() => checkTensorsFit(spec, tensors)).not.toThrow();
    }
  });

  it('refuses a 20000×20000 MLP declared by a file holding one 1×1 tensor, without allocating', () => {
    const w = { model: 'mlp', config: { hidden: [20000, 20000], activation: 'relu' }, classes: DIGITS, tensors: tiny('fc1.weight', [1, 1]) };
    refused(w, 'mlp config declares 400,260,010 parameters, the limit is 20,000,000');
  });

  it('caps every config value an attacker controls, per model kind', () => {
    const mlp = (config: Record<string, unknown>, fc1 = [1, 784]) => ({ model: 'mlp', config, classes: DIGITS, tensors: tiny('fc1.weight', fc1) });
    refused(mlp({ hidden: Array(40).fill(1), activation: 'relu' }), /the number of hidden layers is 40, the limit is 32/);
    refused(mlp({ hidden: [1 << 20], activation: 'relu' }, [1, 1]), /hidden\[0\] is 1048576, the limit is 65536/);
    refused(mlp({ hidden: [1], activation: 'relu' }, [1, 1 << 20]), /the input size is 1048576/);
    refused({ ...mlp({ hidden: [1], activation: 'relu' }), classes: Array(20000).fill('x') }, /number of classes is 20000/);
    const conv1 = tiny('conv1.weight', [1, 1, 3, 3]);
    refused({ model: 'cnn', config: { padding: 1, channels: [4096, 4096], fc: 4096 }, classes: DIGITS, tensors: conv1 },
      /cnn config: the largest feature map \(values per example\) is 6422528/);
    refused({ model: 'cnn2head', config: { padding: 1, channels: [64, 64], fc: 60000 }, classes: [], tensors: conv1 },
      /cnn2head config declares [\d,]+ parameters, the limit is 20,000,000/);
    refused({ model: 'cnn', config: { padding: 1000, channels: [1], fc: 1 }, classes: DIGITS, tensors: conv1 }, /padding is 1000/);
    refused({ model: 'cnn', config: { padding: 0, channels: Array(40).fill(1), fc: 1 }, classes: DIGITS, tensors: conv1 }, /conv blocks is 40/);
    refused({ model: 'cnn', config: { padding: 0, channels: [1, 1, 1, 1, 1, 1], fc: 1 }, classes: DIGITS, tensors: conv1 }, /leave no feature map|does not fit/);
    const rnn = (config: Record<string, unknown>) => ({ model: 'rnn', config: { ...sample.rnn.config, ...config }, classes: DIGITS, tensors: new Map() });
    refused(rnn({ hidden: 5000 }), /rnn config declares [\d,]+ parameters/);
    refused(rnn({ hidden: 100000 }), /rnn config: hidden is 100000/);
    refused(rnn({ layers: 1000 }), /layers is 1000/);
    refused(rnn({ max_len: 1e9 }), /max_len is 1000000000/);
    refused({ model: 'gpt', config: {}, classes: DIGITS, tensors: new Map() }, /model kind 'gpt' is not supported/);
  });
});

describe('checkTensorsFit', () => {
  const backend = new CpuBackend();
  const model = buildModel(backend, 'mlp', { hidden: [6], activation: 'relu', inputSize: 8, outputSize: 10 }, 2);
  const file = (): ModelWeights => ({ model: 'mlp', config: { hidden: [6], activation: 'relu' }, classes: DIGITS, tensors: stateDictOf(model) });

  it('names a missing tensor, an extra tensor and a shape that does not fit, before allocating', () => {
    const missing = file();
    missing.tensors.delete('fc2.bias');
    refused(missing, 'fc2.bias: missing from the weight file');
    const extra = file();
    extra.tensors.set('fc3.weight', { shape: [1], data: new Float32Array(1) });
    refused(extra, /fc3.weight: unexpected tensor for this mlp/);
    const wrong = file();
    wrong.tensors.set('fc2.weight', { shape: [10, 7], data: new Float32Array(70) });
    refused(wrong, 'fc2.weight: expected shape [10,6], file has [10,7]');
    const short = file();
    short.tensors.set('fc2.bias', { shape: [10], data: new Float32Array(9) });
    refused(short, 'fc2.bias: shape [10] needs 10 values, file has 9');
  });

  it('accepts norm.* next to the model tensors and builds the model', () => {
    const w = file();
    w.tensors.set('norm.mean', { shape: [8], data: new Float32Array(8) });
    w.tensors.set('norm.std', { shape: [8], data: new Float32Array(8).fill(1) });
    const loaded = modelFromWeights(new CpuBackend(), w);
    expect(loaded.norm?.std).toEqual(new Float32Array(8).fill(1));
    expect(SPEC_LIMITS.parameters).toBeGreaterThan(10 * loaded.parameterCount());
  });
});
