import { expect, test } from '@playwright/test';
import { openReady, setField } from './helpers';

test('a reload in the middle of an MLP run offers to continue it, and continuing ends in a test report; Runs shows it interrupted, then finished', async ({ page }) => {
  await openReady(page);
  await setField(page, 'epochs-input', '4');
  await page.getByTestId('train-button').click();
  // Steps of epoch 2 arrive only after epoch 1's checkpoint was written (the run waits for it).
  await expect(page.getByTestId('progress-text')).toContainText(/epoch [2-4]\/4/, { timeout: 120_000 });

  await page.reload();
  await openReady(page);
  const resume = page.getByTestId('resume-button');
  await expect(resume).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId('status')).toContainText(/interrupted after epoch [1-3] of 4/);

  await page.getByRole('navigation').getByRole('link', { name: 'Runs' }).click();
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('(interrupted)');

  await page.getByRole('navigation').getByRole('link', { name: /MLP/ }).click();
  await page.getByTestId('resume-button').click();
  await expect(page.getByTestId('status')).toContainText(/Continuing the run from epoch [2-4] of 4|Epoch/);
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('resume-button')).toHaveCount(0);
  await expect(page.getByTestId('progress-text')).toContainText('4 epochs');

  await page.getByRole('navigation').getByRole('link', { name: 'Runs' }).click();
  await expect(row).toHaveCount(1);
  await expect(row).not.toContainText('(interrupted)');
  await expect(row).toContainText(/\d/);

  // A later reload finds nothing left to continue.
  await page.reload();
  await openReady(page);
  await expect(page.getByTestId('resume-button')).toHaveCount(0);
});
