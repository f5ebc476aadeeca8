/**
 * Paired MNIST kept in IndexedDB: built once from a stored digit dataset ('mnist-bundled' or 'mnist-full')
 * and stored as dataset `mnist-pairs-<sourceId>-<seed>`, so a reload finds it ready. Because the pairs are
 * a pure function of (source digits, counts, seed), an interrupted build resumes by storing only the
 * shards it had not stored yet; the manifest's `source` names all of these, so a build with other counts
 * never reuses shards of an earlier one.
 */
import { loadDatasetOnce } from './dataset-lock';
import { shardCount } from './shard-format';
import { beginDataset, getManifest, loadImageSet } from './store';
import { DEFAULT_PAIR_SEED, PAIR_CLASSES, defaultPairCounts, makePairedMnist, samplePairs } from './pairs';
import type { DatasetManifest, ImageSet, ProgressFn, SplitName } from './types';

export { samplePairs, type PairSample } from './pairs';

/** 2,500 × 1,569 bytes ≈ 3.9 MB per shard, the same size per put as the full MNIST shards. */
export const PAIRS_SHARD_SIZE = 2500;
const SPLITS: SplitName[] = ['train', 'test'];
const SAMPLES_SHOWN = 8;

export interface PairedDatasetOptions {
  seed?: number;
  /** Default: 60,000 (30,000 for the bundled subset). */
  trainCount?: number;
  /** Default: 10,000 (5,000 for the bundled subset). */
  testCount?: number;
  /** Build and store again even when a complete copy with the same counts exists. */
  force?: boolean;
  shardSize?: number;
}

const PAIRS_ID_PREFIX = 'mnist-pairs-';

export function pairsDatasetId(sourceId: string, seed: number): string {
  return `${PAIRS_ID_PREFIX}${sourceId}-${seed}`;
}

/** Paired datasets are the CNN's own: the MLP's dataset list leaves them out. */
export function isPairsDataset(id: string): boolean {
  return id.startsWith(PAIRS_ID_PREFIX);
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new Error(`The pair seed must be a whole number, got ${seed}`);
}

export function pairsManifest(
  source: DatasetManifest,
  seed: number,
  counts: Record<SplitName, number>,
  shardSize = PAIRS_SHARD_SIZE,
): DatasetManifest {
  const [h, w] = source.inputShape;
  const split = (count: number) => ({ count, shards: Math.ceil(count / shardSize) });
  return {
    id: pairsDatasetId(source.id, seed),
    name: `Paired MNIST from ${source.name} (seed ${seed}, ${counts.train} + ${counts.test})`,
    kind: 'image',
    inputShape: [h, 2 * w],
    classes: [...PAIR_CLASSES],
    shardSize,
    splits: { train: split(counts.train), test: split(counts.test) },
    source: `pairs of ${source.id} (${source.source}); seed ${seed}; ${counts.train} train pairs from train digits, ${counts.test} test pairs from test digits`,
    complete: false,
  };
}

function sameCounts(m: DatasetManifest, counts: Record<SplitName, number>): boolean {
  return m.splits.train.count === counts.train && m.splits.test.count === counts.test;
}

async function loadDigits(sourceId: string): Promise<{ manifest: DatasetManifest; train: ImageSet; test: ImageSet }> {
  const manifest = await getManifest(sourceId);
  if (!manifest) throw new Error(`Dataset "${sourceId}" is not in browser storage; load MNIST first`);
  if (manifest.classes.length !== 10 || manifest.inputShape.length !== 2) {
    throw new Error(`Dataset "${manifest.name}" is not a digit dataset; paired MNIST needs MNIST digits`);
  }
  const train = await loadImageSet(sourceId, 'train');
  const test = await loadImageSet(sourceId, 'test');
  return { manifest, train, test };
}

/**
 * Makes sure the paired dataset built from stored digit dataset `sourceId` with `opts.seed` is in
 * IndexedDB and returns its manifest (load the pairs with loadImageSet(manifest.id, split)). Returns at
 * once when a complete copy with the requested counts is stored; otherwise builds and stores it, shard by
 * shard, reporting progress. A failed build leaves an existing complete copy usable.
 */
export async function ensurePairedMnist(
  sourceId: string,
  onProgress: ProgressFn,
  opts: PairedDatasetOptions = {},
): Promise<DatasetManifest> {
  const seed = opts.seed ?? DEFAULT_PAIR_SEED;
  checkSeed(seed);
  const defaults = defaultPairCounts(sourceId);
  const counts = { train: opts.trainCount ?? defaults.train, test: opts.testCount ?? defaults.test };
  const stored = async () => {
    const existing = await getManifest(pairsDatasetId(sourceId, seed));
    if (opts.force || !existing?.complete || !sameCounts(existing, counts)) return undefined;
    onProgress({ phase: 'Paired MNIST is ready', fraction: 1 });
    return existing;
  };
  const dataset = { id: pairsDatasetId(sourceId, seed), name: `paired MNIST (seed ${seed})` };
  return loadDatasetOnce(dataset, onProgress, stored, () => buildPairs(sourceId, seed, counts, onProgress, opts.shardSize));
}

async function buildPairs(
  sourceId: string,
  seed: number,
  counts: Record<SplitName, number>,
  onProgress: ProgressFn,
  shardSize: number | undefined,
): Promise<DatasetManifest> {
  onProgress({ phase: 'Building paired MNIST: reading digits', fraction: 0 });
  const digits = await loadDigits(sourceId);
  const writer = await beginDataset(pairsManifest(digits.manifest, seed, counts, shardSize));
  onProgress({ phase: 'Building paired MNIST: pairing digits', fraction: 0.05 });
  const pairs = makePairedMnist(digits.train, digits.test, { seed, trainCount: counts.train, testCount: counts.test });
  const m = writer.manifest;
  const perExample = m.inputShape[0] * m.inputShape[1];
  const total = m.splits.train.shards + m.splits.test.shards;
  let done = 0;
  for (const split of SPLITS) {
    const set = pairs[split];
    for (let i = 0; i < m.splits[split].shards; i++) {
      if (!writer.hasShard(split, i)) {
        const start = i * m.shardSize;
        const end = start + shardCount(set.count, m.shardSize, i);
        await writer.putShard(split, i, {
          pixels: set.pixels.slice(start * perExample, end * perExample),
          labels: set.labels.slice(start, end),
        });
      }
      done++;
      onProgress({ phase: `Storing paired MNIST (${done}/${total})`, fraction: 0.05 + (0.95 * done) / total });
    }
  }
  const complete = await writer.commit();
  onProgress({ phase: 'Paired MNIST is ready', fraction: 1 });
  return complete;
}

/** One pair shown beside the data controls. */
export interface PairPreview {
  /** 28×56 uint8 pixels (255 = ink). */
  pixels: Uint8Array;
  label: string;
}

/** Paired MNIST held in memory, ready for the CNN. */
export interface PairsInfo {
  id: string;
  /** The digit dataset the pairs were built from ('mnist-bundled' | 'mnist-full'). */
  sourceId: string;
  name: string;
  trainCount: number;
  testCount: number;
  samples: PairPreview[];
}

/** Pair counts other than the defaults (tests). */
export type PairCounts = Pick<PairedDatasetOptions, 'trainCount' | 'testCount'>;

/** Both splits of a paired dataset in memory, with a few samples for the page. */
export interface LoadedPairs {
  info: PairsInfo;
  train: ImageSet;
  test: ImageSet;
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
export async function preparePairs(sourceId: string, onProgress: ProgressFn, opts: PairedDatasetOptions = {}): Promise<LoadedPairs> {
  const manifest = await ensurePairedMnist(sourceId, onProgress, opts);
  onProgress({ phase: 'Reading paired MNIST from browser storage', fraction: 1 });
  return readPairs(sourceId, manifest);
}

/** The pairs built earlier from `sourceId` (default seed), or null when there is no complete copy. */
export async function loadStoredPairs(sourceId: string): Promise<LoadedPairs | null> {
  const manifest = await getManifest(pairsDatasetId(sourceId, DEFAULT_PAIR_SEED));
  if (!manifest?.complete) return null;
  return readPairs(sourceId, manifest);
}
