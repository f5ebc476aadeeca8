import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { decodeWeights } from '../src/io/weights';
import { chartPointCount, dataBase, drawStrokes, QUICKDRAW_DIR, setField, testWithFullData } from './helpers';

const ANIMALS = ['bird', 'cat', 'dog', 'elephant', 'fish', 'horse', 'owl', 'pig', 'rabbit', 'snake'];
const PER_CLASS = 60;
// A fish: a body loop and a tail, in 0..1 of the canvas.
const FISH: [number, number][][] = [
  [[0.15, 0.5], [0.35, 0.3], [0.6, 0.32], [0.72, 0.5], [0.6, 0.68], [0.35, 0.7], [0.15, 0.5]],
  [[0.72, 0.5], [0.9, 0.3], [0.9, 0.7], [0.72, 0.5]],
];

/** Opens the page and waits for the first visit's bundled sample: Train enabled, the load form free. */
async function openRnn(page: Page): Promise<void> {
  await page.goto('/#/rnn');
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
}

async function fillLoadForm(page: Page, classes = ANIMALS.join(', ')): Promise<void> {
  await setField(page, 'quickdraw-base-input', dataBase('quickdraw'));
  await setField(page, 'quickdraw-classes-input', classes);
  await setField(page, 'quickdraw-per-class-input', String(PER_CLASS));
}

/** Class files the page asked the data server for. */
function recordClassRequests(page: Page): string[] {
  const requested: string[] = [];
  page.on('request', (r) => {
    const m = /\/quickdraw\/([a-z]+)\.ndjson$/.exec(r.url());
    if (m) requested.push(m[1]);
  });
  return requested;
}

testWithFullData('Quick Draw: load 10 classes → previews → short BiGRU run → draw a doodle → export → import → reload', async ({ page }) => {
  await openRnn(page);
  await expect(page.getByTestId('status')).toContainText('Quick Draw: 10,000 drawings of 10 classes');
  await fillLoadForm(page);
  await page.getByTestId('load-quickdraw-button').click();
  await expect(page.getByTestId('status')).toContainText('Quick Draw: 600 drawings of 10 classes', { timeout: 60_000 });
  await expect(page.getByTestId('doodle-previews').locator('canvas')).toHaveCount(60);
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('param-count')).toContainText('BiGRU 2×80 → 10');

  await setField(page, 'hidden-input', '16');
  await setField(page, 'layers-input', '1');
  await setField(page, 'epochs-input', '2');
  await setField(page, 'batch-input', '32');
  await expect(page.getByTestId('param-count')).toContainText('BiGRU 1×16 → 10');
  const started = Date.now();
  await page.getByTestId('train-button').click();
  await expect.poll(() => chartPointCount(page.getByTestId('chart-loss')), { timeout: 60_000 }).toBeGreaterThan(1);
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 120_000 });
  console.log(`2 epochs on ~480 drawings + test evaluation: ${Date.now() - started} ms`);
  await expect(page.getByTestId('epoch-progress')).toHaveAttribute('aria-valuenow', '100');
  expect(await chartPointCount(page.getByTestId('chart-accuracy'))).toBeGreaterThanOrEqual(2);
  expect(await chartPointCount(page.getByTestId('chart-gap'))).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('per-class-accuracy').locator('li')).toHaveCount(10);
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await expect(page.getByTestId('confused-pairs').locator('li').first()).toBeVisible();

  await drawStrokes(page, FISH);
  await expect(page.getByTestId('prediction')).toHaveText(new RegExp(`^(${ANIMALS.join('|')})$`));
  await expect(page.getByTestId('prob-bars').locator('li')).toHaveCount(3);
  console.log(`prediction for a drawn fish after a short run: ${await page.getByTestId('prediction').innerText()}`);
  // Reading the drawing mirrored too: other probabilities, and the evaluation says it averaged.
  const barsAsDrawn = await page.getByTestId('prob-bars').innerText();
  await page.getByTestId('mirror-average-checkbox').check();
  await expect.poll(() => page.getByTestId('prob-bars').innerText()).not.toBe(barsAsDrawn);
  await page.getByTestId('evaluate-button').click();
  await expect(page.getByTestId('test-accuracy-note')).toContainText('each drawing averaged with its mirror image', { timeout: 60_000 });
  await page.getByTestId('mirror-average-checkbox').uncheck();
  await page.getByTestId('show-sequence').check();
  await expect(page.getByTestId('sequence-steps')).toHaveText(/^\d+ steps/);
  // Step by step: one chart point per step the network reads; the slider picks a step.
  const stepsChart = page.getByTestId('rnn-steps');
  const stepCounts = async () => [
    Number(await stepsChart.getAttribute('data-steps')), await chartPointCount(stepsChart),
    Number(/^(\d+) steps/.exec(await page.getByTestId('sequence-steps').innerText())?.[1]),
  ];
  await expect.poll(async () => new Set(await stepCounts()).size).toBe(1);
  const [steps] = await stepCounts();
  expect(steps).toBeGreaterThan(2);
  await expect(page.getByTestId('rnn-step-top')).toContainText(`After step ${steps} of ${steps} (stroke 2)`);
  await page.getByTestId('rnn-step-slider').fill('1');
  await expect(page.getByTestId('rnn-step-top')).toContainText(`After step 1 of ${steps} (stroke 1)`);
  await page.getByTestId('clear-button').click();
  await expect(page.getByTestId('prediction')).toHaveText('');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
  expect(download.suggestedFilename()).toBe('scratchnet-rnn.safetensors');
  const bytes = new Uint8Array(readFileSync((await download.path())!));
  const file = await decodeWeights(bytes);
  expect(file.model).toBe('rnn');
  expect(file.classes).toEqual(ANIMALS);
  expect(file.tensors.get('fc.weight')!.shape).toEqual([10, 32]);
  expect(file.tensors.get('gru.weight_hh_l0')!.shape).toEqual([48, 16]);

  await page.getByTestId('import-input').setInputFiles({ name: 'doodles.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('status')).toContainText(/Imported doodles\.safetensors/);
  await expect(page.getByTestId('status')).toContainText(/Test accuracy/, { timeout: 60_000 });

  await page.reload();
  await expect(page.getByTestId('status')).toContainText(/Quick Draw: 600 drawings.*Restored your last RNN/, { timeout: 60_000 });
  await expect(page.getByTestId('doodle-previews').locator('canvas')).toHaveCount(60);
  await drawStrokes(page, FISH);
  await expect(page.getByTestId('prediction')).toHaveText(new RegExp(`^(${ANIMALS.join('|')})$`));
});

testWithFullData('Quick Draw bad input: reload mid-download resumes, unknown class, broken connection, garbage lines', async ({ page }) => {
  const requested = recordClassRequests(page);
  // The 7th class never answers: the page is reloaded while it waits.
  let owlAsked!: () => void;
  const owlWaiting = new Promise<void>((resolve) => (owlAsked = resolve));
  await page.route('**/quickdraw/owl.ndjson', () => owlAsked());
  await openRnn(page);
  await fillLoadForm(page);
  await page.getByTestId('load-quickdraw-button').click();
  await owlWaiting;
  expect(requested).toEqual(ANIMALS.slice(0, 7));
  // Reloaded while owl still hangs (unrouting first would let it through before the reload).
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('6 of 10 classes stored before the download stopped. Press "Load" to resume', { timeout: 60_000 });
  await expect(page.getByTestId('interrupted-load')).toBeVisible();
  await expect(page.getByTestId('quickdraw-base-input')).toHaveValue(dataBase('quickdraw'));
  await page.unroute('**/quickdraw/owl.ndjson');
  requested.length = 0;
  await page.getByTestId('load-quickdraw-button').click();
  await expect(page.getByTestId('status')).toContainText('Quick Draw: 600 drawings of 10 classes', { timeout: 60_000 });
  expect(requested).toEqual(['owl', 'pig', 'rabbit', 'snake']);
  await expect(page.getByTestId('interrupted-load')).toHaveCount(0);

  // A class the server does not have (HTTP 404): a clear message, the loaded drawings stay.
  await setField(page, 'quickdraw-classes-input', 'cat, unicorn');
  await page.getByTestId('load-quickdraw-button').click();
  await expect(page.getByTestId('status')).toContainText(/404.*is "unicorn" a Quick Draw class name\?/);
  await expect(page.getByTestId('sequence-info')).toContainText('Quick Draw (10 classes');
  await expect(page.getByTestId('train-button')).toBeEnabled();

  // The connection breaks: finished classes are kept and Load again resumes.
  await page.route('**/quickdraw/dog.ndjson', (route) => route.abort('connectionreset'));
  await setField(page, 'quickdraw-classes-input', 'cat, dog, fish');
  await page.getByTestId('load-quickdraw-button').click();
  await expect(page.getByTestId('status')).toContainText(/Could not download dog\.ndjson .*network error/);
  await expect(page.getByTestId('sequence-info')).toContainText('Quick Draw (10 classes');
  await page.unroute('**/quickdraw/dog.ndjson');
  requested.length = 0;
  await page.getByTestId('load-quickdraw-button').click();
  await expect(page.getByTestId('status')).toContainText('Quick Draw: 180 drawings of 3 classes', { timeout: 60_000 });
  expect(requested).toEqual(['dog', 'fish']);

  // Dropped files with garbage, a truncated line, an empty stroke and coordinates out of range.
  const good = readFileSync(path.join(QUICKDRAW_DIR, 'snake.ndjson'), 'utf8').split('\n').slice(0, 30);
  const bad = ['garbage', '{"drawing":[[[],[]]]}', '{"drawing":[[[1,999],[1,2]]]}', '{"drawing":[[[1,2'];
  await page.getByTestId('ndjson-files-input').setInputFiles([
    { name: 'snake.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from([...good, ...bad].join('\n')) },
    { name: 'nothing.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from('not json\n') },
  ]);
  await expect(page.getByTestId('status')).toContainText('Quick Draw class "nothing" has no drawings in nothing.ndjson');
  await expect(page.getByTestId('sequence-info')).toContainText('Quick Draw (3 classes');
  await page.getByTestId('ndjson-files-input').setInputFiles([
    { name: 'snake.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from([...good, ...bad].join('\n')) },
  ]);
  await expect(page.getByTestId('status')).toContainText('30 drawings of 1 class ');
  await expect(page.getByTestId('status')).toContainText('4 unusable lines skipped (first: snake line 31');
});
