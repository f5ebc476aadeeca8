import path from 'node:path';
import { expect, test } from '@playwright/test';
import { dataBase, drawStrokes, MNIST_DIR, openReady, setField, testWithFullData } from './helpers';

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
  await setField(page, 'lr-input', '100000');
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
