import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { setField } from './helpers';

/**
 * A fresh profile, offline but for the app's own origin: every page has its data by itself (the bundled
 * MNIST, the pairs built from it, the bundled Quick Draw sample) and Train becomes enabled without
 * pressing anything else. How long that takes is measured by bench/first-visit.ts, not asserted here.
 */
async function blockOtherHosts(context: BrowserContext, appOrigin: string): Promise<string[]> {
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === appOrigin) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  return blocked;
}

async function openOffline(page: Page, context: BrowserContext, baseURL: string | undefined, route: string): Promise<string[]> {
  const blocked = await blockOtherHosts(context, new URL(baseURL!).origin);
  await page.goto('/' + route);
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 120_000 });
  return blocked;
}

test('first visit offline: #/mlp is ready to train on the bundled MNIST', async ({ page, context, baseURL }) => {
  const blocked = await openOffline(page, context, baseURL, '#/mlp');
  await expect(page.getByTestId('status')).toContainText(/Press Train/);
  expect(blocked).toEqual([]);
});

test('first visit offline: #/cnn builds its pairs by itself', async ({ page, context, baseURL }) => {
  const blocked = await openOffline(page, context, baseURL, '#/cnn');
  await expect(page.getByTestId('pairs-info')).toContainText('30,000 train / 5,000 test pairs');
  await expect(page.getByTestId('status')).toContainText('30,000 training pairs ready. Press Train');
  await expect(page.getByTestId('build-pairs-button')).toBeEnabled();
  expect(blocked).toEqual([]);
});

test('first visit offline: #/rnn stores the bundled Quick Draw sample and trains an epoch on it', async ({ page, context, baseURL }) => {
  test.slow(); // storing the sample, an epoch, the test report and a reload, on a machine other runs share
  const blocked = await openOffline(page, context, baseURL, '#/rnn');
  await expect(page.getByTestId('status')).toContainText(/Quick Draw: 10,000 drawings of 10 classes \(7,978 train \/ 1,024 dev \/ 998 test\) ready\. Press Train/);
  await expect(page.getByTestId('sequence-info')).toContainText('Quick Draw sample (10 classes, 1000 drawings each)');
  await expect(page.getByTestId('quickdraw-attribution')).toHaveText('Quick, Draw! data © Google, CC BY 4.0');
  await expect(page.getByTestId('doodle-previews').locator('canvas')).toHaveCount(60);
  // "Load" still fetches more: the form keeps the public folder.
  await expect(page.getByTestId('load-quickdraw-button')).toBeEnabled();
  await expect(page.getByTestId('quickdraw-base-input')).toHaveValue('/quickdraw/');

  // One short epoch of a small BiGRU on a slice of the sample, then the test report on its 998 test drawings.
  await setField(page, 'hidden-input', '16');
  await setField(page, 'layers-input', '1');
  await setField(page, 'epochs-input', '1');
  await setField(page, 'train-limit-input', '400');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('test-accuracy')).toContainText(/\d+(\.\d+)?%/);
  await expect(page.getByTestId('per-class-accuracy').locator('li')).toHaveCount(10);

  // A reload finds the sample stored: nothing is read again.
  const sampleReads: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('quickdraw-sample')) sampleReads.push(r.url());
  });
  await page.reload();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId('status')).toContainText(/Quick Draw: 10,000 drawings.*Restored your last RNN/);
  expect(sampleReads).toEqual([]);
  expect(blocked).toEqual([]);
});
