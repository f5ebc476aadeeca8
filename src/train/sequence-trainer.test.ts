import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../kernels/cpu';
import { RnnModel } from '../nn/models/rnn';
import { defaultRnnTrainConfig } from './presets';
import { evaluateSequences, predictDrawing } from './sequence-eval';
import { SequenceTrainer } from './sequence-trainer';
import { toySequences } from './testing/toy-sequences';
import type { EpochPoint, RnnTrainConfig, StepPoint } from './types';

const data = { train: toySequences(240, 1), dev: toySequences(60, 2), test: toySequences(60, 3) };

function toyConfig(overrides: Partial<RnnTrainConfig> = {}): RnnTrainConfig {
  return defaultRnnTrainConfig({
    net: { hidden: 8, layers: 2, max_len: 12, delta_scale: 4, dropout: 0.1 },
    optimizer: { kind: 'adamw', lr: 0.02, weightDecay: 1e-4 },
    batchSize: 16,
    epochs: 3,
    ...overrides,
  });
}

describe('SequenceTrainer', () => {
  it('learns the direction of toy strokes, reporting steps and epochs on the given dev split', async () => {
    const backend = new CpuBackend();
    const epochs: EpochPoint[] = [];
    const steps: StepPoint[] = [];
    const trainer = new SequenceTrainer(backend, toyConfig(), data, {
      onSteps: (points) => steps.push(...points),
      onEpoch: (e) => epochs.push(e),
    });
    expect(trainer.devCount).toBe(60);
    expect(await trainer.run()).toBe('completed');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(steps).toHaveLength(3 * Math.ceil(240 / 16));
    expect(trainer.bestEpoch!.devAccuracy).toBeGreaterThan(0.8);
    const report = await evaluateSequences(trainer.model, data.test, 'test');
    expect(report.accuracy).toBeGreaterThan(0.8);
    expect(report.count).toBe(60);
    expect(report.classes).toEqual(['right', 'down', 'diagonal']);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(Array.isArray(report.confusedPairs)).toBe(true);
    const probs = await predictDrawing(trainer.model, [[[0, 10, 20, 30, 40, 50], [5, 5, 6, 5, 5, 6]]]);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(probs[0]).toBeGreaterThan(probs[1]);
  });

  it('with weight averaging, evaluates and returns the averaged weights, and still learns', async () => {
    const backend = new CpuBackend();
    const trainer = new SequenceTrainer(backend, toyConfig({ weightAverage: 0.9, restoreBest: false }), data, {});
    expect(await trainer.run()).toBe('completed');
    const report = await evaluateSequences(trainer.model, data.dev, 'dev');
    // The returned model is the one the last dev evaluation saw: the average, not the last step's weights.
    expect(report.loss).toBeCloseTo(trainer.lastEpoch!.devLoss, 6);
    expect(report.accuracy).toBeCloseTo(trainer.lastEpoch!.devAccuracy, 10);
    expect(report.accuracy).toBeGreaterThan(0.8);
  });

  it('stops after the current step and reports "stopped"', async () => {
    const trainer = new SequenceTrainer(new CpuBackend(), toyConfig({ epochs: 5 }), data, {
      onSteps: () => trainer.stop(),
    });
    expect(await trainer.run()).toBe('stopped');
    expect(trainer.history).toHaveLength(0);
  });

  it('rolls back to finite weights and reports "diverged" on a NaN loss', async () => {
    const backend = new CpuBackend();
    const model = new RnnModel(backend, { hidden: 4, layers: 1, max_len: 12, delta_scale: 4, outputSize: 3 }, 1);
    let poisoned = false;
    const trainer = new SequenceTrainer(backend, toyConfig(), data, {
      onSteps: () => {
        if (!poisoned) backend.write(model.fcBias.value, new Float32Array([NaN, NaN, NaN]));
        poisoned = true;
      },
    }, model);
    expect(await trainer.run()).toBe('diverged');
    expect(Array.from(backend.readSync!(model.fcBias.value)).every(Number.isFinite)).toBe(true);
  });

  it('refuses data whose classes do not match the model', () => {
    const backend = new CpuBackend();
    const model = new RnnModel(backend, { hidden: 4, layers: 1, max_len: 12, delta_scale: 4, outputSize: 5 }, 1);
    expect(() => new SequenceTrainer(backend, toyConfig(), data, {}, model)).toThrow(/5 outputs but the data has 3 classes/);
  });
});
