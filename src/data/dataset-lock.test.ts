import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUNDLED_MNIST_ID, ensureBundledMnist } from './bundled';
import { loadDatasetOnce, waitingForTabMessage, withDatasetLock } from './dataset-lock';
import { encodeShard, shardFileName } from './shard-format';
import { deleteDataset, getManifest, loadImageSet } from './store';
import type { LoadProgress, SplitName } from './types';

/** A tiny "bundled MNIST" served by a mocked fetch: 5 train digits in shards of 2, 2 test digits. */
const BASE = 'https://page.example';
const COUNTS: Record<SplitName, number> = { train: 5, test: 2 };
const SHARD_SIZE = 2;
const files = new Map<string, Uint8Array>();
const requested: string[] = [];

function serveBundled(): void {
  const shards = (split: SplitName) => Math.ceil(COUNTS[split] / SHARD_SIZE);
  const manifest = {
    id: BUNDLED_MNIST_ID,
    name: 'MNIST (bundled, tiny)',
    kind: 'image',
    inputShape: [2, 2],
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    shardSize: SHARD_SIZE,
    splits: { train: { count: COUNTS.train, shards: shards('train') }, test: { count: COUNTS.test, shards: shards('test') } },
    source: 'test',
    complete: false,
    files: {
      train: Array.from({ length: shards('train') }, (_, i) => shardFileName('train', i)),
      test: Array.from({ length: shards('test') }, (_, i) => shardFileName('test', i)),
    },
  };
  files.set(`${BASE}/data/mnist-bundled/manifest.json`, new TextEncoder().encode(JSON.stringify(manifest)));
  for (const split of ['train', 'test'] as const) {
    manifest.files[split].forEach((name, i) => {
      const n = Math.min(SHARD_SIZE, COUNTS[split] - i * SHARD_SIZE);
      const labels = Uint8Array.from({ length: n }, (_, k) => (i * SHARD_SIZE + k) % 10);
      const pixels = new Uint8Array(n * 4).map((_, b) => labels[b >> 2] * 10);
      files.set(`${BASE}/data/mnist-bundled/${name}`, encodeShard({ pixels, labels }, 4));
    });
  }
}

function mockFetch(): void {
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    // Let the other writer run between downloads, as a second tab would.
    await new Promise((resolve) => setTimeout(resolve, 1));
    const bytes = files.get(url);
    return bytes ? new Response(bytes.slice()) : new Response('missing', { status: 404 });
  });
}

beforeEach(async () => {
  serveBundled();
  mockFetch();
  requested.length = 0;
  await deleteDataset(BUNDLED_MNIST_ID);
});
afterEach(() => vi.unstubAllGlobals());

function recorder(): { phases: string[]; onProgress: (p: LoadProgress) => void } {
  const phases: string[] = [];
  return { phases, onProgress: (p) => phases.push(p.phase) };
}

describe('two writers of one dataset', () => {
  it('the second waits, says so, and uses the first one’s complete copy without downloading it again', async () => {
    const first = recorder();
    const second = recorder();
    const [a, b] = await Promise.all([
      ensureBundledMnist(BASE, first.onProgress),
      ensureBundledMnist(BASE, second.onProgress),
    ]);
    const waited = [first, second].filter((r) => r.phases.includes(waitingForTabMessage('the bundled MNIST')));
    expect(waited).toHaveLength(1);
    expect(waited[0].phases.at(-1)).toBe('Bundled MNIST is ready');
    // manifest + 3 train + 1 test shards, once.
    expect(requested).toHaveLength(5);
    expect(new Set(requested).size).toBe(5);
    expect(a).toEqual(b);
    expect((await getManifest(BUNDLED_MNIST_ID))?.complete).toBe(true);
    const train = await loadImageSet(BUNDLED_MNIST_ID, 'train');
    expect(Array.from(train.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(train.pixels[4 * 4]).toBe(40);
    expect((await loadImageSet(BUNDLED_MNIST_ID, 'test')).count).toBe(2);
  });

  it('after a failed first writer the waiting one loads the dataset itself', async () => {
    let secondWaits!: () => void;
    const waiting = new Promise<void>((resolve) => (secondWaits = resolve));
    const failing = withDatasetLock(BUNDLED_MNIST_ID, () => undefined, async () => {
      await waiting;
      throw new Error('connection lost');
    });
    const second = recorder();
    const loaded = ensureBundledMnist(BASE, (p) => {
      second.onProgress(p);
      if (p.phase === waitingForTabMessage('the bundled MNIST')) secondWaits();
    });
    await expect(failing).rejects.toThrow('connection lost');
    expect((await loaded).complete).toBe(true);
    expect(second.phases[0]).toBe(waitingForTabMessage('the bundled MNIST'));
    expect((await loadImageSet(BUNDLED_MNIST_ID, 'train')).count).toBe(5);
  });
});

describe('withDatasetLock without Web Locks (Node)', () => {
  it('runs writers of one dataset one after another, and of different datasets side by side', async () => {
    const log: string[] = [];
    const job = (id: string, tag: string) =>
      withDatasetLock(id, () => log.push(`${tag} waits`), async () => {
        log.push(`${tag} starts`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${tag} ends`);
        return tag;
      });
    const results = await Promise.all([job('x', 'A'), job('x', 'B'), job('y', 'C')]);
    expect(results).toEqual(['A', 'B', 'C']);
    expect(log.indexOf('B starts')).toBeGreaterThan(log.indexOf('A ends'));
    expect(log.indexOf('C starts')).toBeLessThan(log.indexOf('A ends'));
    expect(log).toContain('B waits');
    expect(log).not.toContain('A waits');
    expect(log).not.toContain('C waits');
  });
});

/** Just enough of the Web Locks API: exclusive locks, `ifAvailable`, queued requests granted in order. */
class FakeLockManager {
  private readonly tails = new Map<string, Promise<void>>();
  /** Requests holding or queued for each name (a lock is not "available" while any is). */
  private readonly pending = new Map<string, number>();

  request<T>(name: string, optionsOrWork: unknown, maybeWork?: (lock: unknown) => Promise<T>): Promise<T> {
    const work = (maybeWork ?? optionsOrWork) as (lock: unknown) => Promise<T>;
    const ifAvailable = maybeWork !== undefined && (optionsOrWork as { ifAvailable?: boolean }).ifAvailable === true;
    if (ifAvailable && (this.pending.get(name) ?? 0) > 0) return work(null);
    this.pending.set(name, (this.pending.get(name) ?? 0) + 1);
    const before = this.tails.get(name) ?? Promise.resolve();
    const run = before.then(async () => {
      try {
        return await work({ name });
      } finally {
        this.pending.set(name, this.pending.get(name)! - 1);
      }
    });
    this.tails.set(name, run.then(() => undefined, () => undefined));
    return run;
  }
}

describe('withDatasetLock with Web Locks (browser)', () => {
  it('asks for the lock by dataset id and reports waiting only when another holder has it', async () => {
    const locks = new FakeLockManager();
    const request = vi.spyOn(locks, 'request');
    vi.stubGlobal('navigator', { locks });
    const onProgress = vi.fn();
    let stored: string | undefined;
    const load = (value: string) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      stored = value;
      return value;
    };
    const dataset = { id: 'mnist-full', name: 'MNIST (full)' };
    const results = await Promise.all([
      loadDatasetOnce(dataset, () => undefined, async () => stored, load('first')),
      loadDatasetOnce(dataset, onProgress, async () => stored, load('second')),
    ]);
    expect(results).toEqual(['first', 'first']);
    expect(onProgress).toHaveBeenCalledWith({ phase: waitingForTabMessage('MNIST (full)'), fraction: 0 });
    expect(request.mock.calls.every((call) => call[0] === 'scratchnet-dataset:mnist-full')).toBe(true);
  });
});
