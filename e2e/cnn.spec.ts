import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { decodeWeights } from '../src/io/weights';
import { chartPointCount, drawStrokes, setField } from './helpers';

// Canvas coordinates in 0..1 of the 2:1 canvas: a "1" in the left box, a "7" in the right box.
const ONE_LEFT: [number, number][][] = [[[0.25, 0.15], [0.25, 0.85]]];
const SEVEN_RIGHT: [number, number][][] = [[[0.62, 0.2], [0.88, 0.2], [0.72, 0.85]]];

test('paired MNIST: pairs built on arrival → auto-tune → short two-head run → draw 17 → export → import', async ({ page }) => {
  await page.goto('/#/cnn');
  // The first visit pairs the bundled digits by itself; "Build pairs" stays for a rebuild (the stored pairs are reused).
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId('status')).toContainText('30,000 training pairs ready');
  const build = page.getByTestId('build-pairs-button');
  await expect(build).toBeEnabled();
  await build.click();
  await expect(page.getByTestId('status')).toContainText(/30,000 train \/ 5,000 test pairs ready/, { timeout: 90_000 });
  await expect(page.getByTestId('pair-samples').locator('li')).toHaveCount(8);

  // The default is the fast recipe (a result in minutes): re-paired digits, pixels/255, 11 epochs of
  // cosine decay from 7e-3 after half an epoch of warmup.
  await expect(page.getByTestId('epochs-input')).toHaveValue('11');
  await expect(page.getByTestId('plain-epochs-input')).toHaveValue('1');
  await expect(page.getByTestId('lr-input')).toHaveValue('0.007');
  await expect(page.getByTestId('warmup-input')).toHaveValue('0.5');
  await expect(page.getByTestId('standardize-checkbox')).not.toBeChecked();
  await expect(page.getByTestId('remix-checkbox')).toBeChecked();
  await expect(page.getByTestId('patience-input')).toHaveValue('0');
  // The recipe buttons fill the form: tuned (re-paired, rotated and scaled digits, no dropout, weight
  // averaging, 50 epochs cosine), back to the fast default, then the seed's.
  await page.getByTestId('recipe-tuned-button').click();
  await expect(page.getByTestId('dropout-input')).toHaveValue('0');
  await expect(page.getByTestId('average-input')).toHaveValue('0.999');
  await expect(page.getByTestId('warp-rotate-input')).toHaveValue('12');
  await expect(page.getByTestId('warp-scale-input')).toHaveValue('0.12');
  await expect(page.getByTestId('epochs-input')).toHaveValue('50');
  await expect(page.getByTestId('plain-epochs-input')).toHaveValue('0');
  await expect(page.getByTestId('warmup-input')).toHaveValue('0');
  await expect(page.getByTestId('remix-checkbox')).toBeChecked();
  await expect(page.getByTestId('cosine-checkbox')).toBeChecked();
  await expect(page.getByTestId('patience-input')).toHaveValue('0');
  // Fast fills the default back in.
  await expect(page.getByTestId('recipe-fast-button')).toHaveText('Fast');
  await page.getByTestId('recipe-fast-button').click();
  await expect(page.getByTestId('epochs-input')).toHaveValue('11');
  await expect(page.getByTestId('plain-epochs-input')).toHaveValue('1');
  await expect(page.getByTestId('warmup-input')).toHaveValue('0.5');
  await expect(page.getByTestId('average-input')).toHaveValue('0');
  await expect(page.getByTestId('warp-rotate-input')).toHaveValue('8');
  await expect(page.getByTestId('standardize-checkbox')).not.toBeChecked();
  // The two heads train 8 epochs of the same recipe; switching back brings the 100-way head's 11.
  await page.getByTestId('variant-select').selectOption('cnn2head');
  await expect(page.getByTestId('epochs-input')).toHaveValue('8');
  await page.getByTestId('variant-select').selectOption('cnn');
  await expect(page.getByTestId('epochs-input')).toHaveValue('11');
  await expect(page.getByTestId('recipe-seed-button')).toHaveText('Seed 003');
  await page.getByTestId('recipe-seed-button').click();
  await expect(page.getByTestId('dropout-input')).toHaveValue('0.4');
  await expect(page.getByTestId('average-input')).toHaveValue('0');
  await expect(page.getByTestId('epochs-input')).toHaveValue('20');
  await expect(page.getByTestId('remix-checkbox')).not.toBeChecked();
  await expect(page.getByTestId('warp-rotate-input')).toHaveValue('0');
  await expect(page.getByTestId('cosine-checkbox')).not.toBeChecked();
  await expect(page.getByTestId('patience-input')).toHaveValue('5');
  await expect(page.getByTestId('standardize-checkbox')).toBeChecked();

  // Auto-tune on a tiny subset: the trials fill the table and the scatter charts live, the best
  // (lr, λ) lands in the form, and a retrain with it follows (the seed's pipeline).
  await setField(page, 'train-limit-input', '300');
  await setField(page, 'epochs-input', '1');
  await expect(page.getByTestId('autotune-retrain')).toBeChecked();
  await page.getByTestId('autotune-button').click();
  await expect(page.getByTestId('autotune-trials').locator('tbody tr')).toHaveCount(6, { timeout: 120_000 });
  await expect(page.getByTestId('autotune-trials').locator('tr.best')).toHaveCount(1);
  for (const id of ['autotune-scatter-lr', 'autotune-scatter-l2']) {
    await expect(page.getByTestId(id).locator('.recharts-scatter-symbol')).toHaveCount(6);
  }
  // The retrain is a normal run (tiny here): it ends with a test report of the model trained with the tuned pair.
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('status')).toContainText(/Training finished/);
  const bestLr = await page.getByTestId('autotune-trials').locator('tr.best td').nth(2).innerText();
  expect(Number(await page.getByTestId('lr-input').inputValue())).toBeCloseTo(Number(bestLr), 6);
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await setField(page, 'lr-input', '0.001');

  await page.getByTestId('variant-select').selectOption('cnn2head');
  await setField(page, 'epochs-input', '2');
  await setField(page, 'train-limit-input', '1500');
  const started = Date.now();
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('test-accuracy')).toBeHidden();
  await expect.poll(() => chartPointCount(page.getByTestId('chart-loss')), { timeout: 30_000 }).toBeGreaterThan(1);
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 150_000 });
  console.log(`2 epochs on 1,500 pairs + test evaluation: ${Date.now() - started} ms`);
  await expect(page.getByTestId('epoch-progress')).toHaveAttribute('aria-valuenow', '100');
  expect(await chartPointCount(page.getByTestId('chart-accuracy'))).toBeGreaterThanOrEqual(2);
  expect(await chartPointCount(page.getByTestId('chart-gap'))).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('digit-accuracy')).toBeVisible();
  // Two heads: each digit's dev accuracy is charted beside the whole number's.
  await expect(page.getByTestId('chart-accuracy').locator('.line-dev-tens path.recharts-curve')).toHaveCount(1);
  await expect(page.getByTestId('chart-accuracy').locator('.line-dev-ones path.recharts-curve')).toHaveCount(1);
  await expect(page.getByTestId('confusion-tens')).toBeVisible();
  await expect(page.getByTestId('hardest-classes').locator('li')).toHaveCount(5);

  await drawStrokes(page, ONE_LEFT);
  await drawStrokes(page, SEVEN_RIGHT);
  await expect(page.getByTestId('prediction')).toHaveText(/^\d\d$/);
  console.log(`prediction for a drawn 17 after a short run: ${await page.getByTestId('prediction').innerText()}`);
  // Inside the CNN: conv1's 16 and conv2's 32 filters, and each block's feature maps for the drawing.
  await expect(page.getByTestId('cnn-filters').getByTestId('cnn-filter')).toHaveCount(16 + 32);
  await expect(page.getByTestId('cnn-feature-maps').getByTestId('cnn-feature-map')).toHaveCount(16 + 32);
  await expect(page.getByTestId('cnn-feature-maps')).toContainText('16 maps of 14×28');
  await expect(page.getByTestId('cnn-feature-maps')).toContainText('32 maps of 7×14');
  await page.getByTestId('clear-button').click();
  await expect(page.getByTestId('prediction')).toHaveText('');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
  expect(download.suggestedFilename()).toBe('scratchnet-cnn2head.safetensors');
  const bytes = new Uint8Array(readFileSync((await download.path())!));
  const file = await decodeWeights(bytes);
  expect(['cnn', 'cnn2head']).toContain(file.model);
  expect(file.tensors.get('conv1.weight')!.shape).toEqual([16, 1, 3, 3]);
  expect(file.tensors.get('head1.weight')!.shape).toEqual([10, 256]);
  expect(file.classes).toHaveLength(100);
  expect(file.classes[42]).toBe('42');

  await page.getByTestId('import-input').setInputFiles({ name: 'pairs.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('status')).toContainText(/Imported pairs\.safetensors/);
  await expect(page.getByTestId('status')).toContainText(/Test accuracy/, { timeout: 60_000 });

  // The MLP page keeps its own model slot: an MLP weight file is refused here, the CNN stays.
  await page.reload();
  await expect(page.getByTestId('status')).toContainText(/Restored your last CNN/, { timeout: 60_000 });
  await drawStrokes(page, ONE_LEFT);
  await drawStrokes(page, SEVEN_RIGHT);
  await expect(page.getByTestId('prediction')).toHaveText(/^\d\d$/);
});
