import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../kernels/cpu';
import { Rng } from '../../kernels/rng';
import { SequencePacker } from '../layers/gru-input';
import { SoftmaxCrossEntropy } from '../loss';
import { createOptimizer, GradNormClipper } from '../optimizers';
import { buildModel } from '.';
import { RnnModel } from './rnn';

/** Sequences of 4..16 steps (dx, dy, p); the label says whether Σdx > 0. */
function signOfSumTask(count: number, seed: number): { seqs: Float64Array[]; labels: number[] } {
  const rng = new Rng(seed);
  const seqs: Float64Array[] = [], labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const len = 4 + rng.int(13);
    const s = new Float64Array(len * 3);
    let sum = 0;
    for (let t = 0; t < len; t++) {
      s[3 * t] = rng.normal();
      s[3 * t + 1] = rng.normal();
      s[3 * t + 2] = rng.next() < 0.2 ? 1 : 0;
      sum += s[3 * t];
    }
    seqs.push(s);
    labels.push(sum > 0 ? 1 : 0);
  }
  return { seqs, labels };
}

describe('RnnModel training', () => {
  it('learns the sign of Σdx to > 90% with AdamW, label smoothing and clipping in a few hundred steps', async () => {
    const backend = new CpuBackend();
    const model = buildModel(backend, 'rnn', { hidden: 12, layers: 2, max_len: 16, delta_scale: 1, dropout: 0.1, outputSize: 2 }, 7) as RnnModel;
    const loss = new SoftmaxCrossEntropy(backend, 2, 0.05);
    const optimizer = createOptimizer(backend, model.params, { kind: 'adamw', lr: 0.01, weightDecay: 1e-4 });
    const clipper = new GradNormClipper(backend);
    const packer = new SequencePacker(backend);
    const train = signOfSumTask(2048, 1), test = signOfSumTask(512, 2);
    const BATCH = 32;
    const labels = backend.tensor([BATCH]);
    for (let step = 0; step < 300; step++) {
      const from = (step * BATCH) % train.seqs.length;
      const packed = packer.packList(train.seqs.slice(from, from + BATCH), 16);
      backend.write(labels, train.labels.slice(from, from + BATCH));
      model.zeroGrad();
      model.backward(loss.forward(model.forward(packed, true), labels).dlogits);
      await clipper.clip(model.params, 1);
      optimizer.step();
    }
    const packed = packer.packList(test.seqs, 16);
    const logits = backend.readSync(model.forward(packed, false));
    let correct = 0;
    test.labels.forEach((y, i) => (correct += Number((logits[2 * i + 1] > logits[2 * i] ? 1 : 0) === y)));
    expect(correct / test.labels.length).toBeGreaterThan(0.9);
  });

  it('a training step allocates nothing once its (batch, steps) buffers exist', () => {
    const backend = new CpuBackend();
    const model = new RnnModel(backend, { hidden: 8, layers: 2, max_len: 12, delta_scale: 1, dropout: 0.2, outputSize: 3 }, 1);
    const loss = new SoftmaxCrossEntropy(backend, 3);
    const optimizer = createOptimizer(backend, model.params, { kind: 'adamw', lr: 1e-3, weightDecay: 0.01 });
    const packer = new SequencePacker(backend);
    const { seqs } = signOfSumTask(8, 3);
    const labels = backend.tensor([8], [0, 1, 2, 0, 1, 2, 0, 1]);
    const step = (): void => {
      model.zeroGrad();
      model.backward(loss.forward(model.forward(packer.packList(seqs, 12), true), labels).dlogits);
      optimizer.step();
    };
    step();
    const before = backend.stats();
    const live = backend.liveTensors();
    for (let i = 0; i < 3; i++) step();
    const after = backend.stats();
    expect(after.allocations).toBe(before.allocations);
    expect(after.scratchGrowths).toBe(before.scratchGrowths);
    expect(backend.liveTensors()).toBe(live);
    for (const o of [model, loss, optimizer, packer]) o.dispose();
    backend.dispose(labels);
    expect(backend.liveTensors()).toBe(0);
  });

  it('refuses bad configs, missing lengths and mismatched inputs with clear messages', () => {
    const backend = new CpuBackend();
    const base = { hidden: 4, layers: 1, max_len: 8, delta_scale: 2 };
    expect(() => new RnnModel(backend, { ...base, layers: 0 }, 1)).toThrow('rnn config: "layers" must be a positive integer, got 0');
    expect(() => new RnnModel(backend, { ...base, delta_scale: -1 }, 1)).toThrow('"delta_scale" must be a positive number');
    expect(() => new RnnModel(backend, { ...base, dropout: 1 }, 1)).toThrow('dropout must be in [0, 1)');
    const model = new RnnModel(backend, base, 1);
    const x = backend.tensor([6, 3]);
    expect(() => model.forward({ input: x }, false)).toThrow('rnn: a batch needs lengths, a 1-D tensor with one length per sequence, got none');
    expect(() => model.forward({ input: x, lengths: backend.tensor([2, 2]) }, false)).toThrow('got [2,2]');
    expect(() => model.forward({ input: x, lengths: backend.tensor([4], [1, 1, 1, 1]) }, false))
      .toThrow('input must be time-major [T·B, 3] for B = 4 lengths, got [6,3]');
    expect(() => model.forward({ input: x, lengths: backend.tensor([2], [3, 4]) }, false)).toThrow('lengths[1] is 4, expected an integer from 0 to 3');
    expect(() => model.backward(backend.tensor([2, 10]))).toThrow('backward called before forward');
  });
});
