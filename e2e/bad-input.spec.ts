import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { concat, makeIdx } from '../src/data/testing/idx-fixtures';
import { encodeNpy } from '../src/io/npy';
import { craftZip } from '../src/io/testing/craft-zip';
import { readZip } from '../src/io/zip';
import { encodeWeights, type WeightFile } from '../src/io/weights';
import { dataBase, drawStrokes, MNIST_DIR, openReady, setField, testWithFullData } from './helpers';

const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));

test('a weight file that is not safetensors is refused and the model is kept', async ({ page }) => {
  await openReady(page);
  await setField(page, 'epochs-input', '1');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 120_000 });
  await drawStrokes(page, [[[0.5, 0.15], [0.5, 0.85]]]);
  await expect(page.getByTestId('prediction')).toHaveText('1');

  await page.getByTestId('import-input').setInputFiles({ name: 'notes.safetensors', mimeType: 'text/plain', buffer: Buffer.from('hello, not weights') });
  await expect(page.getByTestId('status')).toContainText(/Could not import notes\.safetensors: .*unchanged/);
  await page.getByTestId('clear-button').click();
  await drawStrokes(page, [[[0.5, 0.15], [0.5, 0.85]]]);
  await expect(page.getByTestId('prediction')).toHaveText('1');
});

test('a learning rate far too high is caught as NaN loss with a clear message', async ({ page }) => {
  await openReady(page);
  await page.getByTestId('optimizer-select').selectOption('sgd');
  // The highest rate the form accepts: plain SGD at 10 still blows the loss up.
  await setField(page, 'lr-input', '10');
  await setField(page, 'epochs-input', '1');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('status')).toContainText(/NaN/, { timeout: 60_000 });
  await expect(page.getByTestId('train-button')).toBeEnabled();
});

test('an unreachable MNIST URL gives a clear error and the bundled data stays usable', async ({ page }) => {
  await openReady(page);
  await setField(page, 'mnist-base-input', 'http://127.0.0.1:9/nowhere/');
  await page.getByTestId('load-mnist-button').click();
  await expect(page.getByTestId('status')).toContainText(/Could not (download|reach|fetch)/i, { timeout: 30_000 });
  await expect(page.getByTestId('train-button')).toBeEnabled();
});

testWithFullData('full MNIST streams from a URL into IndexedDB and can be selected', async ({ page }) => {
  await openReady(page);
  await setField(page, 'mnist-base-input', dataBase('mnist'));
  await page.getByTestId('load-mnist-button').click();
  await expect(page.getByTestId('status')).toContainText(/60,000 train \/ 10,000 test/, { timeout: 120_000 });
  await expect(page.getByTestId('dataset-select')).toContainText(/full/i);
});

test('a dropped file that is not MNIST is refused with a clear message', async ({ page }) => {
  await openReady(page);
  const junk = (name: string) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from('definitely not an IDX file') });
  await page.getByTestId('idx-files-input').setInputFiles([
    junk('train-images-idx3-ubyte.gz'), junk('train-labels-idx1-ubyte.gz'),
    junk('t10k-images-idx3-ubyte.gz'), junk('t10k-labels-idx1-ubyte.gz'),
  ]);
  await expect(page.getByTestId('status')).toContainText(/neither gzip-compressed nor an IDX file/, { timeout: 30_000 });
  await expect(page.getByTestId('train-button')).toBeEnabled();
});

testWithFullData('the four real MNIST files dropped on the page load as the full dataset', async ({ page }) => {
  await openReady(page);
  await page.getByTestId('idx-files-input').setInputFiles(
    ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']
      .map((f) => path.join(MNIST_DIR, f)),
  );
  await expect(page.getByTestId('status')).toContainText(/60,000 train \/ 10,000 test/, { timeout: 120_000 });
});

/** A weight file's bytes as Playwright's setInputFiles takes them. */
const weightUpload = (name: string, bytes: Uint8Array) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });

test('a tiny weight file declaring a huge network, or a zip listing one member many times, is refused at once; a compressed npz imports', async ({ page }) => {
  await openReady(page);
  const huge: WeightFile = {
    model: 'mlp', config: { hidden: [20000, 20000], activation: 'relu' }, classes: DIGITS, metrics: {},
    tensors: new Map([['fc1.weight', { shape: [1, 1], data: new Float32Array(1) }]]),
  };
  const file = encodeWeights(huge, 'safetensors');
  expect(file.length).toBeLessThan(400);
  await page.getByTestId('import-input').setInputFiles(weightUpload('huge.safetensors', file));
  await expect(page.getByTestId('status')).toContainText(
    /Could not import huge\.safetensors: mlp config declares 400,260,010 parameters, the limit is 20,000,000.*unchanged/,
  );
  const member = encodeNpy({ dtype: 'float32', shape: [64, 64], data: new Float32Array(64 * 64) });
  const shared = craftZip([{ name: 'fc1.weight.npy', data: member }], [0, 0, 0, 0, 0, 0, 0, 0]);
  await page.getByTestId('import-input').setInputFiles(weightUpload('shared.npz', shared));
  await expect(page.getByTestId('status')).toContainText(/Could not import shared\.npz: zip entries fc1\.weight\.npy and fc1\.weight\.npy overlap/);
  await expect(page.getByTestId('train-button')).toBeEnabled();

  // A genuine compressed npz (as np.savez_compressed writes) inflates through the browser's DecompressionStream.
  const small: WeightFile = {
    model: 'mlp', config: { hidden: [8], activation: 'relu' }, classes: DIGITS, metrics: {},
    tensors: new Map([
      ['fc1.weight', { shape: [8, 784], data: new Float32Array(8 * 784).fill(0.01) }], ['fc1.bias', { shape: [8], data: new Float32Array(8) }],
      ['fc2.weight', { shape: [10, 8], data: new Float32Array(80).fill(0.1) }], ['fc2.bias', { shape: [10], data: new Float32Array(10) }],
    ]),
  };
  const compressed = craftZip((await readZip(encodeWeights(small, 'npz'))).map((e) => ({ name: e.name, data: e.data })));
  await page.getByTestId('import-input').setInputFiles(weightUpload('compressed.npz', compressed));
  await expect(page.getByTestId('status')).toContainText(/Imported compressed\.npz/);
});

test('a dropped MNIST gzip holding far more than its header declares is refused without reading it all', async ({ page }) => {
  await openReady(page);
  const upload = (name: string, bytes: Uint8Array) => ({ name, mimeType: 'application/gzip', buffer: gzipSync(bytes) });
  await page.getByTestId('idx-files-input').setInputFiles([
    upload('train-images-idx3-ubyte.gz', makeIdx('images', 6)),
    upload('train-labels-idx1-ubyte.gz', concat(makeIdx('labels', 6), new Uint8Array(64 << 20))),
    upload('t10k-images-idx3-ubyte.gz', makeIdx('images', 3)),
    upload('t10k-labels-idx1-ubyte.gz', makeIdx('labels', 3)),
  ]);
  await expect(page.getByTestId('status')).toContainText(
    /train-labels-idx1-ubyte\.gz: more than 65536 unexpected bytes after the last of 6 labels/, { timeout: 30_000 },
  );
  await expect(page.getByTestId('train-button')).toBeEnabled();
});
