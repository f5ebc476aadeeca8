import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeWithFullData } from '../train/testing/full-data-tests';
import { MNIST_DIR } from '../train/testing/shared-data';
import { loadMnistFromUrl } from './mnist-remote';
import { readMnistDir } from './node-mnist';
import { deleteDataset, getManifest, loadImageSet } from './store';
import { gzip, makeIdx, streamOf } from './testing/idx-fixtures';
import type { LoadProgress } from './types';

const REAL = 'https://real.example/mnist';
const FAKE = 'https://fake.example/mnist';

/** Files served by the fake server, per base URL; `chunked` ones come without Content-Length. */
const served = new Map<string, Uint8Array | 'offline'>();
let chunked = false;
const requested: string[] = [];

function serveReal() {
  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
    served.set(`${REAL}/${f}.gz`, new Uint8Array(readFileSync(path.join(MNIST_DIR, `${f}.gz`))));
  }
}

function serveFake(trainImages: Uint8Array, trainLabels: Uint8Array, testImages: Uint8Array, testLabels: Uint8Array) {
  served.set(`${FAKE}/train-images-idx3-ubyte.gz`, gzip(trainImages));
  served.set(`${FAKE}/train-labels-idx1-ubyte.gz`, gzip(trainLabels));
  served.set(`${FAKE}/t10k-images-idx3-ubyte.gz`, gzip(testImages));
  served.set(`${FAKE}/t10k-labels-idx1-ubyte.gz`, gzip(testLabels));
}

function histogram(labels: Uint8Array): number[] {
  const h = new Array<number>(10).fill(0);
  for (const l of labels) h[l]++;
  return h;
}

beforeAll(() => {
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    const body = served.get(url);
    if (body === 'offline') throw new TypeError('Failed to fetch');
    if (!body) return new Response('<!doctype html><p>not found', { status: 404, statusText: 'Not Found' });
    return chunked
      ? new Response(streamOf(body, 65536))
      : new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(body.length) } });
  });
});
afterAll(() => vi.unstubAllGlobals());
beforeEach(async () => {
  served.clear();
  chunked = false;
  requested.length = 0;
  await deleteDataset('mnist-full');
});
afterEach(() => served.clear());

describeWithFullData('loadMnistFromUrl with the real MNIST files', () => {
  it('streams 60000/10000 digits into the store with rising progress, then is ready at once', async () => {
    serveReal();
    const progress: LoadProgress[] = [];
    const m = await loadMnistFromUrl(`${REAL}/`, (p) => progress.push(p));
    expect(m).toMatchObject({ id: 'mnist-full', complete: true, splits: { train: { count: 60000, shards: 12 }, test: { count: 10000, shards: 2 } } });
    const fractions = progress.map((p) => p.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(progress.some((p) => /Downloading MNIST train images: [\d.]+ of 9\.6 MB/.test(p.phase))).toBe(true);
    const [train, test, fromDisk] = await Promise.all([loadImageSet('mnist-full', 'train'), loadImageSet('mnist-full', 'test'), readMnistDir(MNIST_DIR)]);
    expect(histogram(train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Buffer.from(train.pixels).equals(Buffer.from(fromDisk.train.pixels))).toBe(true);
    expect(Buffer.from(test.pixels).equals(Buffer.from(fromDisk.test.pixels))).toBe(true);

    requested.length = 0;
    await loadMnistFromUrl(REAL, () => {});
    expect(requested).toEqual([]);

    // A forced reload that fails half way leaves the complete copy in place.
    served.delete(`${REAL}/t10k-images-idx3-ubyte.gz`);
    await expect(loadMnistFromUrl(REAL, () => {}, { force: true })).rejects.toThrow(
      `Could not download t10k-images-idx3-ubyte.gz from ${REAL}/t10k-images-idx3-ubyte.gz: HTTP 404 Not Found`,
    );
    expect((await getManifest('mnist-full'))?.complete).toBe(true);
    expect((await loadImageSet('mnist-full', 'test')).count).toBe(10000);
  }, 60000);
});

describe('loadMnistFromUrl with synthetic files', () => {
  it('stores several shards from a stream without Content-Length, progressing by examples', async () => {
    serveFake(makeIdx('images', 11000), makeIdx('labels', 11000), makeIdx('images', 2000), makeIdx('labels', 2000));
    chunked = true;
    const phases: string[] = [];
    const m = await loadMnistFromUrl(FAKE, (p) => phases.push(p.phase));
    expect(m.splits).toEqual({ train: { count: 11000, shards: 3 }, test: { count: 2000, shards: 1 } });
    expect(phases.some((p) => /train images: \d+ of 11000 images/.test(p))).toBe(true);
    const train = await loadImageSet('mnist-full', 'train');
    expect(train.labels[10999]).toBe(10999 % 10);
    expect(train.pixels[10999 * 784 + 5]).toBe((10999 * 7 + 5) % 256);
  });

  it('reports a count mismatch between images and labels before storing anything', async () => {
    serveFake(makeIdx('images', 300), makeIdx('labels', 299), makeIdx('images', 10), makeIdx('labels', 10));
    await expect(loadMnistFromUrl(FAKE, () => {})).rejects.toThrow(
      'MNIST train: the images file holds 300 images but the labels file holds 299 labels',
    );
  });

  it('reports a truncated images file', async () => {
    const cut = makeIdx('images', 300).subarray(0, 16 + 784 * 120 + 9);
    serveFake(cut, makeIdx('labels', 300), makeIdx('images', 10), makeIdx('labels', 10));
    await expect(loadMnistFromUrl(FAKE, () => {})).rejects.toThrow('train-images: file ends after 120 of 300 images (truncated)');
    expect((await getManifest('mnist-full'))?.complete).toBe(false);
  });

  it('reports swapped files and non-MNIST label values', async () => {
    serveFake(makeIdx('labels', 10), makeIdx('labels', 10), makeIdx('images', 10), makeIdx('labels', 10));
    await expect(loadMnistFromUrl(FAKE, () => {})).rejects.toThrow('train-images: expected an IDX images file but this one holds labels');
    const labels = makeIdx('labels', 10);
    labels[8 + 4] = 42;
    serveFake(makeIdx('images', 10), labels, makeIdx('images', 10), makeIdx('labels', 10));
    await expect(loadMnistFromUrl(FAKE, () => {})).rejects.toThrow('train-labels: label 42 at index 4 is not a digit 0..9');
  });

  it('reports an HTML page served instead of the data, a 404 and being offline', async () => {
    served.set(`${FAKE}/train-labels-idx1-ubyte.gz`, new TextEncoder().encode('<!doctype html><html></html>'));
    await expect(loadMnistFromUrl(FAKE, () => {})).rejects.toThrow('train-labels is not a gzip or IDX file: it looks like an HTML page');
    served.clear();
    await expect(loadMnistFromUrl(FAKE, () => {})).rejects.toThrow(
      `Could not download train-labels-idx1-ubyte.gz from ${FAKE}/train-labels-idx1-ubyte.gz: HTTP 404 Not Found`,
    );
    served.set(`${FAKE}/train-labels-idx1-ubyte.gz`, 'offline');
    await expect(loadMnistFromUrl(FAKE, () => {})).rejects.toThrow(/network error \(Failed to fetch\)\. Are you offline\?/);
  });
});
