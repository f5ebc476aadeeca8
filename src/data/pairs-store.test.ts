import 'fake-indexeddb/auto';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readBundledMnistSplit } from '../train/testing/shared-data';
import { makePairedMnist } from './pairs';
import {
  ensurePairedMnist, isPairsDataset, loadStoredPairs, pairsDatasetId, pairsManifest, preparePairs, samplePairs,
} from './pairs-store';
import { limitImageSet } from './split';
import { beginDataset, deleteDataset, getManifest, listDatasets, loadImageSet } from './store';
import type { DatasetManifest, ImageSet, LoadProgress } from './types';

const SOURCE_ID = 'mnist-small';
const OPTS = { seed: 3, trainCount: 1234, testCount: 321, shardSize: 500 };

let digits: { train: ImageSet; test: ImageSet };

/** Stores a small real-MNIST digit dataset (600 train / 200 test) under `id`, one shard per split. */
async function storeDigits(id = SOURCE_ID): Promise<DatasetManifest> {
  const w = await beginDataset({
    id,
    name: 'MNIST (small)',
    kind: 'image',
    inputShape: [28, 28],
    classes: Array.from({ length: 10 }, (_, d) => String(d)),
    shardSize: 1000,
    splits: { train: { count: digits.train.count, shards: 1 }, test: { count: digits.test.count, shards: 1 } },
    source: 'test digits',
    complete: false,
  });
  await w.putShard('train', 0, { pixels: digits.train.pixels, labels: digits.train.labels });
  await w.putShard('test', 0, { pixels: digits.test.pixels, labels: digits.test.labels });
  return w.commit();
}

function recorder(): { events: LoadProgress[]; fn: (p: LoadProgress) => void } {
  const events: LoadProgress[] = [];
  return { events, fn: (p) => events.push(p) };
}

beforeAll(async () => {
  const full = { train: readBundledMnistSplit('train'), test: readBundledMnistSplit('test') };
  digits = { train: limitImageSet(full.train, 600), test: limitImageSet(full.test, 200) };
});

beforeEach(async () => {
  for (const m of await listDatasets()) await deleteDataset(m.id);
  await storeDigits();
});

describe('ensurePairedMnist', () => {
  it('stores the pairs as mnist-pairs-<source>-<seed>, identical to makePairedMnist, with rising progress', async () => {
    const progress = recorder();
    const manifest = await ensurePairedMnist(SOURCE_ID, progress.fn, OPTS);
    expect(manifest.id).toBe('mnist-pairs-mnist-small-3');
    expect(manifest.id).toBe(pairsDatasetId(SOURCE_ID, 3));
    expect(manifest.complete).toBe(true);
    expect(manifest.inputShape).toEqual([28, 56]);
    expect(manifest.classes.length).toBe(100);
    expect(manifest.splits).toEqual({ train: { count: 1234, shards: 3 }, test: { count: 321, shards: 1 } });

    const expected = makePairedMnist(digits.train, digits.test, OPTS);
    for (const split of ['train', 'test'] as const) {
      const stored = await loadImageSet(manifest.id, split);
      expect(stored.count).toBe(expected[split].count);
      expect(stored.inputShape).toEqual([28, 56]);
      expect(stored.labels).toEqual(expected[split].labels);
      expect(Buffer.from(stored.pixels).equals(Buffer.from(expected[split].pixels))).toBe(true);
    }

    const fractions = progress.events.map((e) => e.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(progress.events.at(-1)).toEqual({ phase: 'Paired MNIST is ready', fraction: 1 });
    expect(progress.events.some((e) => /Storing paired MNIST \(4\/4\)/.test(e.phase))).toBe(true);
  });

  it('finds a stored copy ready on the next call (a reload) without reading the digits again', async () => {
    const first = await ensurePairedMnist(SOURCE_ID, () => {}, OPTS);
    await deleteDataset(SOURCE_ID);
    const progress = recorder();
    const again = await ensurePairedMnist(SOURCE_ID, progress.fn, OPTS);
    expect(again).toEqual(first);
    expect(progress.events).toEqual([{ phase: 'Paired MNIST is ready', fraction: 1 }]);
  });

  it('rebuilds when other counts are asked for, replacing the stored copy', async () => {
    await ensurePairedMnist(SOURCE_ID, () => {}, OPTS);
    const other = await ensurePairedMnist(SOURCE_ID, () => {}, { ...OPTS, trainCount: 700 });
    expect(other.splits.train).toEqual({ count: 700, shards: 2 });
    const stored = await loadImageSet(other.id, 'train');
    expect(stored.labels).toEqual(makePairedMnist(digits.train, digits.test, { ...OPTS, trainCount: 700 }).train.labels);
    expect((await listDatasets()).map((m) => m.id).sort()).toEqual([SOURCE_ID, other.id].sort());
  });

  it('resumes an interrupted build, storing only the missing shards', async () => {
    const source = (await getManifest(SOURCE_ID))!;
    const expected = makePairedMnist(digits.train, digits.test, OPTS);
    const w = await beginDataset(pairsManifest(source, OPTS.seed, { train: 1234, test: 321 }, OPTS.shardSize));
    const perPair = 28 * 56;
    await w.putShard('train', 0, { pixels: expected.train.pixels.slice(0, 500 * perPair), labels: expected.train.labels.slice(0, 500) });
    // The interrupted load never commits; the next call must finish it.
    const putSpy = vi.spyOn(IDBObjectStore.prototype, 'put');
    const manifest = await ensurePairedMnist(SOURCE_ID, () => {}, OPTS);
    const shardPuts = putSpy.mock.calls.filter(([value]) => value && typeof value === 'object' && 'pixels' in value);
    putSpy.mockRestore();
    expect(shardPuts.length).toBe(3);
    expect(manifest.complete).toBe(true);
    const train = await loadImageSet(manifest.id, 'train');
    expect(Buffer.from(train.pixels).equals(Buffer.from(expected.train.pixels))).toBe(true);
  });

  it('uses seed 0 and the bundled defaults (30,000 / 5,000 pairs) for mnist-bundled when none are given', async () => {
    await storeDigits('mnist-bundled');
    const built = await ensurePairedMnist('mnist-bundled', () => {});
    expect(built.id).toBe('mnist-pairs-mnist-bundled-0');
    expect(built.splits).toEqual({ train: { count: 30000, shards: 12 }, test: { count: 5000, shards: 2 } });
    const test = await loadImageSet(built.id, 'test');
    expect(test.labels).toEqual(makePairedMnist(digits.train, digits.test, { seed: 0, trainCount: 10, testCount: 5000 }).test.labels);
  });

  it('refuses a missing source, a non-digit source and a bad seed with clear messages, storing nothing', async () => {
    await expect(ensurePairedMnist('mnist-nowhere', () => {}, OPTS)).rejects.toThrow(/not in browser storage; load MNIST first/);
    await ensurePairedMnist(SOURCE_ID, () => {}, OPTS);
    const w = await beginDataset({ ...(await getManifest(SOURCE_ID))!, id: 'pairs-of-pairs', classes: ['a'] });
    await w.putShard('train', 0, { pixels: digits.train.pixels, labels: digits.train.labels });
    await w.putShard('test', 0, { pixels: digits.test.pixels, labels: digits.test.labels });
    await w.commit();
    await expect(ensurePairedMnist('pairs-of-pairs', () => {}, OPTS)).rejects.toThrow(/not a digit dataset/);
    await expect(ensurePairedMnist(SOURCE_ID, () => {}, { ...OPTS, seed: 1.5 })).rejects.toThrow(/whole number/);
    expect((await listDatasets()).map((m) => m.id).sort()).toEqual([pairsDatasetId(SOURCE_ID, 3), 'pairs-of-pairs', SOURCE_ID].sort());
  });
});

describe('preparePairs and samplePairs', () => {
  it('loads both splits and lists a few labelled samples for the page', async () => {
    const { info, train, test } = await preparePairs(SOURCE_ID, () => {}, OPTS);
    expect(train.count).toBe(1234);
    expect(test.count).toBe(321);
    expect(info).toMatchObject({ id: pairsDatasetId(SOURCE_ID, OPTS.seed), sourceId: SOURCE_ID, trainCount: 1234, testCount: 321 });
    expect(info.samples.map((s) => s.pixels.length)).toEqual(new Array(8).fill(28 * 56));
    expect((await getManifest(info.id))?.complete).toBe(true);
    const samples = samplePairs(test, 6);
    expect(samples.length).toBe(6);
    for (const s of samples) {
      expect(s.pixels.length).toBe(28 * 56);
      expect(s.label).toBe(`${s.tens}${s.ones}`);
      expect(test.labels[s.index]).toBe(10 * s.tens + s.ones);
    }
  });
});

describe('isPairsDataset and loadStoredPairs', () => {
  it('knows the paired datasets', () => {
    expect(isPairsDataset(pairsDatasetId('mnist-bundled', 0))).toBe(true);
    expect(isPairsDataset('mnist-bundled')).toBe(false);
  });

  it('finds no stored pairs for a source never paired', async () => {
    expect(await loadStoredPairs('never-paired')).toBeNull();
  });
});
