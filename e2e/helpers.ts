import { expect, type Locator, type Page } from '@playwright/test';

export const DATA_PORT = Number(process.env.E2E_DATA_PORT ?? 4318);
export const dataBase = (sub: string) => `http://127.0.0.1:${DATA_PORT}/${sub}/`;

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
