/**
 * Regenerates docs/screenshot-mlp.png: a short run on the bundled digits, a drawn "7", the test
 * report. Needs a build (`npm run build`). Usage: `npx tsx scripts/screenshot.ts`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../bench/browser';
import { startStaticServer } from '../bench/server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { server, url } = await startStaticServer([{ prefix: '/', dir: path.join(root, 'dist') }]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1320, height: 900 } });
    await page.goto(`${new URL('/', url).href}#/mlp`);
    await page.waitForFunction(() => !(document.querySelector('[data-testid=train-button]') as HTMLButtonElement | null)?.disabled);
    await page.getByTestId('epochs-input').fill('4');
    await page.getByTestId('train-button').click();
    await page.getByTestId('test-accuracy').waitFor({ timeout: 300_000 });
    const canvas = page.getByTestId('draw-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const at = (x: number, y: number) => page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 10 });
    await at(0.28, 0.22);
    await page.mouse.down();
    await at(0.72, 0.22);
    await at(0.45, 0.82);
    await page.mouse.up();
    await page.waitForTimeout(500);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(root, 'docs/screenshot-mlp.png'), fullPage: true });
    console.log('wrote docs/screenshot-mlp.png');
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
