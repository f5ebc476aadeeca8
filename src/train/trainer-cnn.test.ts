import { describe, expect, it } from 'vitest';
import { makePairedMnist } from '../data/pairs';
import { subsetImageSet } from '../data/split';
import type { ImageSet } from '../data/types';
import { CpuBackend } from '../kernels/cpu';
import { Rng } from '../kernels/rng';
import { stateDictOf } from '../nn/models';
import type { StateDict } from '../nn/types';
import { Batcher, computeNorm } from './batches';
import { evaluate } from './evaluate';
import { seedCnnTrainConfig } from './presets';
import { readBundledMnistSplit } from './testing/shared-data';
import { Trainer } from './trainer';
import type { CnnTrainConfig, EpochPoint, MlpTrainConfig } from './types';

/** Learnable but noisy toy data: class = which quarter of the 16 pixels is brightest. */
function toySet(count: number, seed: number, signal: number): ImageSet {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * 16);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng.int(4);
    for (let j = 0; j < 16; j++) pixels[i * 16 + j] = rng.int(120) + (j >> 2 === labels[i] ? signal : 0);
  }
  return { inputShape: [16], classes: ['a', 'b', 'c', 'd'], count, pixels, labels };
}

const TOY = { train: toySet(400, 5, 12), test: toySet(100, 2, 12) };
const MLP: MlpTrainConfig = {
  model: 'mlp',
  net: { hidden: [12], activation: 'relu' },
  optimizer: { kind: 'sgd', lr: 0.5, weightDecay: 0 },
  batchSize: 16,
  epochs: 12,
  seed: 1,
  trainFraction: 0.8,
};

function sameState(a: StateDict, b: StateDict): boolean {
  return [...a].every(([k, t]) => t.data.every((v, i) => v === b.get(k)!.data[i]));
}

describe('Trainer: early stopping and checkpoints', () => {
  it('stops after `patience` epochs without a minDelta gain, restoring the best epoch exactly', async () => {
    const checkpoints: { epoch: number; weights: StateDict }[] = [];
    const trainer = new Trainer(new CpuBackend(), { ...MLP, earlyStopping: { patience: 2, minDelta: 0.5 } }, TOY, {
      onCheckpoint: (epoch, weights) => void checkpoints.push({ epoch, weights }),
    });
    expect(await trainer.run()).toBe('completed');
    // Epoch 1 sets the reference; no later epoch can beat it by 0.5, so epochs 2 and 3 end the run.
    expect(trainer.earlyStoppedAt).toBe(3);
    expect(trainer.history).toHaveLength(3);
    const best = trainer.bestEpoch!;
    const dev = evaluate(trainer.model, subsetImageSet(TOY.train, trainer.split.dev), 'dev');
    expect(dev.accuracy).toBe(best.devAccuracy);
    // One checkpoint per new best dev accuracy, the last one being the weights now in the model.
    expect(checkpoints[0].epoch).toBe(1);
    expect(checkpoints[checkpoints.length - 1].epoch).toBe(best.epoch);
    expect(sameState(checkpoints[checkpoints.length - 1].weights, stateDictOf(trainer.model))).toBe(true);
  });

  it('runs every epoch when dev accuracy keeps improving by more than minDelta, and refuses a run without dev', async () => {
    const trainer = new Trainer(new CpuBackend(), { ...MLP, epochs: 3, earlyStopping: { patience: 3, minDelta: 0 } }, TOY, {});
    await trainer.run();
    expect(trainer.earlyStoppedAt).toBeNull();
    expect(trainer.history).toHaveLength(3);
    expect(() => new Trainer(new CpuBackend(), { ...MLP, trainFraction: 1, earlyStopping: { patience: 1, minDelta: 0 } }, TOY, {}))
      .toThrow('early stopping needs a dev split');
  });
});

describe('Batcher augmentation', () => {
  const set: ImageSet = {
    inputShape: [4, 6], classes: ['0'], count: 8,
    pixels: Uint8Array.from({ length: 8 * 24 }, (_, i) => (i * 37) % 256), labels: new Uint8Array(8),
  };
  const values = (b: Batcher, backend: CpuBackend, epoch: number, seed = 1): number[] => {
    b.shuffleForEpoch(seed, epoch);
    return Array.from(backend.readSync(b.batch(0).input));
  };

  it('a null augmentation (shift 0, jitter 0) gives exactly the standardized batch: it runs before standardization', () => {
    const backend = new CpuBackend();
    const norm = computeNorm(set, Int32Array.from({ length: 8 }, (_, i) => i));
    const plain = new Batcher(backend, set, null, 4, norm);
    const nullAug = new Batcher(backend, set, null, 4, norm, { maxShift: 0, jitter: 0 });
    const expected = values(plain, backend, 1);
    // Equal up to float32 staging: the augmented path rounds pixels/255 before standardizing.
    values(nullAug, backend, 1).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('is seeded per (seed, epoch), varies between epochs and keeps the shuffle order', () => {
    const backend = new CpuBackend();
    const opts = { maxShift: 2, jitter: 0.1 };
    const a = new Batcher(backend, set, null, 4, null, opts);
    const b = new Batcher(backend, set, null, 4, null, opts);
    const plain = new Batcher(backend, set, null, 4, null);
    expect(values(a, backend, 1)).toEqual(values(b, backend, 1));
    expect(values(a, backend, 2)).not.toEqual(values(a, backend, 1));
    plain.shuffleForEpoch(1, 1);
    a.shuffleForEpoch(1, 1);
    expect(Array.from(a.order)).toEqual(Array.from(plain.order));
    for (const v of values(a, backend, 3)) expect(v >= 0 && v <= 1).toBe(true);
  });
});

describe('CNN training on paired MNIST', () => {
  const pairs = makePairedMnist(readBundledMnistSplit('train', 6000), readBundledMnistSplit('test', 1000), { trainCount: 1200, testCount: 300 });
  // Small and without augmentation, which slows the first epochs down (it pays off on full runs).
  const small = (overrides: Partial<CnnTrainConfig>): CnnTrainConfig => seedCnnTrainConfig({
    net: { padding: 1, channels: [8, 16], fc: 64, dropout: 0.2 }, batchSize: 32, epochs: 3, augment: undefined, ...overrides,
  });

  it('cnn2head: learns the digits (dev accuracy per digit and whole number), deterministic per seed', async () => {
    const epochs: EpochPoint[] = [];
    const config = small({ model: 'cnn2head' });
    const trainer = new Trainer(new CpuBackend(), config, pairs, { onEpoch: (e) => epochs.push(e) });
    expect(await trainer.run()).toBe('completed');
    expect(trainer.model.norm!.mean).toHaveLength(28 * 56);
    const last = epochs[epochs.length - 1];
    expect(last.devDigitAccuracy!.tens).toBeGreaterThan(0.5);
    expect(last.devDigitAccuracy!.ones).toBeGreaterThan(0.5);
    expect(last.devAccuracy).toBeGreaterThan(0.15);
    expect(last.devAccuracy).toBeLessThanOrEqual(Math.min(last.devDigitAccuracy!.tens, last.devDigitAccuracy!.ones));
    const report = evaluate(trainer.model, pairs.test, 'test');
    expect(report.classes[42]).toBe('42');
    expect(report.accuracy).toBeGreaterThan(0.15);
    expect(report.digitAccuracy!.tens).toBeGreaterThan(0.5);

    const again = new Trainer(new CpuBackend(), config, pairs, {});
    await again.run();
    expect(sameState(stateDictOf(again.model), stateDictOf(trainer.model))).toBe(true);
  });

  it('plain last epochs: the loop tells the batches where the run ends, and those epochs go unaugmented', async () => {
    const config = small({ model: 'cnn2head', epochs: 2, optimizer: { kind: 'adam', lr: 3e-3, weightDecay: 1e-4 } });
    const train = { train: subsetImageSet(pairs.train, Int32Array.from({ length: 400 }, (_, i) => i)), test: pairs.test };
    const weightsAfter = async (c: CnnTrainConfig): Promise<StateDict> => {
      const trainer = new Trainer(new CpuBackend(), c, train, {});
      await trainer.run();
      return stateDictOf(trainer.model);
    };
    const shifted = { maxShift: 2, jitter: 0.2 };
    const asIs = await weightsAfter({ ...config, augment: { maxShift: 0, jitter: 0 } });
    expect(sameState(await weightsAfter({ ...config, augment: { ...shifted, plainLastEpochs: 2 } }), asIs)).toBe(true);
    expect(sameState(await weightsAfter({ ...config, augment: { ...shifted, plainLastEpochs: 1 } }), asIs)).toBe(false);
  });

  it('cnn: 100-way head trains on the same pipeline and beats chance', async () => {
    const config = small({ model: 'cnn', optimizer: { kind: 'adam', lr: 3e-3, weightDecay: 1e-4 } });
    const trainer = new Trainer(new CpuBackend(), config, pairs, {});
    await trainer.run();
    expect(trainer.model.kind).toBe('cnn');
    const report = evaluate(trainer.model, pairs.test, 'test');
    expect(report.perClassAccuracy).toHaveLength(100);
    // 1,080 pairs are ~11 per class: a 100-way head is still weak after 3 epochs, but far from chance.
    expect(report.accuracy).toBeGreaterThan(0.03);
    expect(report.digitAccuracy!.tens).toBeGreaterThan(0.2);
    expect(report.digitAccuracy!.ones).toBeGreaterThan(0.2);
  });
});
