import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../data/types';
import { CpuBackend } from '../kernels/cpu';
import { Rng } from '../kernels/rng';
import { autotune, logUniform, withTuned, type TrialResult } from './autotune';
import type { MlpTrainConfig } from './types';

/** Learnable toy data: class = which quarter of the 16 pixels is brightest. */
function toySet(count: number, seed: number): ImageSet {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * 16);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng.int(4);
    for (let j = 0; j < 16; j++) pixels[i * 16 + j] = rng.int(120) + (j >> 2 === labels[i] ? 60 : 0);
  }
  return { inputShape: [16], classes: ['a', 'b', 'c', 'd'], count, pixels, labels };
}

const BASE: MlpTrainConfig = {
  model: 'mlp',
  net: { hidden: [8], activation: 'relu' },
  optimizer: { kind: 'adam', lr: 1e-3, weightDecay: 1e-4 },
  batchSize: 16,
  epochs: 30,
  seed: 1,
  trainFraction: 0.75,
  earlyStopping: { patience: 1, minDelta: 0.5 },
};
const DATA = { train: toySet(600, 1), test: toySet(50, 2) };

describe('autotune', () => {
  it('sweeps lr, then searches (lr, λ) log-uniformly, streaming every trial; the best is the top dev accuracy', async () => {
    const streamed: TrialResult[] = [];
    const result = await autotune({
      backend: new CpuBackend(), base: BASE, data: DATA, lrSweep: [1e-5, 3e-2], trials: 3,
      weightDecayRange: [1e-6, 1e-2], epochs: 2, subset: 200, onTrial: (t) => streamed.push(t),
    });
    expect(result.aborted).toBe(false);
    expect(result.trials).toEqual(streamed);
    expect(streamed.map((t) => t.phase)).toEqual(['sweep', 'sweep', 'random', 'random', 'random']);
    expect(streamed.map((t) => t.index)).toEqual([0, 1, 2, 3, 4]);
    // A rate of 1e-5 barely moves the weights in 2 epochs; 3e-2 learns the toy task.
    expect(streamed[1].devAccuracy).toBeGreaterThan(streamed[0].devAccuracy + 0.2);
    for (const t of streamed.slice(2)) {
      expect(t.lr).toBeGreaterThanOrEqual(1e-2);
      expect(t.lr).toBeLessThanOrEqual(9e-2);
      expect(t.weightDecay).toBeGreaterThanOrEqual(1e-6);
      expect(t.weightDecay).toBeLessThanOrEqual(1e-2);
      expect(t.reason).toBe('completed');
    }
    const top = Math.max(...streamed.map((t) => t.devAccuracy));
    expect(result.best!.devAccuracy).toBe(top);
    const winner = streamed.find((t) => t.devAccuracy === top)!;
    expect(result.best).toEqual({ lr: winner.lr, weightDecay: winner.weightDecay, devAccuracy: top });
    // Trials used 200 examples: 150 train / 50 dev → accuracies are multiples of 1/50.
    for (const t of streamed) expect(Math.round(t.devAccuracy * 50)).toBeCloseTo(t.devAccuracy * 50, 9);
    const retrain = withTuned(BASE, result.best!);
    expect(retrain.optimizer).toEqual({ kind: 'adam', lr: winner.lr, weightDecay: winner.weightDecay });
    expect(retrain.epochs).toBe(30);
  });

  it('stops at the abort signal and returns the best so far', async () => {
    const controller = new AbortController();
    const result = await autotune({
      backend: new CpuBackend(), base: BASE, data: DATA, lrSweep: [1e-2, 3e-2, 1e-1], trials: 5, epochs: 1, subset: 200,
      signal: controller.signal, onTrial: () => controller.abort(),
    });
    expect(result.aborted).toBe(true);
    expect(result.trials).toHaveLength(1);
    expect(result.best!.lr).toBe(1e-2);
  });

  it('an abort during a trial stops that trial at its next step', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    const started = performance.now();
    const result = await autotune({
      backend: new CpuBackend(), base: BASE, data: DATA, lrSweep: [1e-3, 3e-3], trials: 2, epochs: 5000, subset: 600,
      signal: controller.signal,
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.aborted).toBe(true);
    expect(result.trials.map((t) => t.reason)).toEqual(['stopped']);
  });

  it('draws log-uniformly within the range', () => {
    const rng = new Rng(3);
    const draws = Array.from({ length: 2000 }, () => logUniform(rng, 1e-4, 1e-2));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1e-2);
    // Half the mass lies below the geometric mean 1e-3.
    expect(draws.filter((d) => d < 1e-3).length / draws.length).toBeGreaterThan(0.45);
    expect(draws.filter((d) => d < 1e-3).length / draws.length).toBeLessThan(0.55);
    expect(() => logUniform(rng, 0, 1)).toThrow('a log-uniform range needs 0 < low ≤ high');
  });
});
