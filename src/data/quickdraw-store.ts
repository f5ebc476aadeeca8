/**
 * Sequence datasets in IndexedDB, kept through store.ts's blob API (the one door to the app's database):
 *   'sequence-datasets'                              → JSON list of dataset ids
 *   'sequence-meta/<id>'                             → JSON {schema, manifest, generation} of the live dataset
 *   'sequence-pending/<id>'                          → the same for a reload running while a complete copy is live
 *   'sequence-shard/<id>/<generation>/<class>/<i>'   → shard bytes (quickdraw-shard.ts)
 * The record is rewritten after every shard, so an interrupted load (network error, closed tab) resumes
 * where it stopped; a new load of a different layout goes to a fresh generation and replaces the live
 * copy only at commit, so nothing stored is lost on failure. Writers hold the dataset's lock (dataset-lock.ts).
 */
import { RECORD_SCHEMA } from './database';
import { SEQUENCE_SPLITS, splitOf } from './quickdraw-common';
import { SequenceBuilder, decodeSequenceShard, encodeSequenceShard } from './quickdraw-shard';
import { deleteBlob, loadBlob, saveBlob } from './store';
import type { SequenceClassInfo, SequenceManifest, SequenceSet, SequenceShard, SequenceSplitName } from './types';

interface SequenceRecord {
  manifest: SequenceManifest;
  generation: string;
}

type Slot = 'meta' | 'pending';
const INDEX_KEY = 'sequence-datasets';

const recordKey = (slot: Slot, id: string) => `sequence-${slot}/${encodeURIComponent(id)}`;
const shardKey = (id: string, generation: string, classIndex: number, i: number) =>
  `sequence-shard/${encodeURIComponent(id)}/${generation}/${classIndex}/${i}`;

const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function readJson<T>(key: string): Promise<T | undefined> {
  const bytes = await loadBlob(key);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    return undefined; // an unreadable record counts as absent; its load starts over
  }
}

/** saveBlob with the storage key in its message replaced by words a user understands. */
async function save(key: string, bytes: Uint8Array, what: string): Promise<void> {
  try {
    await saveBlob(key, bytes);
  } catch (err) {
    throw new Error((err instanceof Error ? err.message : String(err)).replace(`"${key}"`, what));
  }
}

/** Records written before layout 2 have no `schema` and the same fields, so they are read as they are. */
async function readRecord(slot: Slot, id: string): Promise<SequenceRecord | undefined> {
  const record = await readJson<SequenceRecord & { schema?: number }>(recordKey(slot, id));
  return record && (record.schema ?? RECORD_SCHEMA) === RECORD_SCHEMA ? record : undefined;
}

const writeRecord = (slot: Slot, record: SequenceRecord) =>
  save(recordKey(slot, record.manifest.id), encodeJson({ ...record, schema: RECORD_SCHEMA }), `the dataset "${record.manifest.name}"`);

async function addToIndex(id: string): Promise<void> {
  const ids = (await readJson<string[]>(INDEX_KEY)) ?? [];
  if (!ids.includes(id)) await save(INDEX_KEY, encodeJson([...ids, id]), 'the list of datasets');
}

function newGeneration(): string {
  return `${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

/** Same source read the same way: shards of one can be reused for the other. */
function sameLayout(a: SequenceManifest, b: SequenceManifest): boolean {
  const layout = (m: SequenceManifest) => JSON.stringify([m.classes, m.shardSize, m.perClassLimit, m.split.seed, m.split.fractions, m.source]);
  return layout(a) === layout(b);
}

/** Best-effort removal (one extra index per class: a shard may be stored before its record was). */
async function dropShards(record: SequenceRecord): Promise<void> {
  const { id } = record.manifest;
  for (let c = 0; c < record.manifest.perClass.length; c++) {
    for (let i = 0; i <= record.manifest.perClass[c].shards; i++) {
      await deleteBlob(shardKey(id, record.generation, c, i)).catch(() => undefined);
    }
  }
}

/** A complete stored dataset with this layout, if any (a load can then be skipped). */
export async function findCompleteSequenceDataset(manifest: SequenceManifest): Promise<SequenceManifest | undefined> {
  const live = await readRecord('meta', manifest.id);
  return live?.manifest.complete && sameLayout(live.manifest, manifest) ? live.manifest : undefined;
}

/** Progress figures a writer records for a class with each shard. */
export interface ClassCounts {
  malformed: number;
  invalid: number;
  firstProblem: string | null;
}

export class SequenceWriter {
  constructor(
    private readonly record: SequenceRecord,
    private readonly slot: Slot,
    private readonly replaced: SequenceRecord | null,
  ) {}

  get manifest(): SequenceManifest {
    return this.record.manifest;
  }

  classInfo(classIndex: number): SequenceClassInfo {
    return this.record.manifest.perClass[classIndex];
  }

  /** Stores shard `index` of a class (drawings index·shardSize …) and records how far the class got. */
  async putClassShard(classIndex: number, index: number, shard: SequenceShard, counts: ClassCounts): Promise<void> {
    const m = this.record.manifest;
    const info = m.perClass[classIndex];
    if (shard.count === 0 || shard.count > m.shardSize) throw new Error(`Class "${info.name}": a shard must hold 1..${m.shardSize} drawings`);
    const what = `part ${index + 1} of "${info.name}"`;
    await save(shardKey(m.id, this.record.generation, classIndex, index), encodeSequenceShard(shard), what);
    let longest = 0;
    for (let k = 0; k < shard.count; k++) longest = Math.max(longest, shard.offsets[k + 1] - shard.offsets[k]);
    Object.assign(info, counts, {
      shards: index + 1,
      count: index * m.shardSize + shard.count,
      maxLen: Math.max(info.maxLen, longest),
    });
    await writeRecord(this.slot, this.record);
  }

  async finishClass(classIndex: number, counts: ClassCounts): Promise<void> {
    const m = this.record.manifest;
    const info = m.perClass[classIndex];
    if (info.shards !== Math.ceil(info.count / m.shardSize) || info.count === 0) {
      throw new Error(`Class "${info.name}" is not fully stored (${info.count} drawings in ${info.shards} parts)`);
    }
    Object.assign(info, counts, { done: true });
    await writeRecord(this.slot, this.record);
  }

  /** Marks the dataset complete (split counts filled in) and retires the copy it replaces. */
  async commit(): Promise<SequenceManifest> {
    const m = this.record.manifest;
    const unfinished = m.perClass.find((c) => !c.done);
    if (unfinished) throw new Error(`Class "${unfinished.name}" was never fully loaded`);
    const counts: Record<SequenceSplitName, number> = { train: 0, dev: 0, test: 0 };
    for (const info of m.perClass) {
      for (let k = 0; k < info.count; k++) counts[splitOf(info.name, k, m.split.seed, m.split.fractions)]++;
    }
    const manifest: SequenceManifest = {
      ...m,
      split: { ...m.split, counts },
      maxLen: Math.max(...m.perClass.map((c) => c.maxLen)),
      complete: true,
    };
    const done: SequenceRecord = { manifest, generation: this.record.generation };
    await writeRecord('meta', done);
    if (this.slot === 'pending') await deleteBlob(recordKey('pending', m.id)).catch(() => undefined);
    if (this.replaced && this.replaced.generation !== done.generation) await dropShards(this.replaced);
    return manifest;
  }
}

/**
 * Starts or resumes storing a sequence dataset. An interrupted load of the same layout is resumed (its
 * finished classes and shards are kept); a complete dataset with this id stays live until commit().
 */
export async function beginSequenceDataset(manifestIn: SequenceManifest): Promise<SequenceWriter> {
  const { id } = manifestIn;
  if (!id) throw new Error('Sequence dataset manifest has no id');
  const live = await readRecord('meta', id);
  const slot: Slot = live?.manifest.complete ? 'pending' : 'meta';
  const previous = slot === 'meta' ? live : await readRecord('pending', id);
  const resumable = previous !== undefined && !previous.manifest.complete && sameLayout(previous.manifest, manifestIn);
  // An interrupted load of another layout is abandoned; a complete record is never dropped here.
  if (previous && !resumable && !previous.manifest.complete) await dropShards(previous);
  const record: SequenceRecord = resumable
    ? previous
    : { manifest: { ...structuredClone(manifestIn), complete: false }, generation: newGeneration() };
  await addToIndex(id);
  await writeRecord(slot, record);
  return new SequenceWriter(record, slot, live?.manifest.complete ? live : null);
}

/** Manifests of stored sequence datasets, including interrupted loads (complete: false). */
export async function listSequenceDatasets(): Promise<SequenceManifest[]> {
  const ids = (await readJson<string[]>(INDEX_KEY)) ?? [];
  const records = await Promise.all(ids.map((id) => readRecord('meta', id)));
  return records.filter((r): r is SequenceRecord => r !== undefined).map((r) => r.manifest);
}

export async function getSequenceManifest(id: string): Promise<SequenceManifest | undefined> {
  return (await readRecord('meta', id))?.manifest;
}

/** Removes a sequence dataset: live and pending records and their shards. */
export async function deleteSequenceDataset(id: string): Promise<void> {
  for (const slot of ['meta', 'pending'] as const) {
    const record = await readRecord(slot, id);
    if (record) await dropShards(record);
    await deleteBlob(recordKey(slot, id));
  }
  const ids = (await readJson<string[]>(INDEX_KEY)) ?? [];
  if (ids.includes(id)) await save(INDEX_KEY, encodeJson(ids.filter((x) => x !== id)), 'the list of datasets');
}

/** Loads one split of a complete sequence dataset into memory (class by class, file order within a class). */
export async function loadSequenceSet(id: string, split: SequenceSplitName): Promise<SequenceSet> {
  if (!SEQUENCE_SPLITS.includes(split)) throw new Error(`Unknown split "${split}" (use train, dev or test)`);
  const record = await readRecord('meta', id);
  if (!record) throw new Error(`Dataset "${id}" is not in browser storage; load it first`);
  if (!record.manifest.complete) {
    throw new Error(`Dataset "${record.manifest.name}" is incomplete (its download was interrupted); load it again to finish`);
  }
  try {
    return await readSplit(record, split);
  } catch (err) {
    // A reload committed by another tab meanwhile drops the shards being read: read its copy instead.
    const now = await readRecord('meta', id);
    if (now?.manifest.complete && now.generation !== record.generation) return readSplit(now, split);
    throw err;
  }
}

async function readSplit(record: SequenceRecord, split: SequenceSplitName): Promise<SequenceSet> {
  const m = record.manifest;
  const builder = new SequenceBuilder();
  for (let c = 0; c < m.perClass.length; c++) {
    const info = m.perClass[c];
    for (let i = 0; i < info.shards; i++) {
      const bytes = await loadBlob(shardKey(m.id, record.generation, c, i));
      const expected = Math.min(m.shardSize, info.count - i * m.shardSize);
      const damaged = `Dataset "${m.name}" is damaged (part ${i + 1} of "${info.name}" is missing); delete it and load it again`;
      if (!bytes) throw new Error(damaged);
      const shard = decodeSequenceShard(bytes, `Part ${i + 1} of "${info.name}"`);
      if (shard.count !== expected) throw new Error(damaged);
      for (let k = 0; k < shard.count; k++) {
        if (splitOf(info.name, i * m.shardSize + k, m.split.seed, m.split.fractions) === split) builder.addFrom(shard, k);
      }
    }
  }
  return builder.toSet(m.classes);
}
