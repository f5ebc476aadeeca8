import 'fake-indexeddb/auto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { itWithFullData } from '../train/testing/full-data-tests';
import { REPO_ROOT, SHARED_DIR } from '../train/testing/shared-data';
import { readQuickDrawDir, readQuickDrawSampleFile } from './node-quickdraw';
import { QUICKDRAW_ANIMALS, splitOf } from './quickdraw-common';
import {
  QUICKDRAW_SAMPLE_ID, QUICKDRAW_SAMPLE_PATH, QUICKDRAW_SAMPLE_PER_CLASS, decodeQuickDrawSample, encodeQuickDrawSample, splitQuickDrawSample,
  type QuickDrawSample,
} from './quickdraw-sample';
import { ensureQuickDrawSample } from './quickdraw-sample-load';
import { SequenceBuilder } from './quickdraw-shard';
import { deleteSequenceDataset, getSequenceManifest, loadSequenceSet } from './quickdraw-store';
import type { Drawing } from './strokes';
import { drawingAt } from './strokes';
import type { SequenceSet } from './types';

const SAMPLE_FILE = path.join(REPO_ROOT, 'public', QUICKDRAW_SAMPLE_PATH);
const sampleBytes = () => new Uint8Array(readFileSync(SAMPLE_FILE));

/** Drawings with big jumps both ways, single points and many strokes: every varint width. */
const DRAWINGS: Drawing[][] = [
  [
    [[[0, 255, 0], [255, 0, 128]]],
    [[[10], [20]], [[200, 201, 202], [3, 3, 4]]],
  ],
  [[[[100, 90, 80, 70, 60], [5, 50, 5, 250, 0]], [[0], [0]], [[255], [255]]]],
];

function sampleOf(classes: string[], drawings: Drawing[][]): QuickDrawSample {
  return {
    classes,
    perClass: drawings.map((list, c) => {
      const b = new SequenceBuilder();
      for (const d of list) b.addDrawing(d, d.reduce((n, [xs]) => n + xs.length, 0), c);
      return b.build();
    }),
  };
}

const allDrawings = (set: SequenceSet) => Array.from({ length: set.count }, (_, i) => [set.labels[i], drawingAt(set, i)]);

describe('SNQD encoding', () => {
  it('decodes exactly what was encoded', () => {
    const sample = sampleOf(['cat', 'dog'], DRAWINGS);
    const back = decodeQuickDrawSample(encodeQuickDrawSample(sample), 'test.snqd');
    expect(back.classes).toEqual(['cat', 'dog']);
    back.perClass.forEach((block, c) => {
      expect(block).toEqual(sample.perClass[c]);
      expect(Array.from({ length: block.count }, (_, i) => drawingAt({ ...block, classes: back.classes }, i))).toEqual(DRAWINGS[c]);
    });
  });

  it('refuses a damaged file with a clear message naming it', () => {
    const good = encodeQuickDrawSample(sampleOf(['cat', 'dog'], DRAWINGS));
    const damaged = (edit: (b: Uint8Array) => Uint8Array) => () => decodeQuickDrawSample(edit(good.slice()), 'animals.snqd');
    expect(damaged((b) => b.subarray(0, 3))).toThrow('animals.snqd is not a Quick Draw sample');
    expect(damaged((b) => ((b[0] = 0x7b), b))).toThrow(/animals\.snqd is not a Quick Draw sample/);
    expect(damaged((b) => ((b[4] = 9), b))).toThrow(/animals\.snqd is damaged: format version 9/);
    expect(damaged((b) => b.subarray(0, b.length - 10))).toThrow(/animals\.snqd is damaged: .*(ends early|point count)/);
    expect(damaged((b) => Uint8Array.of(...b, 0))).toThrow(/animals\.snqd is damaged: extra bytes after the end/);
    // Cat's first point becomes a move of dx = -1 from (0, 0) (its varint 3 = zigzag(-1) << 1 | pen 1): off the canvas.
    const header = 12 + 1 + 3 + 4 + 1 + 3 + 4;
    expect(damaged((b) => ((b[header + 1] = 0x03), b))).toThrow(/damaged: drawing 1 of "cat" leaves the 0\.\.255 canvas at point 1/);
    expect(damaged((b) => ((b[header] = 0), b))).toThrow(/damaged: drawing 1 of "cat" has 0 points/);
  });

  it('refuses a class count that does not fit the file without allocating for it', () => {
    const good = encodeQuickDrawSample(sampleOf(['cat'], [DRAWINGS[0]]));
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(12 + 1 + 3, 0xffffffff, true);
    expect(() => decodeQuickDrawSample(huge, 'big.snqd')).toThrow(/big\.snqd is damaged: it ends early/);
  });
});

describe('the committed sample', () => {
  it('fits the repository budget (2 MiB for quickdraw-sample files) with margin', () => {
    const dir = path.dirname(SAMPLE_FILE);
    const total = readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    expect(total).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('holds the 10 animals, the same number of drawings each, and names its license beside it', () => {
    const sample = decodeQuickDrawSample(sampleBytes(), SAMPLE_FILE);
    expect(sample.classes).toEqual(QUICKDRAW_ANIMALS);
    expect(sample.perClass.map((b) => b.count)).toEqual(QUICKDRAW_ANIMALS.map(() => QUICKDRAW_SAMPLE_PER_CLASS));
    expect(readFileSync(path.join(path.dirname(SAMPLE_FILE), 'ATTRIBUTION.md'), 'utf8')).toMatch(/CC BY 4\.0[\s\S]*creativecommons\.org\/licenses\/by\/4\.0/);
  });

  it('splits 80/10/10 drawing by drawing as the folder loader does', () => {
    const sample = decodeQuickDrawSample(sampleBytes(), SAMPLE_FILE);
    const { train, dev, test } = splitQuickDrawSample(sample);
    expect(train.count + dev.count + test.count).toBe(10 * QUICKDRAW_SAMPLE_PER_CLASS);
    expect(train.count / 10_000).toBeCloseTo(0.8, 1);
    expect(dev.count / 10_000).toBeCloseTo(0.1, 1);
    const testCats = Array.from({ length: QUICKDRAW_SAMPLE_PER_CLASS }, (_, k) => k).filter((k) => splitOf('cat', k) === 'test');
    expect(Array.from(test.labels).filter((l) => l === 1)).toHaveLength(testCats.length);
  });

  itWithFullData('is the first drawings of each file of ../shared/data/quickdraw, drawing for drawing, split the same way', async () => {
    const [fromSample, fromFolder] = await Promise.all([
      readQuickDrawSampleFile(SAMPLE_FILE, 300),
      readQuickDrawDir(path.join(SHARED_DIR, 'data', 'quickdraw'), { perClass: 300 }),
    ]);
    expect(fromSample.classes).toEqual(fromFolder.classes);
    for (const split of ['train', 'dev', 'test'] as const) {
      expect(fromSample[split].count).toBe(fromFolder[split].count);
      expect(allDrawings(fromSample[split])).toEqual(allDrawings(fromFolder[split]));
    }
  });
});

describe('ensureQuickDrawSample (browser storage)', () => {
  afterEach(async () => {
    vi.unstubAllGlobals();
    await deleteSequenceDataset(QUICKDRAW_SAMPLE_ID);
  });

  function serve(bytes: Uint8Array) {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(bytes.slice(), { status: 200 });
    });
    return fetched;
  }

  it('stores the sample once from the page’s own files; the stored splits equal the file’s', async () => {
    const fetched = serve(sampleBytes());
    const manifest = await ensureQuickDrawSample('http://app.test/sub/', () => undefined);
    expect(fetched).toEqual(['http://app.test/sub/quickdraw-sample/animals.snqd']);
    expect(manifest).toMatchObject({ id: QUICKDRAW_SAMPLE_ID, complete: true, classes: QUICKDRAW_ANIMALS });
    const expected = splitQuickDrawSample(decodeQuickDrawSample(sampleBytes(), 'x'));
    expect(manifest.split.counts).toEqual({ train: expected.train.count, dev: expected.dev.count, test: expected.test.count });
    const test = await loadSequenceSet(QUICKDRAW_SAMPLE_ID, 'test');
    expect(test).toEqual(expected.test);
    await ensureQuickDrawSample('http://app.test/sub/', () => undefined);
    expect(fetched).toHaveLength(1);
  });

  it('refuses a damaged sample and stores nothing', async () => {
    const bytes = sampleBytes();
    serve(bytes.subarray(0, bytes.length >> 1));
    await expect(ensureQuickDrawSample('http://app.test/', () => undefined)).rejects.toThrow(
      /http:\/\/app\.test\/quickdraw-sample\/animals\.snqd is damaged: it ends early/,
    );
    expect(await getSequenceManifest(QUICKDRAW_SAMPLE_ID)).toBeUndefined();
  });
});
