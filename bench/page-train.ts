/**
 * Trains a network in the real page on the full MNIST (60k/10k) and prints test accuracy and wall
 * times: the page-side figures of the MLP and CNN issues. Needs a build (`npm run build`) and
 * ../shared/data/mnist. Usage: `npx tsx bench/page-train.ts [--model mlp|cnn|cnn2head] [--epochs N]`
 * (the CNNs train on the 60,000 train pairs built from the full MNIST; per-epoch times are printed).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { launchChromium } from './browser';
import { startStaticServer } from './server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const epochs = argValue('epochs');
const model = argValue('model') ?? 'mlp';
if (!['mlp', 'cnn', 'cnn2head'].includes(model)) throw new Error(`--model must be mlp, cnn or cnn2head, got "${model}"`);

/** Points of the accuracy chart's first line = epochs finished. */
function finishedEpochs(page: Page): Promise<number> {
  return page.getByTestId('chart-accuracy').evaluate((el) => {
    const d = el.querySelector('path.recharts-line-curve, path.recharts-curve')?.getAttribute('d') ?? '';
    return (d.match(/[MLC]/g) ?? []).length;
  });
}

async function loadFullMnist(page: Page, url: string): Promise<void> {
  const mnistBase = new URL('mnist/', url).href;
  await page.goto(`${new URL('/', url).href}?mnistBase=${encodeURIComponent(mnistBase)}#/mlp`);
  await page.getByTestId('train-button').waitFor({ state: 'visible' });
  await page.waitForFunction(() => !(document.querySelector('[data-testid=train-button]') as HTMLButtonElement).disabled);
  await page.getByTestId('load-mnist-button').click();
  await page.getByTestId('status').filter({ hasText: '60,000 train' }).waitFor({ timeout: 300_000 });
}

async function buildFullPairs(page: Page): Promise<void> {
  await page.goto(page.url().replace('#/mlp', '#/cnn'));
  await page.getByTestId('pair-source-select').selectOption('mnist-full');
  await page.getByTestId('build-pairs-button').click();
  await page.getByTestId('status').filter({ hasText: /60,000 train \/ 10,000 test pairs ready/ }).waitFor({ timeout: 600_000 });
  await page.getByTestId('variant-select').selectOption(model);
}

/** Records main-thread long tasks (> 50 ms) from now until the status says training ended. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; trainingEnded: boolean };
    w.longTasks = [];
    w.trainingEnded = false;
    new PerformanceObserver((list) => {
      if (!w.trainingEnded) for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
    const status = document.querySelector('[data-testid=status]')!;
    new MutationObserver(() => {
      if (/Evaluating|finished|Stopped/.test(status.textContent ?? '')) w.trainingEnded = true;
    }).observe(status, { childList: true, subtree: true, characterData: true });
  });
}

/** Clicks Train, logs each epoch's wall time, waits for the test report. */
async function train(page: Page): Promise<number> {
  await watchLongTasks(page);
  if (epochs) {
    await page.getByTestId('epochs-input').fill(epochs);
    await page.getByTestId('epochs-input').blur();
  }
  const started = Date.now();
  await page.getByTestId('train-button').click();
  let seen = 0;
  let last = started;
  while (!(await page.getByTestId('test-accuracy').isVisible())) {
    const done = await finishedEpochs(page);
    if (done > seen) {
      const now = Date.now();
      console.log(`epoch ${done}: ${((now - last) / 1000 / (done - seen)).toFixed(1)} s`);
      seen = done;
      last = now;
    }
    await page.waitForTimeout(500);
  }
  return (Date.now() - started) / 1000;
}

async function main(): Promise<void> {
  const { server, url } = await startStaticServer([
    { prefix: '/', dir: path.join(root, 'dist') },
    { prefix: '/mnist/', dir: path.resolve(root, '../shared/data/mnist') },
  ]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await loadFullMnist(page, url);
    if (model !== 'mlp') await buildFullPairs(page);
    const seconds = await train(page);
    const accuracy = await page.getByTestId('test-accuracy').innerText();
    const status = await page.getByTestId('status').innerText();
    console.log(`page: ${model} on full MNIST → test accuracy ${accuracy}, ${seconds.toFixed(1)} s from Train to the test report`);
    console.log(`status: ${status}`);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    console.log(`main-thread long tasks (> 50 ms) while training: ${longTasks.length}` +
      (longTasks.length ? ` (longest ${Math.max(...longTasks)} ms)` : ' — target met'));
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
