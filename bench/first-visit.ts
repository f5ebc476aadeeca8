/**
 * Seconds from opening a page on a fresh browser profile (offline but for the app's own origin) to an
 * enabled Train button, for #/mlp, #/cnn and #/rnn, against the built app; then, in the same browser,
 * the time to read the bundled Quick Draw sample into memory as shipped (SNQD) and as gzipped ndjson.
 * Needs a build (`npm run build`, or `--dist DIR`) and, for the ndjson comparison, the file
 * `npx tsx scripts/build-quickdraw-sample.mjs --compare` writes to .cache/.
 * Usage: `npx tsx bench/first-visit.ts [--dist DIR] [--repeats N]`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from '@playwright/test';
import { QUICKDRAW_ANIMALS } from '../src/data/quickdraw-common';
import { launchChromium } from './browser';
import { startStaticServer } from './server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUTES = ['#/mlp', '#/cnn', '#/rnn'];
const COMPARE_DIR = path.join(root, '.cache', 'quickdraw-sample-ndjson');

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const dist = path.resolve(root, argValue('dist') ?? 'dist');
const repeats = Number(argValue('repeats') ?? 3);
if (!existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist} has no built app: run npm run build (or pass --dist)`);
if (!(Number.isInteger(repeats) && repeats > 0)) throw new Error('--repeats takes a positive whole number');

/** Seconds to an enabled Train on a fresh profile; requests to other hosts are aborted. */
async function secondsToTrain(browser: Browser, url: string, route: string): Promise<number> {
  const context = await browser.newContext();
  const origin = new URL(url).origin;
  await context.route('**/*', (r) => (new URL(r.request().url()).origin === origin ? r.continue() : r.abort('internetdisconnected')));
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(url + route);
  await page.locator('[data-testid=train-button]:enabled').waitFor({ timeout: 300_000 });
  const seconds = (performance.now() - started) / 1000;
  await context.close();
  return seconds;
}

/** The decoders bundled for the page (the app's own modules). */
async function decoderScript(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'bench', 'first-visit-decoders.ts')],
    bundle: true, format: 'iife', globalName: 'sampleDecoders', write: false, target: 'es2022',
  });
  return result.outputFiles[0].text;
}

async function compareEncodings(browser: Browser, url: string): Promise<void> {
  if (!existsSync(COMPARE_DIR)) {
    console.log(`(no ${path.relative(root, COMPARE_DIR)}: run npx tsx scripts/build-quickdraw-sample.mjs --compare for the ndjson comparison)`);
    return;
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}compare/blank`); // a page of the same origin that runs nothing
  await page.addScriptTag({ content: await decoderScript() });
  for (let i = 0; i < repeats; i++) {
    const timing = await page.evaluate(async ({ base, classes }) => {
      const d = (window as unknown as { sampleDecoders: typeof import('./first-visit-decoders') }).sampleDecoders;
      return { snqd: await d.timeSnqd(`${base}quickdraw-sample/animals.snqd`), ndjson: await d.timeGzippedNdjson(`${base}compare/`, classes) };
    }, { base: url, classes: QUICKDRAW_ANIMALS });
    console.log(`in the page: SNQD ${timing.snqd.bytes} bytes, ${timing.snqd.drawings} drawings in ${timing.snqd.ms.toFixed(0)} ms; ` +
      `gzipped ndjson ${timing.ndjson.bytes} bytes, ${timing.ndjson.drawings} drawings in ${timing.ndjson.ms.toFixed(0)} ms`);
  }
  await context.close();
}

const { server, url } = await startStaticServer([
  { prefix: '/', dir: dist },
  { prefix: '/compare/', dir: COMPARE_DIR },
]);
const browser = await launchChromium();
try {
  for (const route of ROUTES) {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push(await secondsToTrain(browser, url, route));
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${route}: ${times.map((t) => t.toFixed(1)).join(', ')} s to an enabled Train (median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} s)`);
  }
  await compareEncodings(browser, url);
} finally {
  await browser.close();
  server.close();
}
