import { expect, test, type Page } from '@playwright/test';
import { dataBase, openReady, setField } from './helpers';

const WAITING = 'Waiting for another tab that is loading MNIST (full)';
const FULL_READY = /60,000 train \/ 10,000 test digits ready/;

/** Reloads a tab and checks that it reads the stored full MNIST back without complaint. */
async function reloadAndCheck(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('status')).toContainText('60,000 training digits ready');
  await expect(page.getByTestId('status')).not.toContainText(/damaged|incomplete/);
  await expect(page.getByTestId('dataset-select')).toContainText(/full/i);
}

test('two tabs loading full MNIST: the second waits for the first, both end with the data, nothing is damaged', async ({ context }) => {
  // Hold the first image download until the second tab has said that it waits, so the two loads overlap.
  let releaseImages!: () => void;
  const imagesReleased = new Promise<void>((resolve) => (releaseImages = resolve));
  const imageRequests: string[] = [];
  await context.route('**/*-images-idx3-ubyte.gz', async (route) => {
    imageRequests.push(route.request().url());
    if (imageRequests.length === 1) await imagesReleased;
    await route.continue();
  });

  const first = await context.newPage();
  const second = await context.newPage();
  await openReady(first);
  await openReady(second);
  await setField(first, 'mnist-base-input', dataBase('mnist'));
  await setField(second, 'mnist-base-input', dataBase('mnist'));

  await first.getByTestId('load-mnist-button').click();
  // The label files are in: the first tab holds the dataset's lock and waits for its images.
  await expect.poll(() => imageRequests.length, { timeout: 60_000 }).toBe(1);
  await second.getByTestId('load-mnist-button').click();
  await expect(second.getByTestId('status')).toContainText(WAITING);
  await expect(second.getByTestId('data-progress')).toBeVisible();
  await expect(second.getByText(WAITING).first()).toBeVisible();

  releaseImages();
  await expect(first.getByTestId('status')).toContainText(FULL_READY, { timeout: 150_000 });
  await expect(second.getByTestId('status')).toContainText(FULL_READY, { timeout: 60_000 });
  // Only the first tab downloaded the images (train and test); the second used its copy.
  expect(imageRequests.filter((url) => url.includes('train-images'))).toHaveLength(1);
  expect(imageRequests.filter((url) => url.includes('t10k-images'))).toHaveLength(1);
  await expect(second.getByTestId('storage-info')).toContainText(/Storage used .+ of .+ available \((persistent|may be cleared)/);

  await reloadAndCheck(second);
  await reloadAndCheck(first);
});
