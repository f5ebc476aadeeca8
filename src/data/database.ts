/**
 * The app's one IndexedDB database ('scratchnet', object store 'kv'), opened with a version so that a
 * newer page can change the stored layout and the tabs still running the older page step aside.
 *
 * Versions (of the database and of the records' `schema` field):
 *   1  idb-keyval's createStore('scratchnet', 'kv'): dataset records {manifest, generation}, app records
 *      stored bare.
 *   2  dataset records {schema, manifest, generation}; app records wrapped as {schema, value}, so a later
 *      layout can tell them apart from data written before it. Upgrading from 1 rewrites only these small
 *      records (never a shard); an unreadable dataset record is removed, so that dataset is loaded again.
 *
 * When another tab opens a newer version, this connection closes itself at once (an open connection
 * would block that tab's upgrade) and every later call here fails with a message asking for a reload.
 */
import type { UseStore } from 'idb-keyval';

export const DB_NAME = 'scratchnet';
export const KV_STORE = 'kv';
export const DB_VERSION = 2;
/** The `schema` every record written by this page carries (the database version that defined it). */
export const RECORD_SCHEMA = DB_VERSION;

export const PAGE_REPLACED_MESSAGE =
  'scratchnet was updated in another tab and now uses a newer storage layout: reload this page to keep using your stored data';
const BLOCKED_MESSAGE =
  'Updating browser storage: waiting for other scratchnet tabs opened before the update to close (or reload them)';
const NEWER_DATA_MESSAGE =
  'Browser storage holds data of a newer scratchnet (open in another tab?): reload this page to use it';

export type StorageEvent =
  | { kind: 'replaced'; message: string }
  | { kind: 'blocked'; message: string }
  | { kind: 'migrated'; message: string };

const listeners = new Set<(event: StorageEvent) => void>();
let connection: Promise<IDBDatabase> | null = null;
let replaced = false;

function emit(event: StorageEvent): void {
  for (const listener of listeners) listener(event);
}

/** Hears about storage changes made from elsewhere (another tab's upgrade, a migration here). */
export function onStorageEvent(listener: (event: StorageEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function requestDone<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Rewrites every value in [prefix, …] keys with `rewrite`; a null result deletes the entry. */
function rewriteRange(store: IDBObjectStore, prefix: string, rewrite: (value: unknown) => unknown, onDrop: () => void): void {
  const range = IDBKeyRange.bound([prefix], [prefix, []]);
  const cursorRequest = store.openCursor(range);
  cursorRequest.onsuccess = () => {
    const cursor = cursorRequest.result;
    if (!cursor) return;
    const next = rewrite(cursor.value);
    if (next === null) {
      cursor.delete();
      onDrop();
    } else {
      cursor.update(next);
    }
    cursor.continue();
  };
}

function datasetRecordV2(value: unknown): unknown {
  const v = value as { manifest?: { id?: unknown }; generation?: unknown } | null;
  const readable = typeof v?.manifest?.id === 'string' && typeof v.generation === 'string';
  return readable ? { ...v, schema: 2 } : null;
}

/** Version 1 → 2, inside the upgrade transaction (all or nothing). */
function migrateFrom1(store: IDBObjectStore): void {
  let dropped = 0;
  const drop = () => dropped++;
  rewriteRange(store, 'meta', datasetRecordV2, drop);
  rewriteRange(store, 'pending', datasetRecordV2, drop);
  rewriteRange(store, 'record', (value) => ({ schema: 2, value }), drop);
  store.transaction.addEventListener('complete', () => {
    const lost = dropped > 0 ? ` ${dropped} unreadable dataset record${dropped === 1 ? ' was' : 's were'} removed; load that data again.` : '';
    emit({ kind: 'migrated', message: `Browser storage was updated to layout ${DB_VERSION}.${lost}` });
  });
}

function upgrade(request: IDBOpenDBRequest, oldVersion: number): void {
  const db = request.result;
  if (!db.objectStoreNames.contains(KV_STORE)) {
    db.createObjectStore(KV_STORE);
    return; // a new database: nothing to migrate
  }
  const store = request.transaction!.objectStore(KV_STORE);
  if (oldVersion < 2) migrateFrom1(store);
}

function open(): Promise<IDBDatabase> {
  const request = indexedDB.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = (event) => upgrade(request, event.oldVersion);
  request.onblocked = () => emit({ kind: 'blocked', message: BLOCKED_MESSAGE });
  return requestDone(request).then(
    (db) => {
      db.onversionchange = (event) => {
        db.close();
        connection = null;
        // A deleted database (newVersion null) is simply made again on the next call.
        if (event.newVersion !== null) {
          replaced = true;
          emit({ kind: 'replaced', message: PAGE_REPLACED_MESSAGE });
        }
      };
      db.onclose = () => (connection = null); // closed by the browser (storage cleared): reopen next time
      return db;
    },
    (err: unknown) => {
      connection = null;
      if ((err as { name?: string } | null)?.name === 'VersionError') throw new Error(NEWER_DATA_MESSAGE);
      throw err;
    },
  );
}

function database(): Promise<IDBDatabase> {
  if (replaced) return Promise.reject(new Error(PAGE_REPLACED_MESSAGE));
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('Browser storage (IndexedDB) is not available here'));
  connection ??= open();
  return connection;
}

/** The 'kv' store in idb-keyval's shape, on the versioned connection. */
export const kvStore: UseStore = (mode, callback) =>
  database().then((db) => callback(db.transaction(KV_STORE, mode).objectStore(KV_STORE)));

/** Opens the database now (so this context hears about upgrades in other tabs); errors go to listeners' callers. */
export async function connectStorage(): Promise<void> {
  await database();
}
