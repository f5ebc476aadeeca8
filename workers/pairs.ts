/**
 * The paired-MNIST side of the worker: the pairs held in memory, the drawing → 28×56 input, and the
 * per-position confusion matrices of an evaluation.
 */
import { ensurePairedMnist, pairsDatasetId, samplePairs } from '../src/data/pairs-store';
import { preprocessDigit } from '../src/data/preprocess-digit';
import { getManifest, loadImageSet } from '../src/data/store';
import type { DatasetManifest, ImageSet } from '../src/data/types';
import type { PairsInfo, ProgressCallback } from './api';

const SAMPLES_SHOWN = 8;
const SIDE = 28;

/** Pair counts other than the defaults (tests). */
export interface PairCounts {
  trainCount?: number;
  testCount?: number;
}

export interface LoadedPairs {
  info: PairsInfo;
  train: ImageSet;
  test: ImageSet;
}

/** Paired datasets are the CNN's own: the MLP's dataset list leaves them out. */
export function isPairsDataset(id: string): boolean {
  return id.startsWith('mnist-pairs-');
}

async function readPairs(sourceId: string, manifest: DatasetManifest): Promise<LoadedPairs> {
  const train = await loadImageSet(manifest.id, 'train');
  const test = await loadImageSet(manifest.id, 'test');
  const samples = samplePairs(train, SAMPLES_SHOWN).map((s) => ({ pixels: s.pixels, label: s.label }));
  return {
    info: { id: manifest.id, sourceId, name: manifest.name, trainCount: train.count, testCount: test.count, samples },
    train,
    test,
  };
}

/** Builds the pairs when needed (bundled → 30k/5k, full → 60k/10k, seeded as docs/weights.md, paired MNIST) and loads them. */
export async function preparePairs(
  sourceId: string, onProgress: ProgressCallback, counts?: PairCounts,
): Promise<LoadedPairs> {
  const manifest = await ensurePairedMnist(sourceId, onProgress, { ...counts });
  onProgress({ phase: 'Reading paired MNIST from browser storage', fraction: 1 });
  return readPairs(sourceId, manifest);
}

/** The pairs built earlier from `sourceId` (default seed), or null when there is no complete copy. */
export async function loadStoredPairs(sourceId: string): Promise<LoadedPairs | null> {
  const manifest = await getManifest(pairsDatasetId(sourceId, 0));
  if (!manifest?.complete) return null;
  return readPairs(sourceId, manifest);
}

/**
 * A two-box drawing (width = 2 × height, ink 0 … 255) → 28×56 pixels, each half prepared like an
 * MNIST digit in its own 28×28 square. The page asks for one digit per box, so the box is the
 * digit: splitting the ink into connected blobs instead would fail whenever the two digits touch
 * (or one digit is drawn in two pieces, like a "5" whose bar is lifted). Null when a box is empty.
 */
export function preprocessPair(ink: Uint8ClampedArray, width: number, height: number): Uint8Array | null {
  if (width !== 2 * height) throw new Error(`A two-digit drawing must be twice as wide as high, got ${width}×${height}`);
  if (ink.length !== width * height) throw new Error(`Expected ${width * height} pixels, got ${ink.length}`);
  const half = height;
  const left = new Uint8ClampedArray(half * height);
  const right = new Uint8ClampedArray(half * height);
  for (let y = 0; y < height; y++) {
    left.set(ink.subarray(y * width, y * width + half), y * half);
    right.set(ink.subarray(y * width + half, (y + 1) * width), y * half);
  }
  const tens = preprocessDigit(left, half, height);
  const ones = preprocessDigit(right, half, height);
  if (!tens || !ones) return null;
  const out = new Uint8Array(SIDE * 2 * SIDE);
  for (let y = 0; y < SIDE; y++) {
    out.set(tens.subarray(y * SIDE, (y + 1) * SIDE), y * 2 * SIDE);
    out.set(ones.subarray(y * SIDE, (y + 1) * SIDE), y * 2 * SIDE + SIDE);
  }
  return out;
}

/** A 100×100 confusion of numbers 00..99 folded into one 10×10 matrix per digit position. */
export function digitConfusions(confusion: number[][]): { tens: number[][]; ones: number[][] } {
  const tens = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const ones = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  confusion.forEach((row, t) => row.forEach((count, p) => {
    tens[Math.floor(t / 10)][Math.floor(p / 10)] += count;
    ones[t % 10][p % 10] += count;
  }));
  return { tens, ones };
}
