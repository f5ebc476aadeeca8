import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeStorage, readStorageInfo, requestPersistentStorage } from './storage-info';

afterEach(() => vi.unstubAllGlobals());

describe('storage info', () => {
  it('reads usage, quota and persistence from the browser and says them in words', async () => {
    vi.stubGlobal('navigator', {
      storage: { estimate: async () => ({ usage: 52_428_800, quota: 2 * 1024 ** 3 }), persisted: async () => false },
    });
    const info = await readStorageInfo();
    expect(info).toEqual({ usedBytes: 52_428_800, quotaBytes: 2 * 1024 ** 3, persistent: false });
    expect(describeStorage(info!)).toBe('Storage used 50.00 MB of 2.00 GB available (may be cleared by the browser when space runs low)');
    expect(describeStorage({ ...info!, persistent: true })).toMatch(/\(persistent\)$/);
  });

  it('says nothing where the browser does not tell', async () => {
    vi.stubGlobal('navigator', {});
    expect(await readStorageInfo()).toBeNull();
    vi.stubGlobal('navigator', { storage: { estimate: async () => Promise.reject(new Error('insecure')) } });
    expect(await readStorageInfo()).toBeNull();
  });

  it('asks for persistent storage once per page', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({}), persist } });
    expect(await requestPersistentStorage()).toBe(true);
    expect(await requestPersistentStorage()).toBe(true);
    expect(persist).toHaveBeenCalledTimes(1);
  });
});
