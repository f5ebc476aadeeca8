/**
 * What the page bench does per network: how the full data gets into the page through its own
 * controls, and the target a run is judged by (on test, and first met on dev).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { MAX_PER_CLASS } from '../src/app/rnn-hyperparams';

export type BenchModel = 'mlp' | 'cnn' | 'cnn2head' | 'rnn';

export interface EpochRecord {
  epoch: number;
  devAccuracy: number;
  devDigitAccuracy?: { tens: number; ones: number };
  elapsedMs: number;
}

export interface ModelBench {
  label: string;
  /** The target, e.g. "≥ 98.0% test in ≤ 15 s". */
  target: { accuracy: number; seconds: number; text: string };
  /** Paired digits: the test report also shows each digit's accuracy. */
  digits: boolean;
  loadData(page: Page, url: string, dataDir: string): Promise<void>;
  /** Whether an epoch's dev figures meet the target. */
  metOnDev(e: EpochRecord): boolean;
}

async function waitTrainable(page: Page): Promise<void> {
  await page.getByTestId('train-button').waitFor({ state: 'visible', timeout: 120_000 });
  await page.waitForFunction(() => !(document.querySelector('[data-testid=train-button]') as HTMLButtonElement).disabled, null, { timeout: 600_000 });
}

async function loadFullMnist(page: Page, url: string): Promise<void> {
  const mnistBase = new URL('mnist/', url).href;
  await page.goto(`${new URL('/', url).href}?mnistBase=${encodeURIComponent(mnistBase)}#/mlp`);
  await waitTrainable(page);
  await page.getByTestId('load-mnist-button').click();
  await page.getByTestId('status').filter({ hasText: '60,000 train' }).waitFor({ timeout: 600_000 });
}

const FULL_PAIRS = /60,000 train \/ 10,000 test pairs ready/;

/** The 60k/10k pairs of the full MNIST: built by the page itself when it does, else by its button. */
async function loadFullPairs(page: Page, url: string, variant: 'cnn' | 'cnn2head'): Promise<void> {
  await loadFullMnist(page, url);
  // The whole hash goes: #/mlp's link carries the MLP form's settings (lr, epochs…), which the CNN page would read as its own.
  await page.goto(page.url().replace(/#.*$/, '#/cnn'));
  await page.getByTestId('train-button').waitFor({ state: 'visible' });
  const source = page.getByTestId('pair-source-select');
  if (await source.isVisible()) {
    if ((await source.inputValue()) !== 'mnist-full') await source.selectOption('mnist-full');
    const build = page.getByTestId('build-pairs-button');
    const ready = async () => FULL_PAIRS.test(await page.getByTestId('status').innerText());
    if (!(await ready()) && (await build.isEnabled())) await build.click();
  }
  await page.getByTestId('status').filter({ hasText: FULL_PAIRS }).waitFor({ timeout: 900_000 });
  await page.getByTestId('variant-select').selectOption(variant);
  await waitTrainable(page);
}

/**
 * Waits for a status line matching `expected`; an error in the status line ends the wait at once
 * with that error (a refused field or a failed download must not pass for a long load).
 */
async function waitForStatus(page: Page, expected: RegExp, timeout: number): Promise<void> {
  const ok = page.getByTestId('status').filter({ hasText: expected });
  const failed = page.locator('.status-error [data-testid=status]');
  const first = await Promise.race([
    ok.waitFor({ timeout }).then(() => 'ok' as const),
    failed.waitFor({ timeout }).then(() => 'error' as const),
  ]);
  if (first === 'error') throw new Error(`the page said: ${await failed.innerText()}`);
}

/** Drawings in the folder's `<class>.ndjson` files: what the page must say it holds once all are loaded. */
async function folderDrawings(dir: string): Promise<number> {
  let count = 0;
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.ndjson'))) {
    const text = await readFile(path.join(dir, name), 'utf8');
    count += text.split('\n').filter((line) => line.trim().length > 0).length;
  }
  return count;
}

/**
 * Every drawing of the Quick Draw folder (the 80/10/10 split is the page's). The page's first visit
 * also stores its bundled sample (10,000 drawings): wait for the folder's own count, not any count.
 */
async function loadQuickDrawFolder(page: Page, url: string, dataDir: string): Promise<void> {
  const folder = path.join(dataDir, 'quickdraw');
  const total = (await folderDrawings(folder)).toLocaleString('en-US');
  await page.goto(`${new URL('/', url).href}#/rnn`);
  await page.getByTestId('load-quickdraw-button').waitFor({ state: 'visible', timeout: 120_000 });
  await waitTrainable(page);
  await page.getByTestId('quickdraw-base-input').fill(new URL('qd/', url).href);
  // The page's largest per-class count (the folder has fewer): all of every file.
  await page.getByTestId('quickdraw-per-class-input').fill(String(MAX_PER_CLASS));
  await page.getByTestId('load-quickdraw-button').click();
  await waitForStatus(page, new RegExp(`Quick Draw: ${total} drawings of 10 classes`), 900_000);
  await waitTrainable(page);
}

export const MODEL_BENCH: Record<BenchModel, ModelBench> = {
  mlp: {
    label: 'MLP on MNIST',
    target: { accuracy: 0.98, seconds: 15, text: '≥ 98.0% test in ≤ 15 s' },
    digits: false,
    loadData: loadFullMnist,
    metOnDev: (e) => e.devAccuracy >= 0.98,
  },
  cnn: {
    label: 'CNN on paired MNIST',
    target: { accuracy: 0.985, seconds: 300, text: '≥ 98.5% test in ≤ 5 min' },
    digits: true,
    loadData: (page, url) => loadFullPairs(page, url, 'cnn'),
    metOnDev: (e) => e.devAccuracy >= 0.985,
  },
  cnn2head: {
    label: 'two-headed CNN on paired MNIST',
    target: { accuracy: 0.99, seconds: 300, text: '≥ 99.0% test on each digit in ≤ 5 min' },
    digits: true,
    loadData: (page, url) => loadFullPairs(page, url, 'cnn2head'),
    metOnDev: (e) => !!e.devDigitAccuracy && Math.min(e.devDigitAccuracy.tens, e.devDigitAccuracy.ones) >= 0.99,
  },
  rnn: {
    label: 'BiGRU on Quick, Draw!',
    target: { accuracy: 0.9, seconds: 720, text: '≥ 90% test in ≤ 12 min' },
    digits: false,
    loadData: loadQuickDrawFolder,
    metOnDev: (e) => e.devAccuracy >= 0.9,
  },
};
