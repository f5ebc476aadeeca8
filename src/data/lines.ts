/**
 * The "lines" toy (a from-scratch classic): 16×16 images of one horizontal or one vertical line,
 * generated here, seeded and deterministic. A 256-16-2 MLP learns it to 100% in seconds, which
 * makes it the first thing a newcomer trains. Stored like any dataset so the worker loads it as one.
 */
import { Rng } from '../kernels/rng';
import { loadDatasetOnce } from './dataset-lock';
import { beginDataset, getManifest } from './store';
import type { DatasetManifest, ImageSet } from './types';

export const LINES_ID = 'lines-16';
export const LINES_SIDE = 16;
export const LINES_CLASSES = ['horizontal', 'vertical'];
export const LINES_TRAIN = 3000;
export const LINES_TEST = 400;
const SEED = 2024;
/** Lines span at least this many pixels: with shorter ones a small MLP (no translation invariance) misses the odd unseen layout, and the toy should reach 100%. */
const MIN_LENGTH = 10;
const MAX_NOISE = 40;

/**
 * `count` images: label 0 = a horizontal line, 1 = vertical (alternating, so classes are balanced),
 * at a random row/column, start and length, ink 180..255 over faint background noise.
 */
export function generateLines(count: number, seed: number): ImageSet {
  const side = LINES_SIDE;
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * side * side);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const image = pixels.subarray(i * side * side, (i + 1) * side * side);
    for (let p = 0; p < image.length; p++) image[p] = rng.int(MAX_NOISE);
    const vertical = i % 2 === 1;
    labels[i] = vertical ? 1 : 0;
    const line = rng.int(side);
    const length = MIN_LENGTH + rng.int(side - MIN_LENGTH + 1);
    const start = rng.int(side - length + 1);
    const ink = 180 + rng.int(76);
    for (let k = start; k < start + length; k++) image[vertical ? k * side + line : line * side + k] = ink;
  }
  return { inputShape: [side, side], classes: [...LINES_CLASSES], count, pixels, labels };
}

/** Stores the toy dataset once (train and test from different seeds); returns its manifest. */
export async function ensureLinesDataset(): Promise<DatasetManifest> {
  const stored = async () => {
    const existing = await getManifest(LINES_ID);
    return existing?.complete ? existing : undefined;
  };
  // Generated in well under a second: a tab waiting for another has nothing worth saying.
  return loadDatasetOnce({ id: LINES_ID, name: 'the lines toy' }, () => undefined, stored, storeLinesDataset);
}

async function storeLinesDataset(): Promise<DatasetManifest> {
  const splits = { train: generateLines(LINES_TRAIN, SEED), test: generateLines(LINES_TEST, SEED + 1) };
  const writer = await beginDataset({
    id: LINES_ID,
    name: 'Lines toy (16×16, horizontal vs vertical)',
    kind: 'image',
    inputShape: [LINES_SIDE, LINES_SIDE],
    classes: [...LINES_CLASSES],
    shardSize: LINES_TRAIN,
    splits: { train: { count: LINES_TRAIN, shards: 1 }, test: { count: LINES_TEST, shards: 1 } },
    source: 'generated in this page',
    complete: false,
  });
  for (const split of ['train', 'test'] as const) {
    await writer.putShard(split, 0, { pixels: splits[split].pixels, labels: splits[split].labels });
  }
  return writer.commit();
}
