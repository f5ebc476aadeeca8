import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { decodeWeights } from '../src/io/weights';
import { chartPointCount, drawStrokes, openReady, setField } from './helpers';

// A "1": one vertical stroke; a "7": a bar then a diagonal.
const ONE: [number, number][][] = [[[0.5, 0.15], [0.5, 0.85]]];
const SEVEN: [number, number][][] = [[[0.25, 0.2], [0.75, 0.2], [0.45, 0.85]]];

test('bundled MNIST → train → pause/resume → draw → export → import → reload keeps the model', async ({ page }) => {
  await openReady(page);
  await expect(page.getByTestId('status')).toContainText(/ready|Press Train/i);

  // Watch the main thread for long tasks while training runs: from Train until the status says
  // the run is over (the test-set report rendered afterwards is not part of training).
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[]; trainingEnded: number };
    w.longTasks = [];
    w.trainingEnded = Infinity;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: false });
    const status = document.querySelector('[data-testid=status]')!;
    new MutationObserver(() => {
      if (/Evaluating|finished|Stopped/.test(status.textContent ?? '')) w.trainingEnded = Math.min(w.trainingEnded, performance.now());
    }).observe(status, { childList: true, subtree: true, characterData: true });
  });

  // Long enough that Pause lands mid-run: 3 epochs of the bundled digits at ~24k examples/s on 2
  // workers could end inside the pause window, leaving nothing to resume.
  await setField(page, 'epochs-input', '15');
  await page.getByTestId('schedule-select').selectOption('constant');
  const clicked = Date.now();
  await page.getByTestId('train-button').click();
  const loss = page.getByTestId('chart-loss');
  await expect.poll(() => chartPointCount(loss), { timeout: 20_000 }).toBeGreaterThan(1);
  console.log(`first loss points after ${Date.now() - clicked} ms`);

  // Pause: progress stops moving; Resume: it moves again.
  const progress = page.getByTestId('epoch-progress');
  await page.getByTestId('pause-button').click();
  await expect(page.getByTestId('status')).toContainText('Paused');
  await page.waitForTimeout(600); // progress sent before the pause may still be in flight
  const frozen = await progress.getAttribute('aria-valuenow');
  await page.waitForTimeout(800);
  expect(await progress.getAttribute('aria-valuenow')).toBe(frozen);
  await page.getByTestId('pause-button').click();
  await expect.poll(async () => progress.getAttribute('aria-valuenow'), { timeout: 20_000 }).not.toBe(frozen);

  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 150_000 });
  const accuracy = parseFloat((await page.getByTestId('test-accuracy').innerText()).replace('%', ''));
  expect(accuracy).toBeGreaterThan(90);
  expect(await chartPointCount(page.getByTestId('chart-accuracy'))).toBeGreaterThanOrEqual(3);
  expect(await chartPointCount(page.getByTestId('chart-gap'))).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();

  const longTasks = await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[]; trainingEnded: number };
    return w.longTasks.filter((t) => t.start < w.trainingEnded).map((t) => Math.round(t.duration));
  });
  console.log(`main-thread long tasks while training: ${JSON.stringify(longTasks)}`);
  // Training runs in the worker: the page never freezes (a step on the main thread would block it
  // for seconds). The 50 ms smoothness target is a speed target, measured by `npm run bench:page`
  // (it depends on what else the machine runs, so it is not asserted here).
  expect(longTasks.filter((d) => d > 1000)).toEqual([]);

  // Draw with mouse strokes: the network's prediction follows the drawing.
  await drawStrokes(page, ONE);
  await expect(page.getByTestId('prediction')).toHaveText('1');
  await page.getByTestId('clear-button').click();
  await expect(page.getByTestId('prediction')).toHaveText(/^[—–-]?$/);
  await drawStrokes(page, SEVEN);
  await expect(page.getByTestId('prediction')).toHaveText('7');

  // Export downloads a safetensors file that parses with the A1 layout.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
  expect(download.suggestedFilename()).toMatch(/\.safetensors$/);
  const bytes = new Uint8Array(readFileSync((await download.path())!));
  const file = await decodeWeights(bytes);
  expect(file.model).toBe('mlp');
  expect(file.config).toMatchObject({ hidden: [256, 128, 64], activation: 'relu' });
  expect(file.tensors.get('fc1.weight')!.shape).toEqual([256, 784]);
  expect(file.tensors.get('fc4.weight')!.shape).toEqual([10, 64]);
  expect(file.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

  // The .npz export holds the same tensors (numpy layout + metadata).
  const [npzDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-npz-button').click()]);
  expect(npzDownload.suggestedFilename()).toMatch(/\.npz$/);
  const npz = await decodeWeights(new Uint8Array(readFileSync((await npzDownload.path())!)));
  expect(npz.model).toBe('mlp');
  expect(Array.from(npz.tensors.get('fc2.bias')!.data)).toEqual(Array.from(file.tensors.get('fc2.bias')!.data));

  // Import it back.
  await page.getByTestId('import-input').setInputFiles({ name: 'mine.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('status')).toContainText(/Imported/i);

  // Reload: the model comes back from IndexedDB and still classifies.
  await page.reload();
  await expect(page.getByTestId('status')).toContainText(/Restored/i, { timeout: 60_000 });
  await drawStrokes(page, ONE);
  await expect(page.getByTestId('prediction')).toHaveText('1');
});

test('Stop ends a run early and keeps a usable model', async ({ page }) => {
  await openReady(page);
  await setField(page, 'epochs-input', '50');
  await page.getByTestId('train-button').click();
  await expect.poll(() => chartPointCount(page.getByTestId('chart-loss')), { timeout: 20_000 }).toBeGreaterThan(3);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId('status')).toContainText(/stopped/i, { timeout: 30_000 });
  await expect(page.getByTestId('export-button')).toBeEnabled();
});
