import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { decodeWeights } from '../src/io/weights';
import { DEFAULT_FORM } from '../src/app/mlp-hyperparams';
import { openReady, setField } from './helpers';

/**
 * These tests are about the playground, not data-parallel training: one worker keeps them
 * independent of that setting (it has its own spec).
 */
async function oneWorker(page: Page): Promise<void> {
  const select = page.getByTestId('workers-select');
  if ((await select.count()) > 0 && (await select.isEnabled())) await select.selectOption('1');
}

test('a sweep of two runs lands in the Runs view with two curves overlaid', async ({ page }) => {
  await openReady(page);
  await oneWorker(page);
  await setField(page, 'hidden-input', '32');
  // Two epochs: the per-epoch charts need two points to draw a line.
  await setField(page, 'epochs-input', '2');
  await page.getByTestId('schedule-select').selectOption('constant');
  await page.getByTestId('sweep-param-1').selectOption('lr');
  await setField(page, 'sweep-values-1', '0.01, 0.001');
  await setField(page, 'sweep-limit', '500');
  await expect(page.getByTestId('sweep-run')).toHaveText('Run sweep (2 runs)');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-progress')).toContainText(/sweep [12]\/2/);
  await expect(page.getByTestId('sweep-message')).toContainText('Sweep done: 2 runs', { timeout: 120_000 });
  // The form is back as it was before the sweep (the default recipe's learning rate).
  await expect(page.getByTestId('lr-input')).toHaveValue(DEFAULT_FORM.lr);
  await expect(page.getByTestId('hidden-input')).toHaveValue('32');

  await page.getByRole('navigation').getByRole('link', { name: 'Runs' }).click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('runs-count')).toHaveText('2 runs kept in this browser');
  const lrs = await rows.locator('td[data-col=lr]').allInnerTexts();
  expect(lrs.sort()).toEqual(['0.001', '0.01']);
  expect(await rows.locator('td[data-col=hidden]').allInnerTexts()).toEqual(['32', '32']);
  expect(await rows.locator('td[data-col=epochs]').allInnerTexts()).toEqual(['2', '2']);

  // Sorting by learning rate puts 0.001 first, then (again) last.
  await page.getByTestId('sort-lr').click();
  await expect(rows.first().locator('td[data-col=lr]')).toHaveText('0.001');
  await page.getByTestId('sort-lr').click();
  await expect(rows.first().locator('td[data-col=lr]')).toHaveText('0.01');

  await page.getByTestId('run-select').nth(0).check();
  await page.getByTestId('run-select').nth(1).check();
  for (const chart of ['runs-chart-loss', 'runs-chart-dev', 'runs-chart-gap']) {
    await expect(page.getByTestId(chart).locator('path.recharts-line-curve')).toHaveCount(2);
  }
  await expect(page.getByTestId('runs-chart-loss').locator('.recharts-legend-item')).toHaveCount(2);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('runs-export-csv').click()]);
  expect(csv.suggestedFilename()).toBe('scratchnet-runs.csv');
  const lines = readFileSync((await csv.path())!, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^id,network,dataset,started,lr,batch/);

  // The latest run still has its weights in the worker: keep them with the run, then download them.
  await expect(page.getByTestId('run-keep-weights')).toHaveCount(1);
  await page.getByTestId('run-keep-weights').click();
  await expect(page.getByTestId('runs-message')).toContainText('Kept the weights');
  const [weights] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-download-weights').click()]);
  expect(weights.suggestedFilename()).toMatch(/^scratchnet-mlp-r-.*\.safetensors$/);
  const file = await decodeWeights(new Uint8Array(readFileSync((await weights.path())!)));
  expect(file.tensors.get('fc1.weight')!.shape).toEqual([32, 784]);

  // The history survives a reload (IndexedDB); deleting one leaves the other.
  await page.reload();
  await expect(rows).toHaveCount(2);
  await page.getByTestId('run-select').nth(0).check();
  await page.getByTestId('runs-delete').click();
  await expect(rows).toHaveCount(1);
});

test('settings round-trip through the URL hash; bad values are ignored with a message', async ({ page }) => {
  await openReady(page, '#/mlp?lr=0.003&warm=0.25&batch=64&hidden=32,16&act=leaky_relu&epochs=2&drop=0.1&mom=abc');
  await expect(page.getByTestId('lr-input')).toHaveValue('0.003');
  await expect(page.getByTestId('warmup-input')).toHaveValue('0.25');
  await expect(page.getByTestId('batch-input')).toHaveValue('64');
  await expect(page.getByTestId('hidden-input')).toHaveValue('32,16');
  await expect(page.getByTestId('activation-select')).toHaveValue('leaky_relu');
  await expect(page.getByTestId('dropout-input')).toHaveValue('0.1');
  await expect(page.getByTestId('status')).toContainText('Ignored from the link: mom=abc');

  // Editing the form rewrites the hash in place (no new history entry)…
  const historyLength = await page.evaluate(() => history.length);
  await setField(page, 'lr-input', '0.007');
  await setField(page, 'epochs-input', '4');
  await expect.poll(() => page.url()).toContain('lr=0.007');
  expect(page.url()).toContain('hidden=32,16');
  expect(await page.evaluate(() => history.length)).toBe(historyLength);

  // …so the copied link, opened in a new page, restores the same setup.
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
  await expect(other.getByTestId('lr-input')).toHaveValue('0.007');
  await expect(other.getByTestId('warmup-input')).toHaveValue('0.25');
  await expect(other.getByTestId('epochs-input')).toHaveValue('4');
  await expect(other.getByTestId('hidden-input')).toHaveValue('32,16');
  await expect(other.getByTestId('activation-select')).toHaveValue('leaky_relu');
  await expect(other.getByTestId('status')).not.toContainText('Ignored');
});

test('a CNN link naming only the two heads opens their recipe, as picking them on the page does', async ({ page }) => {
  await page.goto('/#/cnn?net=cnn2head');
  await expect(page.getByTestId('variant-select')).toHaveValue('cnn2head');
  await expect(page.getByTestId('epochs-input')).toHaveValue('8');
  await expect(page.getByTestId('plain-epochs-input')).toHaveValue('1');
  await expect(page.getByTestId('status')).not.toContainText('Ignored');
});

test('the CNN and RNN pages keep their settings in the URL hash too', async ({ page }) => {
  await page.goto('/#/cnn?net=cnn2head&lr=0.002&warm=1&epochs=3&aug=0&batch=oops');
  await expect(page.getByTestId('variant-select')).toHaveValue('cnn2head');
  await expect(page.getByTestId('warmup-input')).toHaveValue('1');
  await expect(page.getByTestId('lr-input')).toHaveValue('0.002');
  await expect(page.getByTestId('epochs-input')).toHaveValue('3');
  await expect(page.getByTestId('augment-checkbox')).not.toBeChecked();
  await expect(page.getByTestId('status')).toContainText('Ignored from the link: batch=oops');
  await setField(page, 'epochs-input', '5');
  await expect.poll(() => page.url()).toContain('epochs=5');
  expect(page.url()).toContain('net=cnn2head');

  const other = await page.context().newPage();
  await other.goto(page.url());
  await expect(other.getByTestId('variant-select')).toHaveValue('cnn2head');
  await expect(other.getByTestId('epochs-input')).toHaveValue('5');

  await other.goto('/#/rnn?hidden=32&layers=1&epochs=2');
  await other.reload();
  await expect(other.getByTestId('hidden-input')).toHaveValue('32');
  await expect(other.getByTestId('layers-input')).toHaveValue('1');
  await setField(other, 'epochs-input', '4');
  await expect.poll(() => other.url()).toContain('epochs=4');
  expect(other.url()).toContain('hidden=32');

  // The BiGRU's recipes: Quick (H = 80, 14 epochs of batches of 64, warmup to 6e-3, light dropout), back to Full (H = 128, 16 epochs).
  await expect(other.getByTestId('recipe-quick-button')).toHaveText('Quick');
  await other.getByTestId('recipe-quick-button').click();
  await expect(other.getByTestId('hidden-input')).toHaveValue('80');
  await expect(other.getByTestId('epochs-input')).toHaveValue('14');
  await expect(other.getByTestId('warmup-input')).toHaveValue('0.5');
  await expect(other.getByTestId('lr-input')).toHaveValue('0.006');
  await expect(other.getByTestId('batch-input')).toHaveValue('64');
  await expect(other.getByTestId('dropout-input')).toHaveValue('0.1');
  await expect(other.getByTestId('average-input')).toHaveValue('0.998');
  await expect.poll(() => other.url()).toContain('warm=0.5');
  await other.reload();
  await expect(other.getByTestId('warmup-input')).toHaveValue('0.5');
  await expect(other.getByTestId('epochs-input')).toHaveValue('14');
  await expect(other.getByTestId('hidden-input')).toHaveValue('80');
  await other.getByTestId('recipe-full-button').click();
  await expect(other.getByTestId('hidden-input')).toHaveValue('128');
  await expect(other.getByTestId('epochs-input')).toHaveValue('16');
  await expect(other.getByTestId('warmup-input')).toHaveValue('0');
  await expect(other.getByTestId('dropout-input')).toHaveValue('0.3');
});

test('first steps: the lines toy trains 256-16-2 to 100%', async ({ page }) => {
  await openReady(page);
  await oneWorker(page);
  await expect(page.getByTestId('first-visit-hint')).toBeVisible();
  const clicked = Date.now();
  await page.getByTestId('preset-lines').click();
  await expect(page.getByTestId('test-accuracy')).toHaveText('100.00%', { timeout: 60_000 });
  console.log(`lines toy: click → 100% test accuracy in ${Date.now() - clicked} ms`);
  await expect(page.getByTestId('first-visit-hint')).toHaveCount(0);
  await expect(page.getByTestId('lines-note')).toBeVisible();
  await expect(page.getByTestId('hidden-input')).toHaveValue('16');
  await expect(page.getByTestId('param-count')).toContainText('4,146 trainable parameters · 256-16-2');
  expect(page.url()).toContain('data=lines-16');
  // What each of the 16 hidden units looks for, as 16×16 images.
  await expect(page.getByTestId('first-layer-unit')).toHaveCount(16);
  expect(await page.getByTestId('first-layer-unit').first().evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([16, 16]);

  // The MNIST preset goes back to digits with the 784-16-10 network.
  await page.getByTestId('preset-mnist16').click();
  await expect(page.getByTestId('dataset-select')).toHaveValue('mnist-bundled');
  await expect(page.getByTestId('param-count')).toContainText('784-16-10');
});
