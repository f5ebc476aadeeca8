import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithFullData } from '../train/testing/full-data-tests';
import { MNIST_DIR } from '../train/testing/shared-data';
import { readMnistDir } from './node-mnist';
import { concat, gzip, makeIdx } from './testing/idx-fixtures';


function histogram(labels: Uint8Array): number[] {
  const h = new Array<number>(10).fill(0);
  for (const l of labels) h[l]++;
  return h;
}

describeWithFullData('readMnistDir on the real MNIST files', () => {
  it('reads 60000 train / 10000 test digits with the known label histograms and pixel mean', async () => {
    const { train, test } = await readMnistDir(MNIST_DIR);
    expect(train.count).toBe(60000);
    expect(test.count).toBe(10000);
    expect(train.pixels.length).toBe(60000 * 784);
    expect(test.pixels.length).toBe(10000 * 784);
    expect(train.inputShape).toEqual([28, 28]);
    expect(histogram(train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    let sum = 0;
    for (const p of train.pixels) sum += p;
    expect(sum / train.pixels.length / 255).toBeCloseTo(0.13066, 4);
  }, 30000);
});

describe('readMnistDir on broken folders', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mnist-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the missing file', async () => {
    await expect(readMnistDir(dir)).rejects.toThrow(/has no (train|t10k)-(images|labels)-idx[13]-ubyte\.gz/);
    await expect(readMnistDir(path.join(dir, 'nope'))).rejects.toThrow('does not exist');
  });

  it('accepts uncompressed files and reports a count mismatch between images and labels', async () => {
    writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), makeIdx('images', 6));
    writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), gzip(makeIdx('labels', 5)));
    writeFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), gzip(makeIdx('images', 3)));
    writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), makeIdx('labels', 3));
    await expect(readMnistDir(dir)).rejects.toThrow('MNIST train: the images file holds 6 images but the labels file holds 5 labels');
    writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), gzip(makeIdx('labels', 6)));
    const { train, test } = await readMnistDir(dir);
    expect([train.count, test.count]).toEqual([6, 3]);
  });

  it('refuses a gzip holding far more than its header declares without decompressing it all', async () => {
    writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), gzip(concat(makeIdx('labels', 3), new Uint8Array(64 << 20))));
    await expect(readMnistDir(dir)).rejects.toThrow(/^t10k-labels-idx1-ubyte\.gz: more than \d+ unexpected bytes after the last of 3 labels/);
    writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), gzip(makeIdx('labels', 3)));
  });

  it('reports a file that is not gzip/IDX and a truncated gzip file', async () => {
    writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), 'not a gzip file');
    await expect(readMnistDir(dir)).rejects.toThrow('t10k-labels-idx1-ubyte.gz is neither gzip-compressed nor an IDX file');
    const gz = gzip(makeIdx('labels', 3));
    writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), gz.subarray(0, gz.length - 6));
    await expect(readMnistDir(dir)).rejects.toThrow('t10k-labels-idx1-ubyte.gz: reading failed, the data is corrupt or cut short');
  });
});
