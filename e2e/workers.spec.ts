import { expect, test } from '@playwright/test';
import { openReady, trainMlpOnTwoWorkers, watchGradWorkers } from './helpers';

// The preview server sends COOP/COEP, so the page is cross-origin isolated and may share memory.
test('Workers: defaults to the cores (at most 4) and trains the MLP with gradient helper workers', async ({ page }) => {
  const gradWorkers = watchGradWorkers(page);
  await openReady(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const select = page.getByTestId('workers-select');
  await expect(select).toBeEnabled();
  await expect(select).toHaveValue(String(Math.min(cores, 4)));
  await trainMlpOnTwoWorkers(page, gradWorkers);
  await expect(select).toBeEnabled();
});
