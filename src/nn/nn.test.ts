import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../kernels/cpu';
import { Dropout } from './layers/dropout';
import { initStd } from './init';
import { buildModel, loadStateDict, modelFromWeights, stateDictOf } from './models';
import { MlpModel } from './models/mlp';
import { GradNormClipper, createOptimizer } from './optimizers';
import type { Param } from './types';

const f64 = (): CpuBackend => new CpuBackend({ precision: 'f64' });

function param(backend: CpuBackend, value: number[], grad: number[], decay: boolean): Param {
  return { name: 'p', value: backend.tensor([value.length], value), grad: backend.tensor([grad.length], grad), decay };
}

describe('init', () => {
  it('same seed gives bit-identical weights, another seed different ones', () => {
    const backend = new CpuBackend();
    const a = stateDictOf(buildModel(backend, 'mlp', { hidden: [32, 16], activation: 'relu' }, 5));
    const b = stateDictOf(buildModel(backend, 'mlp', { hidden: [32, 16], activation: 'relu' }, 5));
    const c = stateDictOf(buildModel(backend, 'mlp', { hidden: [32, 16], activation: 'relu' }, 6));
    for (const [name, t] of a) expect(b.get(name)!.data).toEqual(t.data);
    expect(c.get('fc1.weight')!.data).not.toEqual(a.get('fc1.weight')!.data);
  });

  it('He for relu, Xavier for tanh, zero biases', () => {
    const backend = new CpuBackend();
    for (const activation of ['relu', 'tanh'] as const) {
      const sd = stateDictOf(buildModel(backend, 'mlp', { hidden: [256], activation }, 1));
      const w = sd.get('fc1.weight')!.data;
      const std = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
      const expected = activation === 'relu' ? Math.sqrt(2 / 784) : Math.sqrt(2 / (784 + 256));
      expect(std / expected).toBeGreaterThan(0.98);
      expect(std / expected).toBeLessThan(1.02);
      expect(sd.get('fc1.bias')!.data.every((b) => b === 0)).toBe(true);
    }
    expect(initStd('he', 100, 10, 0.2)).toBeCloseTo(Math.sqrt(2 / (1.04 * 100)), 12);
  });
});

describe('optimizers', () => {
  it('SGD with L2 on weights only', () => {
    const backend = f64();
    const w = param(backend, [1, 2], [0.5, -1], true);
    const b = param(backend, [1, 2], [0.5, -1], false);
    createOptimizer(backend, [w, b], { kind: 'sgd', lr: 0.1, weightDecay: 0.01 }).step();
    expect(Array.from(backend.readSync(w.value))).toEqual([1 - 0.1 * (0.5 + 0.01), 2 - 0.1 * (-1 + 0.02)]);
    expect(Array.from(backend.readSync(b.value))).toEqual([1 - 0.05, 2 + 0.1]);
  });

  it('momentum follows PyTorch over two steps', () => {
    const backend = f64();
    const w = param(backend, [1], [2], true);
    const opt = createOptimizer(backend, [w], { kind: 'momentum', lr: 0.1, momentum: 0.9, weightDecay: 0 });
    opt.step();
    opt.step();
    // v1 = 2, p1 = 0.8; v2 = 0.9·2 + 2 = 3.8, p2 = 0.8 − 0.38
    expect(backend.readSync(w.value)[0]).toBeCloseTo(0.42, 12);
  });

  it('Adam and AdamW follow PyTorch, decay only where Param.decay', () => {
    const backend = f64();
    const a = param(backend, [1], [0.5], true);
    createOptimizer(backend, [a], { kind: 'adam', lr: 0.01, weightDecay: 0.1 }).step();
    // g = 0.5 + 0.1·1 = 0.6; first step: m̂ = g, v̂ = g², p −= lr·g/(|g|+eps)
    expect(backend.readSync(a.value)[0]).toBeCloseTo(1 - 0.01 * (0.6 / (0.6 + 1e-8)), 12);
    const w = param(backend, [1], [0.5], true);
    const bias = param(backend, [1], [0.5], false);
    const adamw = createOptimizer(backend, [w, bias], { kind: 'adamw', lr: 0.01, weightDecay: 0.1 });
    adamw.step();
    expect(backend.readSync(w.value)[0]).toBeCloseTo(1 * (1 - 0.001) - 0.01 * (0.5 / (0.5 + 1e-8)), 12);
    expect(backend.readSync(bias.value)[0]).toBeCloseTo(1 - 0.01 * (0.5 / (0.5 + 1e-8)), 12);
    expect(adamw.steps).toBe(1);
  });

  it('rejects a non-positive learning rate', () => {
    expect(() => createOptimizer(f64(), [], { kind: 'adam', lr: 0, weightDecay: 0 })).toThrow(/learning rate/);
  });

  it('global-norm clipping scales all gradients together', async () => {
    const backend = f64();
    const p1 = param(backend, [0], [3], true);
    const p2 = param(backend, [0], [4], false);
    const clipper = new GradNormClipper(backend);
    expect(await clipper.clip([p1, p2], 10)).toBeCloseTo(5, 12);
    expect(backend.readSync(p1.grad)[0]).toBe(3);
    await clipper.clip([p1, p2], 1);
    expect(backend.readSync(p1.grad)[0]).toBeCloseTo(0.6, 5);
    expect(backend.readSync(p2.grad)[0]).toBeCloseTo(0.8, 5);
  });
});

describe('Dropout', () => {
  it('drops about p of the units, scales the rest, passes the mask to the gradient', () => {
    const backend = f64();
    const drop = new Dropout(backend, 'd', 0.25, 1000, 3);
    const x = backend.tensor([2, 1000], new Array(2000).fill(1));
    const y = Array.from(backend.readSync(drop.forward(x, true)));
    const dropped = y.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(400);
    expect(dropped).toBeLessThan(600);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.75) < 1e-12)).toBe(true);
    const dx = Array.from(backend.readSync(drop.backward(x)));
    expect(dx).toEqual(y);
    const y2 = Array.from(backend.readSync(drop.forward(x, true)));
    expect(y2).not.toEqual(y);
    expect(drop.forward(x, false)).toBe(x);
  });
});

describe('state dicts', () => {
  const config = { hidden: [8, 6], activation: 'relu' as const, inputSize: 12, outputSize: 4 };

  it('round-trips through loadStateDict, with norm', () => {
    const backend = new CpuBackend();
    const a = new MlpModel(backend, config, 1);
    a.norm = { mean: new Float32Array(12).fill(0.1), std: new Float32Array(12).fill(0.3) };
    const b = new MlpModel(backend, config, 2);
    loadStateDict(b, stateDictOf(a));
    for (const [name, t] of stateDictOf(a)) expect(stateDictOf(b).get(name)!.data).toEqual(t.data);
    expect(b.norm!.std[0]).toBeCloseTo(0.3, 6);
  });

  it('a bad shape names the tensor and leaves the model untouched', () => {
    const backend = new CpuBackend();
    const model = new MlpModel(backend, config, 1);
    const before = stateDictOf(model);
    const bad = stateDictOf(new MlpModel(backend, config, 9));
    bad.set('fc2.weight', { shape: [5, 8], data: new Float32Array(40) });
    expect(() => loadStateDict(model, bad)).toThrow('fc2.weight: expected shape [6,8], file has [5,8]');
    const missing = stateDictOf(new MlpModel(backend, config, 9));
    missing.delete('fc3.bias');
    expect(() => loadStateDict(model, missing)).toThrow(/fc3.bias: missing/);
    const extra = stateDictOf(new MlpModel(backend, config, 9));
    extra.set('fc4.weight', { shape: [1], data: new Float32Array(1) });
    expect(() => loadStateDict(model, extra)).toThrow(/fc4.weight: unexpected/);
    const nan = stateDictOf(new MlpModel(backend, config, 9));
    nan.get('fc1.bias')!.data[3] = NaN;
    expect(() => loadStateDict(model, nan)).toThrow(/fc1.bias: contains NaN/);
    const halfNorm = stateDictOf(new MlpModel(backend, config, 9));
    halfNorm.set('norm.mean', { shape: [12], data: new Float32Array(12) });
    expect(() => loadStateDict(model, halfNorm)).toThrow(/norm.std: missing/);
    for (const [name, t] of before) expect(stateDictOf(model).get(name)!.data).toEqual(t.data);
    expect(model.norm).toBeNull();
  });

  it('modelFromWeights checks the file against its config', () => {
    const backend = new CpuBackend();
    const tensors = stateDictOf(new MlpModel(backend, config, 3));
    const classes = ['a', 'b', 'c', 'd'];
    const ok = modelFromWeights(backend, { model: 'mlp', config: { hidden: [8, 6], activation: 'relu' }, classes, tensors });
    expect(ok.parameterCount()).toBe(12 * 8 + 8 + 8 * 6 + 6 + 6 * 4 + 4);
    expect(() => modelFromWeights(backend, { model: 'mlp', config: { hidden: [8, 7], activation: 'relu' }, classes, tensors }))
      .toThrow('fc2.weight: expected shape [7,8], file has [6,8]');
    expect(() => modelFromWeights(backend, { model: 'mlp', config: { hidden: [8], activation: 'relu' }, classes, tensors }))
      .toThrow(/fc2.weight: expected shape \[4,8\]/);
    expect(() => modelFromWeights(backend, { model: 'mlp', config: { hidden: [8, 6], activation: 'swish' }, classes, tensors }))
      .toThrow(/unknown activation "swish"/);
    expect(() => modelFromWeights(backend, { model: 'mlp', config: {}, classes, tensors })).toThrow(/"hidden" must be a list/);
  });
});
