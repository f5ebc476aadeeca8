import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { HAS_FULL_DATA } from '../src/train/testing/shared-data';

// The full data (../shared or SCRATCHNET_DATA) is found in one place for unit and e2e tests alike.
export { MNIST_DIR, QUICKDRAW_DIR } from '../src/train/testing/shared-data';

export const DATA_PORT = Number(process.env.E2E_DATA_PORT ?? 4318);
/** URL of a folder of the full data on the local data server (e2e/serve-shared-data.mjs). */
export const dataBase = (sub: string) => `http://127.0.0.1:${DATA_PORT}/${sub}/`;

/** Tag of e2e tests that need the full data; scripts/test-summary.mjs counts them (keep in sync). */
export const FULL_DATA_TAG = '@full-data';
// The summary lists the tagged tests with this set to count the ones a bare clone does not run.
const registerFullData = HAS_FULL_DATA || process.env.SCRATCHNET_LIST_FULL_DATA === '1';

type TestBody = (fixtures: { page: Page }, testInfo: TestInfo) => Promise<void>;

/**
 * `test` for a test that loads the full data (dataBase(...), MNIST_DIR, QUICKDRAW_DIR): registered,
 * tagged FULL_DATA_TAG, only when the data is there, so a bare clone's e2e run passes without it.
 */
export function testWithFullData(title: string, body: TestBody): void {
  if (registerFullData) test(title, { tag: FULL_DATA_TAG }, body);
}

/** Opens a route on a fresh profile and waits until the bundled data is in IndexedDB. */
export async function openReady(page: Page, route = '#/mlp'): Promise<void> {
  await page.goto('/' + route);
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 60_000 });
}

export async function setField(page: Page, testId: string, value: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.fill(value);
  await input.blur();
}

/** Number of drawn points of the first line in a recharts chart. */
export async function chartPointCount(chart: Locator): Promise<number> {
  return chart.evaluate((el) => {
    const path = el.querySelector('path.recharts-line-curve, path.recharts-curve');
    const d = path?.getAttribute('d') ?? '';
    return (d.match(/[ML]/g) ?? []).length + (d.match(/C/g) ?? []).length;
  });
}

/** Draws polylines (coordinates in 0..1 of the canvas) with real mouse events. */
export async function drawStrokes(page: Page, strokes: [number, number][][]): Promise<void> {
  const canvas = page.getByTestId('draw-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  for (const stroke of strokes) {
    const [x0, y0] = stroke[0];
    await page.mouse.move(box.x + x0 * box.width, box.y + y0 * box.height);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) {
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 8 });
    }
    await page.mouse.up();
  }
}

export async function trainUntilDone(page: Page): Promise<void> {
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 150_000 });
}

/** The gradient helper workers the page starts from now on (their URLs, as they start). */
export function watchGradWorkers(page: Page): string[] {
  const urls: string[] = [];
  page.on('worker', (w) => {
    if (w.url().includes('grad.worker')) urls.push(w.url());
  });
  return urls;
}

/** One MLP epoch on 2 workers to the test report: exactly one helper worker, and a model that learned. */
export async function trainMlpOnTwoWorkers(page: Page, gradWorkers: string[]): Promise<void> {
  await page.getByTestId('workers-select').selectOption('2');
  await setField(page, 'epochs-input', '1');
  await trainUntilDone(page);
  expect(gradWorkers).toHaveLength(1);
  const accuracy = parseFloat((await page.getByTestId('test-accuracy').innerText()).replace('%', ''));
  expect(accuracy).toBeGreaterThan(90);
  // The dev evaluation is shared out over the workers too: its figure must be as sound as the test's.
  const summary = await page.getByTestId('chart-accuracy').getByRole('img').getAttribute('aria-label');
  const dev = parseFloat(/dev (\d+(?:\.\d+)?)%/.exec(summary ?? '')?.[1] ?? 'NaN');
  expect(dev).toBeGreaterThan(85);
}
