import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DB_NAME, DB_VERSION, KV_STORE, PAGE_REPLACED_MESSAGE, connectStorage, onStorageEvent, type StorageEvent } from './database';
import { listRuns, loadRun, saveRun } from './runs-store';
import { beginDataset, getManifest, listDatasets, loadBlob, loadImageSet } from './store';
import type { DatasetManifest } from './types';

const TINY: DatasetManifest = {
  id: 'tiny',
  name: 'Tiny',
  kind: 'image',
  inputShape: [1, 2],
  classes: ['a', 'b'],
  shardSize: 2,
  splits: { train: { count: 3, shards: 2 }, test: { count: 1, shards: 1 } },
  source: 'written by the version-1 page',
  complete: true,
};

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function deleteDatabase(): Promise<unknown> {
  return request(indexedDB.deleteDatabase(DB_NAME));
}

/** The database as the page before versioning left it: idb-keyval's version 1, records without a schema. */
async function writeVersion1Layout(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(KV_STORE);
  const db = await request(open);
  const tx = db.transaction(KV_STORE, 'readwrite');
  const kv = tx.objectStore(KV_STORE);
  kv.put({ manifest: TINY, generation: 'g1' }, ['meta', 'tiny']);
  kv.put({ pixels: Uint8Array.of(1, 1, 2, 2), labels: Uint8Array.of(0, 1) }, ['shard', 'tiny', 'g1', 'train', 0]);
  kv.put({ pixels: Uint8Array.of(3, 3), labels: Uint8Array.of(1) }, ['shard', 'tiny', 'g1', 'train', 1]);
  kv.put({ pixels: Uint8Array.of(9, 9), labels: Uint8Array.of(0) }, ['shard', 'tiny', 'g1', 'test', 0]);
  kv.put({ note: 'no manifest' }, ['meta', 'broken']);
  kv.put({ id: 'r-1', startedAt: 5, name: 'an old run' }, ['record', 'run', 'r-1']);
  kv.put(Uint8Array.of(7, 8), ['blob', 'model']);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  return db;
}

async function rawGet(key: IDBValidKey): Promise<unknown> {
  const db = await request(indexedDB.open(DB_NAME));
  try {
    return await request(db.transaction(KV_STORE).objectStore(KV_STORE).get(key));
  } finally {
    db.close();
  }
}

const events: StorageEvent[] = [];
let stopListening: () => void = () => undefined;
beforeEach(async () => {
  await deleteDatabase();
  events.length = 0;
  stopListening = onStorageEvent((e) => events.push(e));
});
afterEach(() => {
  stopListening();
  vi.restoreAllMocks();
});

describe('opening the database', () => {
  it('migrates the version-1 layout: datasets, runs and blobs stay readable, records gain a schema', async () => {
    const oldTab = await writeVersion1Layout();
    // The old page has no versionchange handler: the upgrade waits for it and says so.
    const reading = listDatasets();
    await vi.waitFor(() => expect(events.map((e) => e.kind)).toContain('blocked'));
    oldTab.close();
    expect((await reading).map((m) => m.id)).toEqual(['tiny']);
    expect(events.find((e) => e.kind === 'migrated')?.message).toMatch(/layout 2\. 1 unreadable dataset record was removed/);

    const train = await loadImageSet('tiny', 'train');
    expect(Array.from(train.pixels)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(Array.from(train.labels)).toEqual([0, 1, 1]);
    expect(await getManifest('broken')).toBeUndefined();
    expect(await listRuns()).toEqual([{ id: 'r-1', startedAt: 5, name: 'an old run' }]);
    expect(await loadBlob('model')).toEqual(Uint8Array.of(7, 8));
    expect(await rawGet(['meta', 'tiny'])).toMatchObject({ schema: DB_VERSION, generation: 'g1' });
    expect(await rawGet(['record', 'run', 'r-1'])).toEqual({ schema: DB_VERSION, value: { id: 'r-1', startedAt: 5, name: 'an old run' } });
  });

  it('starts a new database at the current version without a migration', async () => {
    await saveRun({ id: 'r-2', startedAt: 9 });
    expect(await loadRun('r-2')).toEqual({ id: 'r-2', startedAt: 9 });
    expect(events).toEqual([]);
    const db = await request(indexedDB.open(DB_NAME));
    expect(db.version).toBe(DB_VERSION);
    db.close();
  });

  it('says so when the stored data is of a newer page', async () => {
    const newer = indexedDB.open(DB_NAME, DB_VERSION + 1);
    newer.onupgradeneeded = () => newer.result.createObjectStore(KV_STORE);
    (await request(newer)).close();
    await expect(getManifest('tiny')).rejects.toThrow(/newer scratchnet .*reload this page/);
  });

  it('a quota failure while committing keeps the previous complete copy live', async () => {
    const writer = await beginDataset({ ...TINY, complete: false, source: 'first' });
    await writer.putShard('train', 0, { pixels: Uint8Array.of(1, 1, 2, 2), labels: Uint8Array.of(0, 1) });
    await writer.putShard('train', 1, { pixels: Uint8Array.of(3, 3), labels: Uint8Array.of(1) });
    await writer.putShard('test', 0, { pixels: Uint8Array.of(9, 9), labels: Uint8Array.of(0) });
    await writer.commit();
    const reload = await beginDataset({ ...TINY, complete: false, source: 'second' });
    await reload.putShard('train', 0, { pixels: Uint8Array.of(5, 5, 6, 6), labels: Uint8Array.of(1, 0) });
    await reload.putShard('train', 1, { pixels: Uint8Array.of(7, 7), labels: Uint8Array.of(0) });
    await reload.putShard('test', 0, { pixels: Uint8Array.of(8, 8), labels: Uint8Array.of(1) });
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if ((value as { manifest?: DatasetManifest }).manifest?.complete) throw new DOMException('quota', 'QuotaExceededError');
      return realPut.call(this, value, key);
    });
    await expect(reload.commit()).rejects.toThrow(/^Browser storage is full: could not save the dataset "Tiny"/);
    vi.restoreAllMocks();
    expect((await getManifest('tiny'))?.source).toBe('first');
    expect(Array.from((await loadImageSet('tiny', 'train')).pixels)).toEqual([1, 1, 2, 2, 3, 3]);
  });
});

// Last: once another tab has upgraded, this module refuses every further call, as a stale page should.
describe('an upgrade in another tab', () => {
  it('closes this connection, tells the page to reload, and refuses further use', async () => {
    await connectStorage();
    const otherTab = await request(indexedDB.open(DB_NAME, DB_VERSION + 1));
    expect(events).toEqual([{ kind: 'replaced', message: PAGE_REPLACED_MESSAGE }]);
    otherTab.close();
    await expect(listDatasets()).rejects.toThrow(PAGE_REPLACED_MESSAGE);
  });
});
