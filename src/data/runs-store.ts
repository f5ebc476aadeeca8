/**
 * The training-run history in IndexedDB (through store.ts, db 'scratchnet'): one record per run,
 * and the run's weights (safetensors bytes) as a blob beside it when the user keeps them.
 * Generic over the record type: src/data does not know what a training config is.
 */
import { deleteBlob, deleteRecords, listRecords, loadBlob, loadRecord, saveBlob, saveRecord } from './store';

const KIND = 'run';

/** What every stored run has: a unique id and when it started (ms since 1970). */
export interface StoredRun {
  id: string;
  startedAt: number;
}

export function runWeightsKey(id: string): string {
  return `run-weights/${id}`;
}

/** Blob key of a run's checkpoint while it has not ended (workers/run-checkpoints.ts writes it). */
export function runCheckpointKey(id: string): string {
  return `run-checkpoint/${id}`;
}

/** A fresh id, sortable by time: "r-<time36>-<random>". */
export function newRunId(now = Date.now()): string {
  return `r-${now.toString(36).padStart(9, '0')}-${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

export async function saveRun<T extends StoredRun>(run: T): Promise<void> {
  if (!run.id) throw new Error('A run needs an id to be stored');
  await saveRecord(KIND, run.id, run);
}

export async function loadRun<T extends StoredRun>(id: string): Promise<T | undefined> {
  return loadRecord<T>(KIND, id);
}

/** Every stored run, oldest first. */
export async function listRuns<T extends StoredRun>(): Promise<T[]> {
  const runs = await listRecords<T>(KIND);
  return runs.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
}

/** Removes runs, their weights and the checkpoint of any that had not ended. */
export async function deleteRuns(ids: readonly string[]): Promise<void> {
  await deleteRecords(KIND, ids);
  for (const id of ids) {
    await deleteBlob(runWeightsKey(id));
    await deleteBlob(runCheckpointKey(id));
  }
}

export async function saveRunWeights(id: string, bytes: Uint8Array): Promise<void> {
  await saveBlob(runWeightsKey(id), bytes);
}

export async function loadRunWeights(id: string): Promise<Uint8Array | undefined> {
  return loadBlob(runWeightsKey(id));
}
