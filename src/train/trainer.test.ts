import { describe, expect, it, vi } from 'vitest';
import { describeWithFullData } from './testing/full-data-tests';
import type { ImageSet } from '../data/types';
import { CpuBackend } from '../kernels/cpu';
import { Rng } from '../kernels/rng';
import { stateDictOf } from '../nn/models';
import type { StateDict } from '../nn/types';
import { evaluate, predictProbs } from './evaluate';
import { readMnistSplit } from './testing/shared-data';
import { Trainer } from './trainer';
import type { EpochPoint, MlpTrainConfig, StepPoint, TrainConfig, TrainProgress } from './types';

/** Learnable toy data: class = which quarter of the 16 pixels is brightest. */
function toySet(count: number, seed: number, signal = 120): ImageSet {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * 16);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng.int(4);
    for (let j = 0; j < 16; j++) pixels[i * 16 + j] = rng.int(120) + (j >> 2 === labels[i] ? signal : 0);
  }
  return { inputShape: [16], classes: ['a', 'b', 'c', 'd'], count, pixels, labels };
}

function toyConfig(overrides: Partial<MlpTrainConfig> = {}): MlpTrainConfig {
  return {
    model: 'mlp',
    net: { hidden: [12, 8], activation: 'relu' },
    optimizer: { kind: 'adam', lr: 0.01, weightDecay: 1e-4 },
    batchSize: 16,
    epochs: 2,
    seed: 1,
    trainFraction: 0.8,
    ...overrides,
  };
}

function subset(set: ImageSet, indices: Int32Array): ImageSet {
  const n = set.inputShape.reduce((a, b) => a * b, 1);
  const pixels = new Uint8Array(indices.length * n);
  indices.forEach((ex, i) => pixels.set(set.pixels.subarray(ex * n, (ex + 1) * n), i * n));
  return { ...set, count: indices.length, pixels, labels: Uint8Array.from(indices, (ex) => set.labels[ex]) };
}

const TOY = { train: toySet(400, 1), test: toySet(100, 2) };

async function trainedWeights(config: TrainConfig): Promise<StateDict> {
  const trainer = new Trainer(new CpuBackend(), config, TOY, {});
  expect(await trainer.run()).toBe('completed');
  return stateDictOf(trainer.model);
}

describe('Trainer', () => {
  it('is deterministic: same seed ⇒ identical weights after training, other seed ⇒ different', async () => {
    const config = toyConfig({ net: { hidden: [12, 8], activation: 'relu', dropout: 0.2 } });
    const a = await trainedWeights(config);
    const b = await trainedWeights(config);
    const c = await trainedWeights({ ...config, seed: 2 });
    for (const [name, t] of a) expect(b.get(name)!.data).toEqual(t.data);
    expect(c.get('fc1.weight')!.data).not.toEqual(a.get('fc1.weight')!.data);
  });

  it('emits the first loss point after step 1, throttles the rest, reports every epoch', async () => {
    const calls: { points: StepPoint[]; progress: TrainProgress }[] = [];
    const epochs: EpochPoint[] = [];
    const trainer = new Trainer(new CpuBackend(), toyConfig({ epochs: 3, batchSize: 7 }), TOY, {
      onSteps: (points, progress) => calls.push({ points, progress }),
      onEpoch: (p) => epochs.push(p),
    });
    expect(await trainer.run()).toBe('completed');
    const steps = Math.ceil(320 / 7) * 3;
    expect(calls[0].points.map((p) => p.step)).toEqual([1]);
    const all = calls.flatMap((c) => c.points.map((p) => p.step));
    expect(all).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(calls.length).toBeLessThan(steps);
    expect(calls[calls.length - 1].progress.globalStep).toBe(steps);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const e of epochs) {
      expect(e.devAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.gap).toBeCloseTo(e.trainAccuracy - e.devAccuracy, 12);
    }
    expect(epochs[2].devAccuracy).toBeGreaterThan(0.9);
    expect(trainer.lastEpoch).toBe(epochs[2]);
    expect(trainer.bestEpoch!.devAccuracy).toBe(Math.max(...epochs.map((e) => e.devAccuracy)));
  });

  it('pauses, resumes and stops between steps', async () => {
    const trainer = new Trainer(new CpuBackend(), toyConfig({ epochs: 50, batchSize: 4 }), TOY, {});
    const forward = vi.spyOn(trainer.model, 'forward');
    const done = trainer.run();
    await new Promise((r) => setTimeout(r, 30));
    trainer.pause();
    expect(trainer.state).toBe('paused');
    await new Promise((r) => setTimeout(r, 20));
    const atPause = forward.mock.calls.length;
    expect(atPause).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(forward.mock.calls.length).toBe(atPause);
    trainer.resume();
    await new Promise((r) => setTimeout(r, 30));
    trainer.stop();
    expect(await done).toBe('stopped');
    expect(forward.mock.calls.length).toBeGreaterThan(atPause);
    expect(trainer.state).toBe('done');
  });

  it('detects divergence, stops and keeps the last weights that gave a finite loss', async () => {
    let lastLoss = 0;
    const config = toyConfig({ optimizer: { kind: 'sgd', lr: 1e12, weightDecay: 0 }, epochs: 20 });
    const trainer = new Trainer(new CpuBackend(), config, TOY, {
      onSteps: (points) => (lastLoss = points[points.length - 1].loss),
    });
    expect(await trainer.run()).toBe('diverged');
    expect(Number.isFinite(lastLoss)).toBe(true);
    for (const [, t] of stateDictOf(trainer.model)) expect(t.data.every(Number.isFinite)).toBe(true);
  });

  it('restoreBest puts back the weights of the best dev epoch', async () => {
    const config = toyConfig({ epochs: 6, restoreBest: true, optimizer: { kind: 'sgd', lr: 0.5, weightDecay: 0 } });
    const noisy = { train: toySet(400, 5, 12), test: TOY.test };
    const trainer = new Trainer(new CpuBackend(), config, noisy, {});
    await trainer.run();
    const best = trainer.bestEpoch!;
    expect(best.devAccuracy).toBeGreaterThan(trainer.lastEpoch!.devAccuracy);
    const report = evaluate(trainer.model, subset(noisy.train, trainer.split.dev), 'dev');
    expect(report.accuracy).toBe(best.devAccuracy);
  });

  it('restoreBest without a dev split keeps the last epoch, not the first', async () => {
    const config = toyConfig({ epochs: 4, restoreBest: true, trainFraction: 1 });
    const trainer = new Trainer(new CpuBackend(), config, TOY, {});
    const tracked = new Trainer(new CpuBackend(), { ...config, restoreBest: false }, TOY, {});
    await tracked.run();
    const lastEpochWeights = stateDictOf(tracked.model);
    await trainer.run();
    expect(trainer.split.dev.length).toBe(0);
    expect(trainer.bestEpoch!.epoch).toBe(4);
    const kept = stateDictOf(trainer.model);
    for (const [name, t] of lastEpochWeights) expect(Array.from(kept.get(name)!.data)).toEqual(Array.from(t.data));
  });

  it('frees every buffer it made when the run ends (the model stays)', async () => {
    const backend = new CpuBackend();
    const first = new Trainer(backend, toyConfig({ epochs: 1 }), TOY, {});
    await first.run();
    // The model keeps its per-batch-size buffers (warm now); everything the trainer made must go.
    const live = backend.liveTensors();
    await new Trainer(backend, toyConfig({ epochs: 1, clipNorm: 1, restoreBest: true }), TOY, {}, first.model).run();
    expect(backend.liveTensors()).toBe(live);
  });

  it('refuses data whose size does not fit the given model', () => {
    const trainer = new Trainer(new CpuBackend(), toyConfig(), TOY, {});
    const narrow = { ...toySet(10, 3), inputShape: [8] };
    expect(() => new Trainer(new CpuBackend(), toyConfig(), { train: narrow, test: narrow }, {}, trainer.model)).toThrow(
      'the data has 8 values per example, the model expects 16',
    );
  });
});

describeWithFullData('MNIST subset', () => {
  it('learns: 2,000 digits, 2 epochs → dev and test accuracy > 85%', async () => {
    const train = readMnistSplit('train', 2000);
    const test = readMnistSplit('test');
    const epochs: EpochPoint[] = [];
    const config: TrainConfig = {
      model: 'mlp',
      net: { hidden: [256, 128, 64], activation: 'relu' },
      optimizer: { kind: 'adam', lr: 1e-3, weightDecay: 1e-4 },
      batchSize: 16,
      epochs: 2,
      seed: 42,
      trainFraction: 0.9,
    };
    const trainer = new Trainer(new CpuBackend(), config, { train, test }, { onEpoch: (p) => epochs.push(p) });
    expect(await trainer.run()).toBe('completed');
    expect(epochs[1].devAccuracy).toBeGreaterThan(0.85);
    const report = evaluate(trainer.model, test, 'test');
    expect(report.accuracy).toBeGreaterThan(0.85);
    expect(report.count).toBe(10000);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10000);
    expect(report.hardest).toHaveLength(5);
    expect(report.perClassAccuracy[report.hardest[0]]).toBe(Math.min(...report.perClassAccuracy));
    expect(report.misclassified.length).toBe(24);
    const miss = report.misclassified[0];
    expect(test.labels[miss.index]).toBe(miss.label);

    const probs = predictProbs(trainer.model, test.pixels.subarray(miss.index * 784), 1);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(probs.indexOf(Math.max(...probs))).toBe(miss.predicted);
    expect(probs[miss.predicted]).toBeCloseTo(miss.confidence, 5);
  }, 60_000);
});
