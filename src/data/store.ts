/**
 * Datasets and binary blobs in IndexedDB (db 'scratchnet', object store 'kv', opened with a version by
 * database.ts and used through idb-keyval's helpers). All IndexedDB access of the app goes through this
 * module: a second open of 'scratchnet' elsewhere would hold up (and be closed by) version upgrades.
 *
 * Keys (arrays, so ids can hold any character):
 *   ['meta', id]                          → DatasetRecord of the live dataset (may be complete: false
 *                                           while its first load runs or after that load was interrupted)
 *   ['pending', id]                       → DatasetRecord of a reload in progress while a complete live
 *                                           version exists; the live one stays usable until commit
 *   ['shard', id, generation, split, i]   → ImageShard
 *   ['blob', key]                         → Uint8Array
 *   ['record', kind, id]                  → {schema, value}: small app records (runs, …)
 * Each load writes its shards under a fresh generation, so a failed reload never touches the live copy.
 * Loads of one dataset must run one at a time (across tabs too): writers hold withDatasetLock (dataset-lock.ts).
 */
import { del, delMany, get, getMany, keys, promisifyRequest, set } from 'idb-keyval';
import { RECORD_SCHEMA, kvStore } from './database';
import { shardCount } from './shard-format';
import type { DatasetManifest, ImageSet, ImageShard, SplitName } from './types';

interface DatasetRecord {
  schema: number;
  manifest: DatasetManifest;
  generation: string;
}

/** How app records are stored: the schema tells a later layout what wrote them. */
interface StoredRecord {
  schema: number;
  value: unknown;
}

type ShardKey = ['shard', string, string, SplitName, number];

const SPLITS: SplitName[] = ['train', 'test'];

/** A dataset record this page can read (database.ts migrates older ones when the database opens). */
async function getDatasetRecord(slot: 'meta' | 'pending', id: string): Promise<DatasetRecord | undefined> {
  const record = await get<DatasetRecord>([slot, id], kvStore);
  return record?.schema === RECORD_SCHEMA ? record : undefined;
}

function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** Runs a storage write, turning IndexedDB failures into messages fit for the status line. */
async function guardWrite<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isQuotaError(err)) {
      throw new Error(
        `Browser storage is full: could not save ${what}. Free some space (delete a dataset or site data) or use the bundled dataset.`,
      );
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not save ${what} in browser storage: ${message}`);
  }
}

function shardKey(id: string, generation: string, split: SplitName, index: number): ShardKey {
  return ['shard', id, generation, split, index];
}

function exampleBytes(manifest: DatasetManifest): number {
  return manifest.inputShape.reduce((a, b) => a * b, 1);
}

/** Copies a typed array unless it already owns its whole buffer (IndexedDB would store the whole buffer). */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function newGeneration(): string {
  return `${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

/** Two manifests describe the same bytes (so shards of one can be reused for the other). */
function sameLayout(a: DatasetManifest, b: DatasetManifest): boolean {
  const layout = (m: DatasetManifest) =>
    JSON.stringify([m.kind, m.inputShape, m.classes, m.shardSize, m.splits, m.source]);
  return layout(a) === layout(b);
}

function validateManifest(m: DatasetManifest): void {
  if (!m.id) throw new Error('Dataset manifest has no id');
  if (!(m.shardSize > 0)) throw new Error(`Dataset ${m.id}: shardSize must be positive`);
  for (const split of SPLITS) {
    const info = m.splits[split];
    if (!info || info.count < 0 || info.shards !== Math.ceil(info.count / m.shardSize)) {
      throw new Error(`Dataset ${m.id}: split ${split} has an inconsistent count/shard number`);
    }
  }
}

async function allKeys(): Promise<IDBValidKey[]> {
  return keys(kvStore);
}

async function shardKeysOf(id: string, generation?: string): Promise<ShardKey[]> {
  return (await allKeys()).filter(
    (k): k is ShardKey =>
      Array.isArray(k) && k[0] === 'shard' && k[1] === id && (generation === undefined || k[2] === generation),
  );
}

/** Best-effort removal of leftovers; a failure here must not fail the load that just succeeded. */
async function dropShards(keysToDrop: IDBValidKey[]): Promise<void> {
  if (keysToDrop.length === 0) return;
  try {
    await delMany(keysToDrop, kvStore);
  } catch {
    // Leftover shards only waste space; deleteDataset removes them later.
  }
}

export interface DatasetWriter {
  /** The manifest being written (complete: false until commit). */
  readonly manifest: DatasetManifest;
  /** True when this shard was stored by an earlier, interrupted load of the same data: skip producing it. */
  hasShard(split: SplitName, index: number): boolean;
  putShard(split: SplitName, index: number, shard: ImageShard): Promise<void>;
  /** Marks the dataset complete; replaces a previous complete version in one transaction. */
  commit(): Promise<DatasetManifest>;
}

/**
 * Starts (or resumes) storing a dataset. If a complete dataset with this id exists, it stays live and
 * loadable until commit(); if an earlier load of the same layout was interrupted, its shards are reused.
 */
export async function beginDataset(manifestIn: DatasetManifest): Promise<DatasetWriter> {
  const manifest: DatasetManifest = { ...manifestIn, complete: false };
  validateManifest(manifest);
  const { id } = manifest;
  const live = await getDatasetRecord('meta', id);
  const slot: 'meta' | 'pending' = live?.manifest.complete ? 'pending' : 'meta';
  const previous = slot === 'meta' ? live : await getDatasetRecord('pending', id);
  const resumable = previous !== undefined && !previous.manifest.complete && sameLayout(previous.manifest, manifest);
  const record: DatasetRecord = { schema: RECORD_SCHEMA, manifest, generation: resumable ? previous.generation : newGeneration() };
  await guardWrite(`the dataset "${manifest.name}"`, () => set([slot, id], record, kvStore));
  const present = new Set<string>();
  if (resumable) {
    for (const k of await shardKeysOf(id, record.generation)) present.add(`${k[3]}/${k[4]}`);
  } else if (previous && !previous.manifest.complete) {
    await dropShards(await shardKeysOf(id, previous.generation));
  }
  return new StoreDatasetWriter(record, slot, present, live?.manifest.complete ? live.generation : null);
}

class StoreDatasetWriter implements DatasetWriter {
  constructor(
    private readonly record: DatasetRecord,
    private readonly slot: 'meta' | 'pending',
    private readonly present: Set<string>,
    private readonly replacedGeneration: string | null,
  ) {}

  get manifest(): DatasetManifest {
    return this.record.manifest;
  }

  hasShard(split: SplitName, index: number): boolean {
    return this.present.has(`${split}/${index}`);
  }

  async putShard(split: SplitName, index: number, shard: ImageShard): Promise<void> {
    const m = this.record.manifest;
    const info = m.splits[split];
    if (!Number.isInteger(index) || index < 0 || index >= info.shards) {
      throw new Error(`Dataset ${m.id}: ${split} shard ${index} is out of range (0..${info.shards - 1})`);
    }
    const n = shardCount(info.count, m.shardSize, index);
    if (shard.labels.length !== n || shard.pixels.length !== n * exampleBytes(m)) {
      throw new Error(`Dataset ${m.id}: ${split} shard ${index} should hold ${n} examples, got ${shard.labels.length}`);
    }
    const value: ImageShard = { pixels: ownBuffer(shard.pixels), labels: ownBuffer(shard.labels) };
    const key = shardKey(m.id, this.record.generation, split, index);
    await guardWrite(`part ${index + 1} of the ${split} split of "${m.name}"`, () => set(key, value, kvStore));
    this.present.add(`${split}/${index}`);
  }

  async commit(): Promise<DatasetManifest> {
    const m = this.record.manifest;
    for (const split of SPLITS) {
      for (let i = 0; i < m.splits[split].shards; i++) {
        if (!this.hasShard(split, i)) throw new Error(`Dataset ${m.id}: ${split} shard ${i} was never stored`);
      }
    }
    const done: DatasetRecord = { schema: RECORD_SCHEMA, manifest: { ...m, complete: true }, generation: this.record.generation };
    await guardWrite(`the dataset "${m.name}"`, () =>
      kvStore('readwrite', (store) => {
        store.put(done, ['meta', m.id]);
        if (this.slot === 'pending') store.delete(['pending', m.id]);
        return promisifyRequest(store.transaction);
      }),
    );
    if (this.replacedGeneration !== null && this.replacedGeneration !== done.generation) {
      await dropShards(await shardKeysOf(m.id, this.replacedGeneration));
    }
    return done.manifest;
  }
}

/** Manifests of every stored dataset, including ones whose load was interrupted (complete: false). */
export async function listDatasets(): Promise<DatasetManifest[]> {
  const metaKeys = (await allKeys()).filter((k) => Array.isArray(k) && k[0] === 'meta');
  const records = await getMany<DatasetRecord>(metaKeys, kvStore);
  return records
    .filter((r): r is DatasetRecord => r?.schema === RECORD_SCHEMA)
    .map((r) => r.manifest)
    .sort((a, b) => a.id.localeCompare(b.id));
}

export async function getManifest(id: string): Promise<DatasetManifest | undefined> {
  return (await getDatasetRecord('meta', id))?.manifest;
}

/** Removes a dataset with all its shards (live, pending and leftovers of interrupted loads). */
export async function deleteDataset(id: string): Promise<void> {
  const doomed: IDBValidKey[] = [['meta', id], ['pending', id], ...(await shardKeysOf(id))];
  await delMany(doomed, kvStore);
}

interface SplitSnapshot {
  record: DatasetRecord | undefined;
  shards: (ImageShard | undefined)[];
}

/**
 * The live record and the shards of one split, read in one transaction: a reload committed by another
 * tab (which then drops the old shards) cannot fall between reading the record and reading its shards.
 */
function readSplitSnapshot(id: string, split: SplitName): Promise<SplitSnapshot> {
  return kvStore('readonly', (store) =>
    new Promise<SplitSnapshot>((resolve, reject) => {
      store.transaction.onabort = () => reject(store.transaction.error ?? new Error('reading browser storage was aborted'));
      const metaRequest = store.get(['meta', id]);
      metaRequest.onsuccess = () => {
        const found = metaRequest.result as DatasetRecord | undefined;
        const record = found?.schema === RECORD_SCHEMA ? found : undefined;
        const count = record?.manifest.complete ? record.manifest.splits[split].shards : 0;
        const shards = new Array<ImageShard | undefined>(count);
        let left = count;
        if (left === 0) resolve({ record, shards });
        for (let i = 0; i < count; i++) {
          const shardRequest = store.get(shardKey(id, record!.generation, split, i));
          shardRequest.onsuccess = () => {
            shards[i] = shardRequest.result as ImageShard | undefined;
            if (--left === 0) resolve({ record, shards });
          };
        }
      };
    }),
  );
}

/** Loads one split of a complete dataset into memory, shards concatenated in order. */
export async function loadImageSet(id: string, split: SplitName): Promise<ImageSet> {
  const { record, shards } = await readSplitSnapshot(id, split);
  if (!record) throw new Error(`Dataset "${id}" is not in browser storage; load it first`);
  const m = record.manifest;
  if (!m.complete) throw new Error(`Dataset "${m.name}" is incomplete (its download was interrupted); load it again to finish`);
  const info = m.splits[split];
  const perExample = exampleBytes(m);
  const pixels = new Uint8Array(info.count * perExample);
  const labels = new Uint8Array(info.count);
  shards.forEach((shard, i) => {
    const n = shardCount(info.count, m.shardSize, i);
    if (!shard || shard.labels.length !== n || shard.pixels.length !== n * perExample) {
      throw new Error(`Dataset "${m.name}" is damaged (${split} part ${i + 1} is missing); delete it and load it again`);
    }
    pixels.set(shard.pixels, i * m.shardSize * perExample);
    labels.set(shard.labels, i * m.shardSize);
  });
  return { inputShape: [...m.inputShape], classes: [...m.classes], count: info.count, pixels, labels };
}

/** Stores arbitrary bytes (e.g. the trained model's weight file) under a key. */
export async function saveBlob(key: string, bytes: Uint8Array): Promise<void> {
  await guardWrite(`"${key}"`, () => set(['blob', key], ownBuffer(bytes), kvStore));
}

export async function loadBlob(key: string): Promise<Uint8Array | undefined> {
  return get<Uint8Array>(['blob', key], kvStore);
}

export async function deleteBlob(key: string): Promise<void> {
  await del(['blob', key], kvStore);
}

/**
 * Small structured records of one kind (e.g. 'run'), keyed ['record', kind, id]: for app data that
 * is neither a dataset nor a blob. Values must be structured-cloneable.
 */
export async function saveRecord(kind: string, id: string, value: unknown): Promise<void> {
  const stored: StoredRecord = { schema: RECORD_SCHEMA, value };
  await guardWrite(`the ${kind} "${id}"`, () => set(['record', kind, id], stored, kvStore));
}

function recordValue<T>(stored: StoredRecord | undefined): T | undefined {
  return stored?.schema === RECORD_SCHEMA ? (stored.value as T) : undefined;
}

export async function loadRecord<T>(kind: string, id: string): Promise<T | undefined> {
  return recordValue<T>(await get<StoredRecord>(['record', kind, id], kvStore));
}

/** Every record of a kind, in key order. */
export async function listRecords<T>(kind: string): Promise<T[]> {
  const recordKeys = (await allKeys()).filter((k) => Array.isArray(k) && k[0] === 'record' && k[1] === kind);
  const stored = await getMany<StoredRecord>(recordKeys, kvStore);
  return stored.map((s) => recordValue<T>(s)).filter((v): v is T => v !== undefined);
}

export async function deleteRecords(kind: string, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await delMany(ids.map((id) => ['record', kind, id]), kvStore);
}
