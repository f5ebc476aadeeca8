import { expect, test } from '@playwright/test';
import { openReady, setField, trainUntilDone } from './helpers';

// The preview server sends COOP/COEP, so the page is cross-origin isolated and may share memory.
test('Workers: defaults to the cores (at most 4) and trains the MLP with gradient helper workers', async ({ page }) => {
  const gradWorkers: string[] = [];
  page.on('worker', (w) => {
    if (w.url().includes('grad.worker')) gradWorkers.push(w.url());
  });
  await openReady(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const select = page.getByTestId('workers-select');
  await expect(select).toBeEnabled();
  await expect(select).toHaveValue(String(Math.min(cores, 4)));
  await select.selectOption('2');
  await setField(page, 'epochs-input', '1');
  await trainUntilDone(page);
  expect(gradWorkers).toHaveLength(1);
  const accuracy = parseFloat((await page.getByTestId('test-accuracy').innerText()).replace('%', ''));
  expect(accuracy).toBeGreaterThan(90);
  await expect(select).toBeEnabled();
});
