/**
 * Trains a network in the real page, with the page's defaults, on the full data, and prints what the
 * "trained in minutes" targets are judged by: time from the click on Train to the test report, test
 * accuracy, examples seen until the target was first met on dev, examples/s, workers, per-epoch
 * times and main-thread long tasks. Each seed runs on a fresh browser profile.
 *
 * Needs a build (`npm run bench:page -- …` builds first) and the full data beside the checkout
 * (`../shared`, or SCRATCHNET_DATA naming a folder laid out the same way, as for the tests).
 * Usage: `npm run bench:page -- [--model mlp|cnn|cnn2head|rnn] [--seeds 1,2,3] [--epochs N]
 * [--workers N] [--recipe NAME] [--field TESTID=VALUE]… [--dist DIR] [--trace FILE] [--json FILE] [--weights DIR] [--webgl]`.
 * `--recipe` presses that recipe's button first (e.g. the BiGRU's `quick`), before the other overrides;
 * each `--field` types a value into the form field of that test id (e.g. `--field hidden-input=96`),
 * so a candidate default is measured on the page before it becomes one.
 * `--webgl` launches Chromium with SwiftShader (WebGL2 without a GPU); by default the page composites
 * on the CPU, as Chromium does on a machine without a GPU: software GL compositing took one of this
 * machine's two cores from training for as long as the page updated.
 * `--dist` serves another build than dist/ (e.g. `npx vite build --outDir .cache/dist-x`, then
 * `npx tsx bench/page-train.ts --dist .cache/dist-x`), so runs beside other builds do not collide.
 * `--trace` records a Chrome trace of the first seed's training with every thread's CPU samples
 * (summarize it with `npx tsx bench/trace-summary.ts FILE`).
 * `--weights` keeps each seed's trained model as the page's Download button writes it
 * (`DIR/<model>-seed<S>.safetensors`), for `npm run cli -- eval` or any other reader of the file.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { launchChromium } from './browser';
import { MODEL_BENCH, type BenchModel, type ModelBench } from './page-train-models';
import { summarize, type SeedResult } from './page-train-report';
import { startStaticServer } from './server';
import { SHARED_DIR } from '../src/train/testing/shared-data';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(SHARED_DIR, 'data');

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const model = (argValue('model') ?? 'mlp') as BenchModel;
if (!(model in MODEL_BENCH)) throw new Error(`--model must be one of ${Object.keys(MODEL_BENCH).join(', ')}, got "${model}"`);
const seeds = (argValue('seeds') ?? argValue('seed') ?? '1').split(',').map((s) => Number(s.trim()));
if (seeds.some((s) => !Number.isInteger(s))) throw new Error('--seeds takes whole numbers, e.g. 1,2,3');
const epochs = argValue('epochs');
const workers = argValue('workers');
const recipe = argValue('recipe');
const fields = process.argv.flatMap((arg, i) => (arg === '--field' ? [fieldOverride(process.argv[i + 1])] : []));
const jsonOut = argValue('json');
const traceOut = argValue('trace');
const weightsDir = argValue('weights');
/** SwiftShader in the browser (WebGL2 available, compositing through software GL); off by default. */
const webgl = process.argv.includes('--webgl');
const distDir = path.resolve(root, argValue('dist') ?? 'dist');

function fieldOverride(arg: string | undefined): { testId: string; value: string } {
  const match = /^([\w-]+)=(.+)$/.exec(arg ?? '');
  if (!match) throw new Error(`--field takes TESTID=VALUE (e.g. hidden-input=96), got "${arg ?? ''}"`);
  return { testId: match[1], value: match[2] };
}

/** Task durations with thread CPU time, and the V8 sampling profiler on every thread (workers included). */
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];

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

async function setField(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value);
  await page.getByTestId(testId).blur();
}

/** Only what the bench asks to change; everything else stays the page's default. */
async function applyOverrides(page: Page, seed: number): Promise<void> {
  if (recipe) await page.getByTestId(`recipe-${recipe}-button`).click();
  await setField(page, 'seed-input', String(seed));
  if (epochs) await setField(page, 'epochs-input', epochs);
  if (workers) await page.getByTestId('workers-select').selectOption(workers);
  for (const f of fields) await setField(page, f.testId, f.value);
}

/** Clicks Train and waits for the test report; the seconds between the two. */
async function train(page: Page): Promise<number> {
  await watchLongTasks(page);
  const started = Date.now();
  await page.getByTestId('train-button').click();
  await page.getByTestId('test-accuracy').waitFor({ state: 'visible', timeout: 3_600_000 });
  return (Date.now() - started) / 1000;
}

/** The run the page just kept, through the Runs page's JSON export (what a user would download). */
async function lastRunRecord(page: Page): Promise<Record<string, unknown>> {
  await page.goto(page.url().replace(/#.*$/, '#/runs'));
  const download = page.waitForEvent('download');
  await page.getByTestId('runs-export-json').click();
  const file = await (await download).path();
  const { readFile } = await import('node:fs/promises');
  const { runs } = JSON.parse(await readFile(file, 'utf8')) as { runs: Record<string, unknown>[] };
  if (!runs.length) throw new Error('the Runs page kept no run');
  return runs[runs.length - 1];
}

/** The trained model through the page's own Download button. */
async function saveWeights(page: Page, file: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.dirname(file), { recursive: true });
  const download = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  await (await download).saveAs(file);
}

async function benchSeed(browser: Browser, bench: ModelBench, url: string, seed: number): Promise<SeedResult> {
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const page = await context.newPage();
    const loadStarted = Date.now();
    await bench.loadData(page, url, dataDir);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    await applyOverrides(page, seed);
    const workerCount = Number(await page.getByTestId('workers-select').inputValue());
    if (traceOut && seed === seeds[0]) await browser.startTracing(page, { path: traceOut, categories: TRACE_CATEGORIES });
    const seconds = await train(page);
    if (traceOut && seed === seeds[0]) await browser.stopTracing();
    const testText = await page.getByTestId('test-accuracy').innerText();
    const digitText = bench.digits ? await page.getByTestId('digit-accuracy').innerText() : undefined;
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    if (weightsDir) await saveWeights(page, path.join(weightsDir, `${model}-seed${seed}.safetensors`));
    const run = await lastRunRecord(page);
    return { seed, seconds, loadSeconds, testText, digitText, longTasks, workers: workerCount, run };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const bench = MODEL_BENCH[model];
  const { server, url } = await startStaticServer([
    { prefix: '/', dir: distDir },
    { prefix: '/mnist/', dir: path.join(dataDir, 'mnist') },
    { prefix: '/qd/', dir: path.join(dataDir, 'quickdraw') },
  ]);
  const browser = await launchChromium({ webgl });
  const results: SeedResult[] = [];
  try {
    for (const seed of seeds) {
      const r = await benchSeed(browser, bench, url, seed);
      results.push(r);
      console.log(summarize(bench, [r]).perSeed[0]);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const summary = summarize(bench, results, [recipe ? `recipe ${recipe}` : 'page defaults', ...fields.map((f) => `${f.testId} ${f.value}`)].join(', '));
  console.log(summary.text);
  if (jsonOut) await writeFile(jsonOut, JSON.stringify({ model, results: summary.rows }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
