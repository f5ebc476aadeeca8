/** Deterministic subsets of an ImageSet: the train/dev split and prefixes for quick runs. */
import { Rng } from '../kernels/rng';
import type { ImageSet } from './types';

/** Copies the examples at `indices` (in that order) into a new ImageSet. */
export function subsetImageSet(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const perExample = set.inputShape.reduce((a, b) => a * b, 1);
  const pixels = new Uint8Array(indices.length * perExample);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(i >= 0 && i < set.count)) throw new Error(`Example index ${i} is outside 0..${set.count - 1}`);
    pixels.set(set.pixels.subarray(i * perExample, (i + 1) * perExample), k * perExample);
    labels[k] = set.labels[i];
  }
  return { inputShape: [...set.inputShape], classes: [...set.classes], count: indices.length, pixels, labels };
}

/**
 * Splits a train set into train and dev parts: a seeded permutation, the first round(count·trainFraction)
 * examples for training, the rest for dev (each part kept in original order). Same seed ⇒ same split.
 */
export function splitTrainDev(set: ImageSet, trainFraction: number, seed: number): { train: ImageSet; dev: ImageSet } {
  if (!(trainFraction > 0 && trainFraction <= 1)) {
    throw new Error(`The train fraction must be in (0, 1], got ${trainFraction}`);
  }
  const trainCount = Math.round(set.count * trainFraction);
  const order = new Rng(seed).shuffle(Int32Array.from({ length: set.count }, (_, i) => i));
  const trainIdx = order.slice(0, trainCount).sort();
  const devIdx = order.slice(trainCount).sort();
  return { train: subsetImageSet(set, trainIdx), dev: subsetImageSet(set, devIdx) };
}

/** The first `limit` examples (all when limit ≥ count): the CLI's --limit. */
export function limitImageSet(set: ImageSet, limit: number): ImageSet {
  if (!(limit >= 0)) throw new Error(`The example limit must be ≥ 0, got ${limit}`);
  if (limit >= set.count) return set;
  return subsetImageSet(set, Int32Array.from({ length: Math.floor(limit) }, (_, i) => i));
}
