import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore, keys } from 'idb-keyval';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readQuickDrawSampleDrawings } from '../train/testing/shared-data';
import { readQuickDrawDir } from './node-quickdraw';
import {
  QUICKDRAW_ID,
  deleteSequenceDataset,
  getSequenceManifest,
  listSequenceDatasets,
  loadQuickDrawFromFiles,
  loadQuickDrawFromUrl,
  loadSequenceSet,
} from './quickdraw';
import type { LoadProgress, SequenceSet } from './types';

// Class files rebuilt from the bundled sample (the first 1,000 lines of each real file, as drawings).
const quickdrawDir = mkdtempSync(path.join(tmpdir(), 'quickdraw-'));
const BASE = 'https://qd.example/simplified';
const CLASSES = ['cat', 'dog', 'fish'];

const files = new Map<string, Uint8Array>();
/** url → byte count after which the next response body errors (used once). */
const breakAfter = new Map<string, number>();
const requested: string[] = [];
let bytesSent = 0;

function bodyStream(bytes: Uint8Array, failAt: number | undefined): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAt !== undefined && at >= failAt) return controller.error(new TypeError('network error'));
      if (at >= bytes.length) return controller.close();
      const end = Math.min(bytes.length, at + 8192, failAt ?? Infinity);
      controller.enqueue(bytes.slice(at, end));
      bytesSent += end - at;
      at = end;
    },
  });
}

beforeAll(() => {
  for (const c of ['cat', 'dog', 'fish', 'snake']) {
    const text = readQuickDrawSampleDrawings(c, 1000).map((drawing) => JSON.stringify({ word: c, drawing })).join('\n') + '\n';
    writeFileSync(path.join(quickdrawDir, `${c}.ndjson`), text);
    files.set(`${BASE}/${c}.ndjson`, new TextEncoder().encode(text));
  }
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    const body = files.get(url);
    if (!body) return new Response('<!doctype html>not found', { status: 404, statusText: 'Not Found' });
    const failAt = breakAfter.get(url);
    breakAfter.delete(url);
    return new Response(bodyStream(body, failAt), { headers: { 'content-length': String(body.length) } });
  });
});
afterAll(() => {
  vi.unstubAllGlobals();
  rmSync(quickdrawDir, { recursive: true, force: true });
});
beforeEach(async () => {
  requested.length = 0;
  breakAfter.clear();
  bytesSent = 0;
  await deleteSequenceDataset(QUICKDRAW_ID);
});

const noProgress = () => undefined;

async function allSplits(id = QUICKDRAW_ID): Promise<SequenceSet[]> {
  return Promise.all((['train', 'dev', 'test'] as const).map((s) => loadSequenceSet(id, s)));
}

describe('loadQuickDrawFromUrl', () => {
  it('stores N drawings per class with progress, and the splits equal the Node reader (same parser, encoder, split)', async () => {
    const progress: LoadProgress[] = [];
    const m = await loadQuickDrawFromUrl(BASE, CLASSES, 250, (p) => progress.push(p), { shardSize: 100 });
    expect(m.complete).toBe(true);
    expect(m.classes).toEqual(CLASSES);
    expect(m.perClass.map((c) => [c.count, c.shards, c.malformed, c.invalid, c.done])).toEqual(CLASSES.map(() => [250, 3, 0, 0, true]));
    expect(m.split.counts.train + m.split.counts.dev + m.split.counts.test).toBe(750);
    expect(m.maxLen).toBe(Math.max(...m.perClass.map((c) => c.maxLen)));
    // Stopped early: far less than the three files was read.
    expect(bytesSent).toBeLessThan(0.5 * CLASSES.reduce((a, c) => a + files.get(`${BASE}/${c}.ndjson`)!.length, 0));
    expect(progress.at(-1)).toEqual({ phase: expect.stringContaining('750 drawings'), fraction: 1 });
    for (let i = 1; i < progress.length; i++) expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);

    const [train, dev, test] = await allSplits();
    const node = await readQuickDrawDir(quickdrawDir, { perClass: 250, classes: CLASSES });
    expect(train).toEqual(node.train);
    expect(dev).toEqual(node.dev);
    expect(test).toEqual(node.test);
    expect([train.count, dev.count, test.count]).toEqual([m.split.counts.train, m.split.counts.dev, m.split.counts.test]);
    expect((await listSequenceDatasets()).map((d) => d.id)).toEqual([QUICKDRAW_ID]);

    // A second call finds it complete and downloads nothing.
    requested.length = 0;
    expect(await loadQuickDrawFromUrl(BASE, CLASSES, 250, noProgress, { shardSize: 100 })).toEqual(m);
    expect(requested).toEqual([]);
  });

  it('keeps finished shards after a network error mid-stream and resumes from there', async () => {
    const dogUrl = `${BASE}/dog.ndjson`;
    breakAfter.set(dogUrl, 100_000); // ≈ 180 dog drawings
    await expect(loadQuickDrawFromUrl(BASE, CLASSES, 400, noProgress, { shardSize: 50 })).rejects.toThrow(
      /Reading "dog" from .*dog\.ndjson broke after \d+ drawings \(network error\)\. What was finished is saved \(\d+ drawings of "dog"/,
    );
    const partial = await getSequenceManifest(QUICKDRAW_ID);
    expect(partial?.complete).toBe(false);
    expect(partial?.perClass[0]).toMatchObject({ name: 'cat', count: 400, done: true });
    const dogSaved = partial!.perClass[1];
    expect(dogSaved.done).toBe(false);
    expect(dogSaved.count).toBeGreaterThanOrEqual(100);
    expect(dogSaved.count % 50).toBe(0);
    await expect(loadSequenceSet(QUICKDRAW_ID, 'train')).rejects.toThrow('incomplete');

    requested.length = 0;
    const progress: LoadProgress[] = [];
    const m = await loadQuickDrawFromUrl(BASE, CLASSES, 400, (p) => progress.push(p), { shardSize: 50 });
    expect(requested).toEqual([dogUrl, `${BASE}/fish.ndjson`]); // cat was complete: not downloaded again
    expect(m.perClass.map((c) => c.count)).toEqual([400, 400, 400]);
    const node = await readQuickDrawDir(quickdrawDir, { perClass: 400, classes: CLASSES });
    const [train, dev, test] = await allSplits();
    expect(train).toEqual(node.train);
    expect(dev).toEqual(node.dev);
    expect(test).toEqual(node.test);
  });

  it('counts malformed lines per class and refuses a class without drawings, keeping the stored dataset', async () => {
    const good = await loadQuickDrawFromUrl(BASE, ['cat', 'fish'], 30, noProgress);
    const before = await allSplits();
    const catLines = new TextDecoder().decode(files.get(`${BASE}/cat.ndjson`)!).split('\n').slice(0, 5);
    // Drawings of class "messy"; the last line claims to be a dog and must not be stored as a messy.
    const messyLines = catLines.map((l) => l.replace('"word":"cat"', '"word":"messy"'));
    const dogLine = catLines[3].replace('"word":"cat"', '"word":"dog"');
    const messy = [messyLines[0], 'garbage{', '{"drawing":[[[],[]]]}', messyLines[1], '{"drawing":[[[1,999],[1,2]]]}', messyLines[2], dogLine].join('\r\n');
    files.set(`${BASE}/messy.ndjson`, new TextEncoder().encode(messy));
    files.set(`${BASE}/html.ndjson`, new TextEncoder().encode('<!doctype html>\n<html><body>Sign in</body></html>\n'));

    await expect(loadQuickDrawFromUrl(BASE, ['messy', 'html'], 30, noProgress)).rejects.toThrow(
      /class "html" has no drawings in .*html\.ndjson \(2 unusable lines; first: line 1: not valid JSON/,
    );
    await expect(loadQuickDrawFromUrl(BASE, ['cat', 'zebra'], 30, noProgress)).rejects.toThrow(
      /zebra\.ndjson from .*: HTTP 404 Not Found \(is "zebra" a Quick Draw class name\?\)/,
    );
    // The complete dataset stays live and intact through failed reloads.
    expect(await getSequenceManifest(QUICKDRAW_ID)).toEqual(good);
    expect(await allSplits()).toEqual(before);

    const progress: LoadProgress[] = [];
    const m = await loadQuickDrawFromUrl(BASE, ['messy'], null, (p) => void progress.push(p));
    expect(m.perClass[0]).toMatchObject({ count: 3, malformed: 1, invalid: 3, wrongWord: 1, firstProblem: 'line 2: not valid JSON ("garbage{")' });
    expect(progress.at(-1)?.phase).toMatch(/3 drawings, 4 unusable lines skipped \(1 of another class\)/);
    const all = await allSplits();
    expect(all.reduce((a, s) => a + s.count, 0)).toBe(3);
    // Replaced and abandoned generations leave no shards behind.
    const stored = await keys(createStore('scratchnet', 'kv'));
    expect(stored.filter((k) => Array.isArray(k) && k[0] === 'blob' && String(k[1]).startsWith('sequence-shard/'))).toHaveLength(1);
  });

  it('refuses bad requests with clear messages', async () => {
    await expect(loadQuickDrawFromUrl(BASE, [], 10, noProgress)).rejects.toThrow('Choose at least one');
    await expect(loadQuickDrawFromUrl(BASE, ['cat', 'cat'], 10, noProgress)).rejects.toThrow('listed twice');
    await expect(loadQuickDrawFromUrl(BASE, ['cat'], 0, noProgress)).rejects.toThrow('positive whole number');
    await expect(loadQuickDrawFromUrl(BASE, ['cat'], 2.5, noProgress)).rejects.toThrow('positive whole number');
    await expect(loadSequenceSet('nothing-here', 'train')).rejects.toThrow('not in browser storage');
    expect(requested).toEqual([]);
  });
});

describe('loadQuickDrawFromFiles', () => {
  it('reads dropped files (class from the file name, alphabetical labels) like the URL loader', async () => {
    const dropped = ['snake', 'cat'].map((c) => new File([files.get(`${BASE}/${c}.ndjson`)! as Uint8Array<ArrayBuffer>], c === 'cat' ? 'full_simplified_cat.ndjson' : `${c}.ndjson`));
    const m = await loadQuickDrawFromFiles(dropped, 120, noProgress, { shardSize: 64 });
    expect(m.classes).toEqual(['cat', 'snake']);
    expect(m.perClass.map((c) => c.count)).toEqual([120, 120]);
    const node = await readQuickDrawDir(quickdrawDir, { perClass: 120, classes: ['cat', 'snake'] });
    expect(await loadSequenceSet(QUICKDRAW_ID, 'train')).toEqual(node.train);
    await expect(loadQuickDrawFromFiles([new File(['x'], 'notes.txt')], 10, noProgress)).rejects.toThrow('notes.txt is not a Quick Draw .ndjson file');
    await expect(loadQuickDrawFromFiles([], 10, noProgress)).rejects.toThrow('Drop one .ndjson file');
  });
});
