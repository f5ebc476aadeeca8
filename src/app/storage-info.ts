/**
 * What the data panels say about browser storage: how much is used of what is available, whether the
 * browser keeps it (persistent) or may clear it when space runs low, and asking it to keep large data.
 * navigator.storage.persist() exists only on the page (not in workers), so the page asks.
 */
import { formatBytes } from './format';

export interface StorageInfo {
  usedBytes: number;
  quotaBytes: number;
  persistent: boolean;
}

function storageManager(): StorageManager | null {
  const storage = typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManager | undefined);
  return typeof storage?.estimate === 'function' ? storage : null;
}

/** Null where the browser does not tell (old browsers, insecure origins). */
export async function readStorageInfo(): Promise<StorageInfo | null> {
  const storage = storageManager();
  if (!storage) return null;
  try {
    const estimate = await storage.estimate();
    const persistent = (await storage.persisted?.()) ?? false;
    return { usedBytes: estimate.usage ?? 0, quotaBytes: estimate.quota ?? 0, persistent };
  } catch {
    return null;
  }
}

let persistenceAsked: Promise<boolean> | null = null;

/** Asks once per page that stored data be kept (full MNIST, Quick Draw are slow to download again). */
export function requestPersistentStorage(): Promise<boolean> {
  const storage = storageManager();
  if (typeof storage?.persist !== 'function') return Promise.resolve(false);
  persistenceAsked ??= storage.persist().catch(() => false);
  return persistenceAsked;
}

export function describeStorage(info: StorageInfo): string {
  const kept = info.persistent ? 'persistent' : 'may be cleared by the browser when space runs low';
  return `Storage used ${formatBytes(info.usedBytes)} of ${formatBytes(info.quotaBytes)} available (${kept})`;
}
