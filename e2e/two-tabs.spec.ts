import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { dataBase, openReady, setField, testWithFullData } from './helpers';

const waiting = (dataset: string) => `Waiting for another tab that is loading ${dataset}`;

/**
 * Holds the first request matching `pattern` (in any tab of the context) until release(), so two loads
 * overlap for sure; `urls` lists every matching request.
 */
async function holdFirstRequest(context: BrowserContext, pattern: string): Promise<{ urls: string[]; release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const urls: string[] = [];
  await context.route(pattern, async (route) => {
    urls.push(route.request().url());
    if (urls.length === 1) await released;
    await route.continue();
  });
  return { urls, release };
}

/** Reloads a tab and checks that it reads the stored data back without complaint. */
async function reloadAndCheck(page: Page, ready: string): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('status')).toContainText(ready);
  await expect(page.getByTestId('status')).not.toContainText(/damaged|incomplete/);
}

test('two tabs on a first visit: the second waits for the first to store the bundled MNIST, then uses it', async ({ page }) => {
  const held = await holdFirstRequest(page.context(), '**/data/mnist-bundled/train-000.bin');
  const second = await page.context().newPage();
  void page.goto('/#/mlp');
  await expect.poll(() => held.urls.length, { timeout: 60_000 }).toBe(1);
  void second.goto('/#/mlp');
  await expect(second.getByTestId('status')).toContainText(waiting('the bundled MNIST'), { timeout: 60_000 });

  held.release();
  for (const tab of [page, second]) {
    await expect(tab.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
    await expect(tab.getByTestId('status')).toContainText('9,000 training digits ready');
  }
  expect(held.urls).toHaveLength(1); // the second tab did not download the shards again
  await reloadAndCheck(second, '9,000 training digits ready');
});

testWithFullData('two tabs loading full MNIST: the second waits for the first, both end with the data, nothing is damaged', async ({ page }) => {
  const first = page;
  const images = await holdFirstRequest(page.context(), '**/*-images-idx3-ubyte.gz');
  const second = await page.context().newPage();
  await openReady(first);
  await openReady(second);
  await setField(first, 'mnist-base-input', dataBase('mnist'));
  await setField(second, 'mnist-base-input', dataBase('mnist'));

  await first.getByTestId('load-mnist-button').click();
  // The label files are in: the first tab holds the dataset's lock and waits for its images.
  await expect.poll(() => images.urls.length, { timeout: 60_000 }).toBe(1);
  await second.getByTestId('load-mnist-button').click();
  await expect(second.getByTestId('status')).toContainText(waiting('MNIST (full)'));
  await expect(second.getByTestId('data-progress')).toBeVisible();
  await expect(second.getByText(waiting('MNIST (full)')).first()).toBeVisible();

  images.release();
  const fullReady = /60,000 train \/ 10,000 test digits ready/;
  await expect(first.getByTestId('status')).toContainText(fullReady, { timeout: 150_000 });
  await expect(second.getByTestId('status')).toContainText(fullReady, { timeout: 60_000 });
  // Only the first tab downloaded the images (train and test); the second used its copy.
  expect(images.urls.filter((url) => url.includes('train-images'))).toHaveLength(1);
  expect(images.urls.filter((url) => url.includes('t10k-images'))).toHaveLength(1);
  await expect(second.getByTestId('storage-info')).toContainText(/Storage used .+ of .+ available \((persistent|may be cleared)/);

  await reloadAndCheck(second, '60,000 training digits ready');
  await reloadAndCheck(first, '60,000 training digits ready');
  await expect(first.getByTestId('dataset-select')).toContainText(/full/i);
});

test('a newer stored layout opened in another tab closes this tab’s storage cleanly and asks for a reload', async ({ page }) => {
  await openReady(page);
  const newerTab = await page.context().newPage();
  await newerTab.goto('/data/mnist-bundled/manifest.json'); // same origin, without the app
  // Resolves only once every connection of the first tab (page and worker) has closed.
  const version = await newerTab.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('scratchnet', 1000);
        open.onsuccess = () => {
          resolve(open.result.version);
          open.result.close();
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(version).toBe(1000);
  await expect(page.getByTestId('storage-alert')).toContainText('updated in another tab');
  await page.reload();
  await expect(page.getByTestId('storage-alert')).toContainText('newer scratchnet', { timeout: 60_000 });
});
