/**
 * Trains the default MLP in the real page on the full MNIST (60k/10k) and prints test accuracy and
 * wall time: the page-side figure of the MLP issue. Needs a build (`npm run build`) and
 * ../shared/data/mnist. Usage: `npx tsx bench/page-train.ts [--epochs N]`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser';
import { startStaticServer } from './server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const epochsArg = process.argv.indexOf('--epochs');
const epochs = epochsArg > 0 ? process.argv[epochsArg + 1] : undefined;

async function main(): Promise<void> {
  const { server, url } = await startStaticServer([
    { prefix: '/', dir: path.join(root, 'dist') },
    { prefix: '/mnist/', dir: path.resolve(root, '../shared/data/mnist') },
  ]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const mnistBase = new URL('mnist/', url).href;
    await page.goto(`${new URL('/', url).href}?mnistBase=${encodeURIComponent(mnistBase)}#/mlp`);
    await page.getByTestId('train-button').waitFor({ state: 'visible' });
    await page.waitForFunction(() => !(document.querySelector('[data-testid=train-button]') as HTMLButtonElement).disabled);
    await page.getByTestId('load-mnist-button').click();
    await page.getByTestId('status').filter({ hasText: '60,000 train' }).waitFor({ timeout: 300_000 });
    if (epochs) await page.getByTestId('epochs-input').fill(epochs);
    const started = Date.now();
    await page.getByTestId('train-button').click();
    await page.getByTestId('test-accuracy').waitFor({ timeout: 3_600_000 });
    const seconds = (Date.now() - started) / 1000;
    const accuracy = await page.getByTestId('test-accuracy').innerText();
    const status = await page.getByTestId('status').innerText();
    console.log(`page: default MLP on full MNIST → test accuracy ${accuracy}, ${seconds.toFixed(1)} s from Train to the test report`);
    console.log(`status: ${status}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
