/**
 * One writer per dataset, across tabs: every load that writes a dataset into browser storage runs inside
 * withDatasetLock(id, …). Two tabs loading the same dataset used to interleave, one deleting the other's
 * shards; now the second waits (and says so), then finds the first tab's complete copy and uses it.
 *
 * Browsers share a Web Lock (navigator.locks) between all tabs and workers of the origin. Where there is
 * none (Node: the CLI, vitest with fake-indexeddb) an in-process queue gives the same order within the
 * process. The lock is not reentrant: a writer must not take the lock of the dataset it already holds.
 */

import type { ProgressFn } from './types';

const LOCK_PREFIX = 'scratchnet-dataset:';

/** What the waiting tab shows in its status line and data panel. */
export function waitingForTabMessage(datasetName: string): string {
  return `Waiting for another tab that is loading ${datasetName}…`;
}

/** Tail of the in-process queue per lock name; the entry is removed when its last holder finishes. */
const localQueues = new Map<string, Promise<void>>();

async function withLocalLock<T>(name: string, onWait: () => void, work: () => Promise<T>): Promise<T> {
  const before = localQueues.get(name);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before ? before.then(() => mine) : mine;
  localQueues.set(name, tail);
  if (before) {
    onWait();
    await before;
  }
  try {
    return await work();
  } finally {
    release();
    if (localQueues.get(name) === tail) localQueues.delete(name);
  }
}

type Outcome<T> = { ran: true; value: T } | { ran: false };

async function withWebLock<T>(locks: LockManager, name: string, onWait: () => void, work: () => Promise<T>): Promise<T> {
  // Try first without queueing, so only a tab that really has to wait says it waits.
  const first = await locks.request(name, { ifAvailable: true }, async (lock): Promise<Outcome<T>> =>
    lock ? { ran: true, value: await work() } : { ran: false },
  );
  if (first.ran) return first.value;
  onWait();
  return locks.request(name, async () => work());
}

function webLocks(): LockManager | null {
  const nav = (globalThis as { navigator?: { locks?: LockManager } }).navigator;
  return nav?.locks ?? null;
}

/**
 * Runs `work` (a dataset load: checks what is stored, downloads, writes shards, commits) while holding
 * the dataset's lock. If another tab or call holds it, `onWait` runs once before waiting; `work` should
 * then look again at what is stored, since the other writer may have completed the dataset meanwhile.
 */
export function withDatasetLock<T>(datasetId: string, onWait: () => void, work: () => Promise<T>): Promise<T> {
  const name = LOCK_PREFIX + datasetId;
  const locks = webLocks();
  return locks ? withWebLock(locks, name, onWait, work) : withLocalLock(name, onWait, work);
}

/**
 * The shape of every dataset load: use the stored complete copy when there is one (`stored` reports it
 * ready and returns it); otherwise take the dataset's lock, saying so if another tab holds it, look again
 * (that tab may have just completed it) and only then `load`.
 */
export async function loadDatasetOnce<T>(
  dataset: { id: string; name: string },
  onProgress: ProgressFn,
  stored: () => Promise<T | undefined>,
  load: () => Promise<T>,
): Promise<T> {
  const ready = await stored();
  if (ready !== undefined) return ready;
  const waiting = () => onProgress({ phase: waitingForTabMessage(dataset.name), fraction: 0 });
  return withDatasetLock(dataset.id, waiting, async () => (await stored()) ?? load());
}
