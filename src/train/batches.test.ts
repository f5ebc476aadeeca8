import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../data/types';
import { CpuBackend } from '../kernels/cpu';
import { Batcher, computeNorm, splitIndices } from './batches';

const SET: ImageSet = {
  inputShape: [2, 2],
  classes: ['0', '1', '2'],
  count: 5,
  pixels: Uint8Array.from({ length: 20 }, (_, i) => i * 10),
  labels: Uint8Array.from([0, 1, 2, 0, 1]),
};

describe('Batcher', () => {
  it('fills pixels/255 and labels, with a smaller last batch', () => {
    const backend = new CpuBackend();
    const batcher = new Batcher(backend, SET, null, 2, null);
    expect(batcher.batchesPerEpoch).toBe(3);
    const first = batcher.batch(0);
    expect(first.input.shape).toEqual([2, 4]);
    expect(Array.from(backend.readSync(first.input))).toEqual(Array.from({ length: 8 }, (_, i) => Math.fround((i * 10) / 255)));
    const last = batcher.batch(2);
    expect(last.size).toBe(1);
    expect(Array.from(backend.readSync(last.labels))).toEqual([1]);
    expect(Array.from(last.hostLabels)).toEqual([1]);
    expect(batcher.batch(0)).toBe(first);
    expect(() => batcher.batch(3)).toThrow(/past the end/);
  });

  it('re-pairs the halves of paired digits only, keeping host and backend labels in step', () => {
    const pairs: ImageSet = {
      inputShape: [1, 4],
      classes: Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')),
      count: 4,
      // Left pixel pair = tens·10, right pair = ones·10: the image says its own label.
      pixels: Uint8Array.from([10, 10, 20, 20, 30, 30, 40, 40, 50, 50, 60, 60, 70, 70, 80, 80]),
      labels: Uint8Array.from([12, 34, 56, 78]),
    };
    const backend = new CpuBackend();
    const batcher = new Batcher(backend, pairs, null, 4, null, { maxShift: 0, jitter: 0, remixHalves: true });
    batcher.shuffleForEpoch(3, 0);
    const b = batcher.batch(0);
    const x = backend.readSync(b.input);
    const labels = Array.from(backend.readSync(b.labels));
    expect(labels).toEqual(Array.from(b.hostLabels));
    for (let r = 0; r < 4; r++) {
      expect(Math.round((x[r * 4] * 255) / 10)).toBe(Math.floor(labels[r] / 10));
      expect(Math.round((x[r * 4 + 3] * 255) / 10)).toBe(labels[r] % 10);
    }
    expect(() => new Batcher(backend, SET, null, 2, null, { maxShift: 0, jitter: 0, remixHalves: true })).toThrow(/paired digits/);
  });

  it('shows the images as they are in the plain last epochs, and augments before them', () => {
    const backend = new CpuBackend();
    const jittered = { maxShift: 1, jitter: 0.5, plainLastEpochs: 2 };
    const batcher = new Batcher(backend, SET, null, 5, null, jittered);
    const asIs = Array.from(backend.readSync(new Batcher(backend, SET, null, 5, null).batch(0).input));
    const epochInput = (epoch: number): number[] => {
      batcher.shuffleForEpoch(1, epoch, 4);
      const order = Array.from(batcher.order);
      const x = Array.from(backend.readSync(batcher.batch(0).input));
      // Back in the set's order, to compare with the unaugmented batch.
      return order.flatMap((_, r) => x.slice(order.indexOf(r) * 4, order.indexOf(r) * 4 + 4));
    };
    expect(epochInput(2)).not.toEqual(asIs);
    expect(epochInput(3)).toEqual(asIs);
    expect(epochInput(4)).toEqual(asIs);
    // Without the run's length (evaluation, old callers) nothing is plain.
    batcher.shuffleForEpoch(1, 4);
    expect(Array.from(backend.readSync(batcher.batch(0).input))).not.toEqual(asIs);
    expect(() => new Batcher(backend, SET, null, 5, null, { ...jittered, plainLastEpochs: 1.5 })).toThrow(/plain last epochs/);
  });

  it('refuses bad augmentation options when the batches are made, before any batch is drawn', () => {
    const backend = new CpuBackend();
    const width = SET.inputShape[SET.inputShape.length - 1];
    expect(() => new Batcher(backend, SET, null, 5, null, { maxShift: width, jitter: 0 })).toThrow(/shift must be a whole number/);
    expect(() => new Batcher(backend, SET, null, 5, null, { maxShift: 1, jitter: -1 })).toThrow(/jitter/);
    expect(() => new Batcher(backend, SET, null, 5, null, { maxShift: 1, jitter: 0, warp: { rotate: 90, scale: 0 } })).toThrow(/rotation/);
  });

  it('standardizes with a norm', () => {
    const backend = new CpuBackend({ precision: 'f64' });
    const norm = { mean: Float32Array.of(0.5, 0, 0, 0), std: Float32Array.of(0.25, 1, 1, 2) };
    const x = backend.readSync(new Batcher(backend, SET, null, 1, norm).batch(1).input);
    expect(x[0]).toBeCloseTo((40 / 255 - 0.5) / 0.25, 6);
    expect(x[3]).toBeCloseTo(70 / 255 / 2, 6);
  });

  it('shuffles each epoch as a seeded permutation of the subset', () => {
    const batcher = new Batcher(new CpuBackend(), SET, Int32Array.of(4, 1, 3), 3, null);
    batcher.shuffleForEpoch(7, 1);
    const e1 = Array.from(batcher.order);
    expect([...e1].sort()).toEqual([1, 3, 4]);
    batcher.shuffleForEpoch(7, 2);
    batcher.shuffleForEpoch(7, 1);
    expect(Array.from(batcher.order)).toEqual(e1);
  });

  it('splits train/dev deterministically and disjointly', () => {
    const a = splitIndices(100, 0.9, 3);
    expect(a.train.length).toBe(90);
    expect(a.dev.length).toBe(10);
    expect(new Set([...a.train, ...a.dev]).size).toBe(100);
    expect(splitIndices(100, 0.9, 3).dev).toEqual(a.dev);
    expect(splitIndices(100, 0.9, 4).dev).not.toEqual(a.dev);
    expect(() => splitIndices(100, 0, 3)).toThrow(/train fraction/);
  });

  it('computes per-pixel mean/std with a floor', () => {
    const norm = computeNorm(SET, Int32Array.of(0, 1));
    expect(norm.mean[0]).toBeCloseTo(20 / 255, 6);
    expect(norm.std[0]).toBeCloseTo(20 / 255, 6);
    expect(computeNorm(SET, Int32Array.of(0)).std[0]).toBe(Math.fround(0.05));
  });
});
