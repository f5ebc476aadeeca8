import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { itWithFullData } from '../train/testing/full-data-tests';
import { MNIST_DIR } from '../train/testing/shared-data';
import { loadMnistFromFiles } from './mnist-remote';
import { deleteDataset, getManifest, loadImageSet } from './store';
import { gzip, makeIdx } from './testing/idx-fixtures';

const real = (name: string) => new Uint8Array(readFileSync(path.join(MNIST_DIR, `${name}.gz`)));
const file = (bytes: Uint8Array, name: string) => new File([bytes as Uint8Array<ArrayBuffer>], name);

beforeEach(() => deleteDataset('mnist-full'));

describe('loadMnistFromFiles', () => {
  itWithFullData('identifies the real files by content, not by name, gzipped or not', async () => {
    const files = [
      file(real('t10k-labels-idx1-ubyte'), 'a.gz'),
      file(new Uint8Array(gunzipSync(real('train-images-idx3-ubyte'))), 'b'),
      file(real('train-labels-idx1-ubyte'), 'c.gz'),
      file(real('t10k-images-idx3-ubyte'), 'd.gz'),
    ];
    const fractions: number[] = [];
    const m = await loadMnistFromFiles(files, (p) => fractions.push(p.fraction));
    expect(m.splits).toEqual({ train: { count: 60000, shards: 12 }, test: { count: 10000, shards: 2 } });
    expect(fractions.at(-1)).toBe(1);
    const test = await loadImageSet('mnist-full', 'test');
    expect(test.labels.subarray(0, 5)).toEqual(new Uint8Array([7, 2, 1, 0, 4])); // the well-known first test digits
  }, 60000);

  itWithFullData('uses the names only to break a tie between equal counts', async () => {
    const files = [
      file(gzip(makeIdx('images', 20)), 'test-images.gz'),
      file(makeIdx('labels', 20), 'train-labels'),
      file(makeIdx('images', 20).map((v, i) => (i < 16 ? v : 255 - v)), 'train-images'),
      file(makeIdx('labels', 20), 't10k-labels'),
    ];
    await loadMnistFromFiles(files, () => {});
    expect((await loadImageSet('mnist-full', 'test')).pixels[16]).toBe(16);
    expect((await loadImageSet('mnist-full', 'train')).pixels[16]).toBe(255 - 16);
    const ambiguous = [file(makeIdx('images', 20), 'y'), files[1], file(makeIdx('images', 20), 'x'), files[3]];
    await expect(loadMnistFromFiles(ambiguous, () => {})).rejects.toThrow(
      'Cannot tell which images file is train and which is test: y and x both hold 20 images',
    );
  });

  it('refuses a wrong number or mix of files and mismatched counts, keeping the stored copy', async () => {
    const good = [
      file(makeIdx('images', 30), 'ti'),
      file(makeIdx('labels', 30), 'tl'),
      file(makeIdx('images', 10), 'si'),
      file(makeIdx('labels', 10), 'sl'),
    ];
    await loadMnistFromFiles(good, () => {});
    await expect(loadMnistFromFiles(good.slice(0, 3), () => {})).rejects.toThrow('Drop the 4 MNIST files (train and test images and labels, .gz or not); got 3 files');
    await expect(loadMnistFromFiles([good[0], good[1], good[2], file(makeIdx('images', 5), 'z')], () => {})).rejects.toThrow(
      'Expected 2 image files and 2 label files, got ti: 30 images, tl: 30 labels, si: 10 images, z: 5 images',
    );
    await expect(loadMnistFromFiles([good[0], file(makeIdx('labels', 29), 'tl'), good[2], good[3]], () => {})).rejects.toThrow(
      'MNIST train: the images file holds 30 images but the labels file holds 29 labels',
    );
    await expect(loadMnistFromFiles([good[0], good[1], good[2], file(new TextEncoder().encode('hello'), 'notes.txt')], () => {})).rejects.toThrow(
      'notes.txt is neither gzip-compressed nor an IDX file',
    );
    await expect(loadMnistFromFiles([good[0], good[1], file(makeIdx('images', 10, [32, 32]), 'cifar'), good[3]], () => {})).rejects.toThrow(
      'cifar: images are 32×32, MNIST images are 28×28',
    );
    expect((await getManifest('mnist-full'))?.complete).toBe(true);
    expect((await loadImageSet('mnist-full', 'train')).count).toBe(30);
  });
});
