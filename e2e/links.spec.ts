import { expect, test } from '@playwright/test';
import { DEFAULT_FORM } from '../src/app/mlp-hyperparams';
import { openReady, setField } from './helpers';

const EIGHT_WIDE = new Array<number>(8).fill(4096).join(',');

test("a link whose network cannot fit in a worker's memory is refused with the estimate; Train starts no doomed run", async ({ page }) => {
  await openReady(page, `#/mlp?hidden=${EIGHT_WIDE}&batch=4096`);
  const status = page.getByTestId('status');
  await expect(status).toContainText('Ignored from the link: hidden, batch together: Memory: this run needs about');
  await expect(status).toContainText('GB per worker, more than the 2 GB a worker can use');
  // The form keeps its own network, and says what training it needs.
  await expect(page.getByTestId('hidden-input')).toHaveValue('256,128,64');
  await expect(page.getByTestId('memory-estimate')).toContainText(/Training needs about \d+ MB per worker/);

  // The same settings typed into the form: refused in the form, and by Train before any step.
  await setField(page, 'hidden-input', EIGHT_WIDE);
  await setField(page, 'batch-input', '4096');
  await expect(page.getByTestId('memory-estimate')).toContainText('Memory: this run needs about');
  await page.getByTestId('train-button').click();
  await expect(status).toContainText(/^Memory: this run needs about [\d.]+ GB per worker/);
  await expect(page.getByTestId('stop-button')).toBeDisabled();
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await expect(page.getByTestId('progress-text')).not.toContainText(/epoch/i);
});

test('out-of-range link values are refused like invalid ones, with one message', async ({ page }) => {
  await openReady(page, '#/mlp?lr=1e6&epochs=2&drop=0.95');
  const status = page.getByTestId('status');
  await expect(status).toContainText('Ignored from the link: lr=1e6: Learning rate: "1e6" is not a number above 0 to 10; drop=0.95: Dropout');
  await expect(page.getByTestId('lr-input')).toHaveValue(DEFAULT_FORM.lr);
  await expect(page.getByTestId('epochs-input')).toHaveValue('2');
});

test('a link with 200 000 unknown keys keeps the page responsive and says so in one line', async ({ page }) => {
  const junk = Array.from({ length: 200_000 }, (_, i) => `k${i}=1`).join('&');
  await openReady(page, `#/mlp?epochs=3&${junk}`);
  const status = page.getByTestId('status');
  await expect(status).toHaveText('Ignored from the link: ignored 200000 unknown link keys: k0, k1, k2, k3, k4, …');
  await expect(page.getByTestId('epochs-input')).toHaveValue('3');
  // Still answering: the form takes typing and rewrites the hash without the junk.
  await setField(page, 'epochs-input', '4');
  await expect.poll(() => page.url()).toContain('epochs=4');
  expect(page.url()).not.toContain('k199999');
});
