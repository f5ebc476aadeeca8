import 'fake-indexeddb/auto';
import { createStore, keys } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { beginDataset, deleteBlob, deleteDataset, getManifest, listDatasets, loadBlob, loadImageSet, saveBlob } from './store';
import type { DatasetManifest, ImageShard } from './types';

/** 7 train examples of 2×2 in shards of 3 (3, 3, 1) and 2 test examples; example i has every pixel = base + i. */
function manifest(source = 'test source'): DatasetManifest {
  return {
    id: 'tiny',
    name: 'Tiny',
    kind: 'image',
    inputShape: [2, 2],
    classes: ['0', '1', '2'],
    shardSize: 3,
    splits: { train: { count: 7, shards: 3 }, test: { count: 2, shards: 1 } },
    source,
    complete: false,
  };
}

function shard(first: number, n: number, base = 0): ImageShard {
  const pixels = new Uint8Array(n * 4);
  for (let k = 0; k < n; k++) pixels.fill(base + first + k, k * 4, k * 4 + 4);
  return { pixels, labels: Uint8Array.from({ length: n }, (_, k) => (first + k) % 3) };
}

async function storeAll(source = 'test source', base = 0) {
  const w = await beginDataset(manifest(source));
  await w.putShard('train', 0, shard(0, 3, base));
  await w.putShard('train', 1, shard(3, 3, base));
  await w.putShard('train', 2, shard(6, 1, base));
  await w.putShard('test', 0, shard(0, 2, base + 100));
  return w.commit();
}

const rawStore = () => createStore('scratchnet', 'kv');
async function shardKeyCount(): Promise<number> {
  return (await keys(rawStore())).filter((k) => Array.isArray(k) && k[0] === 'shard').length;
}

function quotaOnShards() {
  const realPut = IDBObjectStore.prototype.put;
  return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (value && typeof value === 'object' && 'pixels' in value) throw new DOMException('quota', 'QuotaExceededError');
    return realPut.call(this, value, key);
  });
}

beforeEach(async () => {
  for (const m of await listDatasets()) await deleteDataset(m.id);
  await deleteDataset('tiny');
});
afterEach(() => vi.restoreAllMocks());

describe('dataset store', () => {
  it('round-trips a dataset: manifest, listing, and shards concatenated in order', async () => {
    const done = await storeAll();
    expect(done.complete).toBe(true);
    expect(await listDatasets()).toEqual([done]);
    const train = await loadImageSet('tiny', 'train');
    expect(train.count).toBe(7);
    expect(Array.from(train.pixels.filter((_, i) => i % 4 === 0))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(train.labels)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    const test = await loadImageSet('tiny', 'test');
    expect(Array.from(test.pixels)).toEqual([100, 100, 100, 100, 101, 101, 101, 101]);
    expect(test.inputShape).toEqual([2, 2]);
  });

  it('shows an interrupted load as incomplete and resumes it, skipping stored shards', async () => {
    const first = await beginDataset(manifest());
    await first.putShard('train', 0, shard(0, 3));
    await first.putShard('train', 1, shard(3, 3));
    // ...the page reloads here...
    expect((await getManifest('tiny'))?.complete).toBe(false);
    await expect(loadImageSet('tiny', 'train')).rejects.toThrow('is incomplete');
    const resumed = await beginDataset(manifest());
    expect([resumed.hasShard('train', 0), resumed.hasShard('train', 1), resumed.hasShard('train', 2)]).toEqual([true, true, false]);
    await expect(resumed.commit()).rejects.toThrow('train shard 2 was never stored');
    await resumed.putShard('train', 2, shard(6, 1));
    await resumed.putShard('test', 0, shard(0, 2, 100));
    await resumed.commit();
    expect(Array.from((await loadImageSet('tiny', 'train')).labels)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  it('does not resume from an interrupted load of different data, and drops its shards', async () => {
    const first = await beginDataset(manifest('source A'));
    await first.putShard('train', 0, shard(0, 3));
    const other = await beginDataset(manifest('source B'));
    expect(other.hasShard('train', 0)).toBe(false);
    expect(await shardKeyCount()).toBe(0);
  });

  it('keeps a complete dataset live while it is reloaded, and swaps only on commit', async () => {
    await storeAll('old');
    const reload = await beginDataset(manifest('new'));
    await reload.putShard('train', 0, shard(0, 3, 50));
    // The reload fails here: the old copy is intact and still complete.
    expect((await getManifest('tiny'))?.source).toBe('old');
    expect((await loadImageSet('tiny', 'train')).pixels[0]).toBe(0);
    const again = await beginDataset(manifest('new'));
    expect(again.hasShard('train', 0)).toBe(true);
    await again.putShard('train', 1, shard(3, 3, 50));
    await again.putShard('train', 2, shard(6, 1, 50));
    await again.putShard('test', 0, shard(0, 2, 150));
    await again.commit();
    expect((await getManifest('tiny'))?.source).toBe('new');
    expect((await loadImageSet('tiny', 'train')).pixels[0]).toBe(50);
    expect(await shardKeyCount()).toBe(4); // the old generation is gone
  });

  it('turns a quota error into a clear message and keeps what was stored', async () => {
    await storeAll('old');
    const reload = await beginDataset(manifest('new'));
    quotaOnShards();
    await expect(reload.putShard('train', 0, shard(0, 3))).rejects.toThrow(/^Browser storage is full: .*use the bundled dataset/);
    vi.restoreAllMocks();
    const kept = await loadImageSet('tiny', 'train');
    expect(Array.from(kept.labels)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect((await getManifest('tiny'))?.complete).toBe(true);
  });

  it('refuses shards of the wrong size or index', async () => {
    const w = await beginDataset(manifest());
    await expect(w.putShard('train', 2, shard(6, 2))).rejects.toThrow('should hold 1 examples, got 2');
    await expect(w.putShard('test', 1, shard(0, 1))).rejects.toThrow('out of range');
  });

  it('stores only the viewed bytes of a subarray', async () => {
    const big = new Uint8Array(1000).fill(9);
    const w = await beginDataset({ ...manifest(), splits: { train: { count: 1, shards: 1 }, test: { count: 0, shards: 0 } } });
    await w.putShard('train', 0, { pixels: big.subarray(10, 14), labels: big.subarray(0, 1) });
    await w.commit();
    const set = await loadImageSet('tiny', 'train');
    expect(Array.from(set.pixels)).toEqual([9, 9, 9, 9]);
  });

  it('deleteDataset removes the manifest and every shard', async () => {
    await storeAll();
    await deleteDataset('tiny');
    expect(await listDatasets()).toEqual([]);
    expect(await shardKeyCount()).toBe(0);
    await expect(loadImageSet('tiny', 'train')).rejects.toThrow('Dataset "tiny" is not in browser storage');
  });
});

describe('blobs', () => {
  it('saves, loads and deletes bytes; a quota error is reported clearly', async () => {
    await saveBlob('model', new Uint8Array([1, 2, 3]));
    expect(await loadBlob('model')).toEqual(new Uint8Array([1, 2, 3]));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    await expect(saveBlob('model', new Uint8Array([4]))).rejects.toThrow('Browser storage is full: could not save "model"');
    vi.restoreAllMocks();
    expect(await loadBlob('model')).toEqual(new Uint8Array([1, 2, 3]));
    await deleteBlob('model');
    expect(await loadBlob('model')).toBeUndefined();
  });
});
