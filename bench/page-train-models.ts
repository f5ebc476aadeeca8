/**
 * What the page bench does per network: how the full data gets into the page through its own
 * controls, and the target a run is judged by (on test, and first met on dev).
 */
import type { Page } from '@playwright/test';

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
  loadData(page: Page, url: string): Promise<void>;
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

/** Every drawing of the Quick Draw folder (the 80/10/10 split is the page's). */
async function loadQuickDrawFolder(page: Page, url: string): Promise<void> {
  await page.goto(`${new URL('/', url).href}#/rnn`);
  await page.getByTestId('load-quickdraw-button').waitFor({ state: 'visible', timeout: 120_000 });
  await page.getByTestId('quickdraw-base-input').fill(new URL('qd/', url).href);
  await page.getByTestId('quickdraw-per-class-input').fill('1000000');
  await page.getByTestId('load-quickdraw-button').click();
  await page.getByTestId('status').filter({ hasText: /Quick Draw: \d{2,3},\d{3} drawings of 10 classes/ }).waitFor({ timeout: 900_000 });
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
