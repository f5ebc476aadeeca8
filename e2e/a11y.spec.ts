import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { dataBase, drawStrokes, setField, trainUntilDone } from './helpers';
import { expandAll, openSettled } from './settled';

// The WCAG 2.1 A and AA rules (issue 16: "Accessible").
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One line per rule and element, so a failure says what to fix and where. */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact ?? '?'}): ${v.help} — ${n.target.join(' ')}\n    ${n.failureSummary?.replace(/\n/g, '\n    ') ?? ''}`),
  );
}

/**
 * Canvases and charts that a screen reader could not describe: axe accepts a canvas or an SVG
 * with no name, so this asks for what the issue does: each says what it shows (role img + a name,
 * on itself or on the chart's container), or is hidden from assistive technology.
 */
async function unnamedGraphics(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (el: Element | null) => !!el && el.getAttribute('role') === 'img' && !!el.getAttribute('aria-label')?.trim();
    const graphics = [...document.querySelectorAll('canvas'), ...document.querySelectorAll('.recharts-wrapper')];
    return graphics
      .filter((el) => !el.closest('[aria-hidden=true]'))
      .filter((el) => !(el.tagName === 'CANVAS' ? named(el) : named(el.closest('[role=img]'))))
      .map((el) => (el as HTMLElement).dataset.testid ?? el.closest('[data-testid]')?.getAttribute('data-testid') ?? el.outerHTML.slice(0, 80));
  });
}

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const found = await axeViolations(page);
  expect(found, `axe on ${state}:\n${found.join('\n')}`).toEqual([]);
  expect(await unnamedGraphics(page), `canvases and charts without a name on ${state}`).toEqual([]);
}


for (const route of ['#/mlp', '#/cnn', '#/rnn', '#/runs']) {
  test(`axe finds no WCAG 2.1 A/AA violations on ${route}, collapsed and expanded`, async ({ page }) => {
    await openSettled(page, route);
    await expectNoViolations(page, route);
    await expandAll(page);
    await expectNoViolations(page, `${route} with every panel expanded`);
  });
}

test('axe finds no violations on #/mlp with errors shown: a bad field and a file that is not weights', async ({ page }) => {
  await openSettled(page, '#/mlp');
  await setField(page, 'hidden-input', '256,abc');
  await expect(page.getByTestId('param-count')).toHaveClass(/error-text/);
  await page.getByTestId('import-input').setInputFiles({ name: 'notes.safetensors', mimeType: 'text/plain', buffer: Buffer.from('hello, not weights') });
  await expect(page.locator('.status')).toHaveClass(/status-error/);
  await expectNoViolations(page, '#/mlp with errors');
});

test('axe finds no violations on #/mlp after a short run (charts, test report, drawing) nor on #/runs with three runs overlaid', async ({ page }) => {
  await openSettled(page, '#/mlp');
  await setField(page, 'epochs-input', '2');
  // Paused mid-run: Pause/Stop enabled, progress and the busy status showing.
  await page.getByTestId('train-button').click();
  await page.getByTestId('pause-button').click();
  await expect(page.getByTestId('status')).toContainText('Paused');
  await expectNoViolations(page, '#/mlp paused mid-run');
  await page.getByTestId('pause-button').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await expect(page.locator('.mistakes li').first()).toBeVisible();
  await drawStrokes(page, [[[0.5, 0.15], [0.5, 0.85]]]);
  await expect(page.getByTestId('prediction')).not.toBeEmpty();
  await expandAll(page);
  await expectNoViolations(page, '#/mlp after training');

  // Two more runs (a sweep), then the Runs view with two selected: the table, the overlaid charts, the actions.
  await page.getByTestId('sweep-param-1').selectOption('lr');
  await setField(page, 'sweep-values-1', '0.01, 0.001');
  await setField(page, 'sweep-limit', '500');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-message')).toContainText('Sweep done: 2 runs', { timeout: 120_000 });
  await page.getByRole('navigation').getByRole('link', { name: 'Runs' }).click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(3);
  await page.getByRole('checkbox', { name: 'Select all runs' }).check();
  await expect(page.getByTestId('runs-chart-loss').locator('path.recharts-line-curve')).toHaveCount(3);
  await expandAll(page);
  await expectNoViolations(page, '#/runs with two runs selected');
});

test('axe finds no violations on #/cnn with pairs built and after a tiny run', async ({ page }) => {
  await openSettled(page, '#/cnn');
  // Today the pairs are built on request; a page that builds them by itself has no button to press.
  const build = page.getByTestId('build-pairs-button');
  if (await build.isVisible() && await build.isEnabled() && !(await page.getByTestId('train-button').isEnabled())) await build.click();
  await expect(page.getByTestId('pair-samples').locator('li').first()).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
  await expectNoViolations(page, '#/cnn with pairs built');
  await setField(page, 'train-limit-input', '300');
  await setField(page, 'epochs-input', '1');
  await trainUntilDone(page);
  await expandAll(page);
  await expectNoViolations(page, '#/cnn after training');
});

test('axe finds no violations on #/rnn with drawings loaded, after a tiny run and a drawing', async ({ page }) => {
  await openSettled(page, '#/rnn');
  // A page with a bundled sample can train at once; otherwise load a few drawings per class.
  if (!(await page.getByTestId('train-button').isEnabled())) {
    await setField(page, 'quickdraw-base-input', dataBase('quickdraw'));
    await setField(page, 'quickdraw-per-class-input', '20');
    await page.getByTestId('load-quickdraw-button').click();
  }
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('doodle-previews').locator('canvas').first()).toBeVisible();
  await expectNoViolations(page, '#/rnn with drawings loaded');
  await setField(page, 'hidden-input', '16');
  await setField(page, 'layers-input', '1');
  await setField(page, 'epochs-input', '1');
  await trainUntilDone(page);
  // A fish: a body loop and a tail; the step-by-step view appears under the drawing.
  await drawStrokes(page, [
    [[0.15, 0.5], [0.35, 0.3], [0.6, 0.32], [0.72, 0.5], [0.6, 0.68], [0.35, 0.7], [0.15, 0.5]],
    [[0.72, 0.5], [0.9, 0.3], [0.9, 0.7], [0.72, 0.5]],
  ]);
  await expect(page.getByTestId('rnn-steps')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('show-sequence').check();
  await expandAll(page);
  await expectNoViolations(page, '#/rnn after training and a drawing');
});
