/**
 * Accuracy parity of the WebGL2 and CPU (WebAssembly SIMD) kernels: the same small runs of the
 * page's recipes, seed for seed, on both backends in headless Chromium (WebGL2 = SwiftShader on a
 * machine without a GPU), inside a Web Worker as in the page. Prints dev/test accuracy per run and
 * the mean per backend. Needs ../shared/data (MNIST, Quick Draw).
 *   npx tsx bench/backend-parity.ts [--seeds 1,2] [--only mlp,cnn,cnn2head,rnn] [--mlp-train 10000] [--mlp-epochs 3]
 *     [--pairs 3000] [--test-pairs 1000] [--cnn-epochs 2] [--per-class 100] [--rnn-hidden 32] [--rnn-epochs 2] [--rnn-batch 128]
 *     [--rnn-eval-batch 256]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { makePairedMnist } from '../src/data/pairs';
import { readQuickDrawDir } from '../src/data/node-quickdraw';
import type { ImageSet, SequenceSet } from '../src/data/types';
import { readMnistSplit, REPO_ROOT, SHARED_DIR } from '../src/train/testing/shared-data';
import { launchChromium } from './browser';
import type { ParityJob, ParityResult } from './parity-worker';
import { startStaticServer } from './server';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2' },
    only: { type: 'string', default: 'mlp,cnn,cnn2head,rnn' },
    'mlp-train': { type: 'string', default: '10000' },
    'mlp-epochs': { type: 'string', default: '3' },
    pairs: { type: 'string', default: '3000' },
    'test-pairs': { type: 'string', default: '1000' },
    'cnn-epochs': { type: 'string', default: '2' },
    'per-class': { type: 'string', default: '100' },
    'rnn-hidden': { type: 'string', default: '32' },
    'rnn-epochs': { type: 'string', default: '2' },
    // The recipe's 128 (× up to 100 steps = 12,800 rows per input projection: tiled WebGL2 matmuls
    // on SwiftShader, whose textures stop at 8,192 rows).
    'rnn-batch': { type: 'string', default: '128' },
    // Dev/test batches of the trainer's evaluation (256 × 100 = 25,600 rows).
    'rnn-eval-batch': { type: 'string', default: '256' },
  },
});

const PAGE = `<!doctype html><meta charset="utf-8"><title>backend parity</title><script type="module">
const worker = new Worker('./worker.js', { type: 'module' });
const waiting = new Map();
let next = 0;
worker.onmessage = (e) => { const w = waiting.get(e.data.id); waiting.delete(e.data.id); e.data.error ? w.reject(new Error(e.data.error)) : w.resolve(e.data.result); };
worker.onerror = (e) => { for (const w of waiting.values()) w.reject(new Error('worker failed: ' + e.message)); };
window.runJob = (job) => new Promise((resolve, reject) => { const id = next++; waiting.set(id, { resolve, reject }); worker.postMessage({ id, job }); });
</script>`;

const write = (dir: string, name: string, data: Uint8Array | Uint32Array | Int16Array) =>
  writeFile(path.join(dir, 'data', name), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));

async function writeImages(dir: string, name: string, set: ImageSet): Promise<void> {
  await writeFile(path.join(dir, 'data', `${name}.json`), JSON.stringify({ kind: 'images', inputShape: set.inputShape, classes: set.classes, count: set.count }));
  await write(dir, `${name}.pixels.bin`, set.pixels);
  await write(dir, `${name}.labels.bin`, set.labels);
}

async function writeSequences(dir: string, name: string, set: SequenceSet): Promise<void> {
  await writeFile(path.join(dir, 'data', `${name}.json`), JSON.stringify({ kind: 'sequences', classes: set.classes, count: set.count }));
  for (const [part, data] of [['offsets', set.offsets], ['deltas', set.deltas], ['pens', set.pens], ['labels', set.labels]] as const) {
    await write(dir, `${name}.${part}.bin`, data);
  }
}

/** Writes the data sets the jobs need; returns the jobs' network → data names. */
async function prepareData(dir: string, only: Set<string>): Promise<Record<string, ParityJob['data']>> {
  const data: Record<string, ParityJob['data']> = {};
  const mnistTest = readMnistSplit('test');
  if (only.has('mlp')) {
    await writeImages(dir, 'mnist-train', readMnistSplit('train', Number(args['mlp-train'])));
    await writeImages(dir, 'mnist-test', mnistTest);
    data.mlp = { train: 'mnist-train', test: 'mnist-test' };
  }
  if (only.has('cnn') || only.has('cnn2head')) {
    const pairs = makePairedMnist(readMnistSplit('train'), mnistTest, { trainCount: Number(args.pairs), testCount: Number(args['test-pairs']) });
    await writeImages(dir, 'pairs-train', pairs.train);
    await writeImages(dir, 'pairs-test', pairs.test);
    data.cnn = data.cnn2head = { train: 'pairs-train', test: 'pairs-test' };
  }
  if (only.has('rnn')) {
    const qd = await readQuickDrawDir(path.join(SHARED_DIR, 'data', 'quickdraw'), { perClass: Number(args['per-class']) });
    for (const split of ['train', 'dev', 'test'] as const) await writeSequences(dir, `quickdraw-${split}`, qd[split]);
    data.rnn = { train: 'quickdraw-train', dev: 'quickdraw-dev', test: 'quickdraw-test' };
  }
  return data;
}

function jobsFor(network: ParityJob['network'], data: ParityJob['data'], seeds: number[]): ParityJob[] {
  const epochs = Number(network === 'mlp' ? args['mlp-epochs'] : network === 'rnn' ? args['rnn-epochs'] : args['cnn-epochs']);
  const jobs: ParityJob[] = [];
  for (const seed of seeds) {
    for (const backend of ['wasm', 'webgl2'] as const) {
      jobs.push({ network, backend, seed, epochs, data, ...(network === 'rnn' ? { hidden: Number(args['rnn-hidden']), batch: Number(args['rnn-batch']), evalBatch: Number(args['rnn-eval-batch']) } : {}) });
    }
  }
  return jobs;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function describe(network: string, r: ParityResult, job: ParityJob): string {
  const hidden = job.hidden ? `, hidden ${job.hidden}, batch ${job.batch}, eval batch ${job.evalBatch}` : '';
  return `${network} (${r.trainCount} train, ${r.testCount} test, ${job.epochs} epochs${hidden})`;
}

async function main(): Promise<void> {
  const only = new Set(args.only.split(','));
  const seeds = args.seeds.split(',').map(Number);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'scratchnet-parity-'));
  await mkdir(path.join(dir, 'data'));
  const bundle = await build({ entryPoints: [path.join(REPO_ROOT, 'bench/parity-worker.ts')], bundle: true, format: 'esm', target: 'es2022', write: false });
  await writeFile(path.join(dir, 'worker.js'), bundle.outputFiles[0].text);
  await writeFile(path.join(dir, 'index.html'), PAGE);
  const data = await prepareData(dir, only);
  const { server, url } = await startStaticServer([{ prefix: '/', dir }]);
  const browser = await launchChromium();
  const rows: { job: ParityJob; result: ParityResult }[] = [];
  try {
    const page = await browser.newPage();
    await page.goto(url);
    for (const network of ['mlp', 'cnn', 'cnn2head', 'rnn'] as const) {
      if (!only.has(network)) continue;
      for (const job of jobsFor(network, data[network], seeds)) {
        const result = await page.evaluate((j) => (window as unknown as { runJob(j: ParityJob): Promise<ParityResult> }).runJob(j), job);
        rows.push({ job, result });
        console.log(`${describe(network, result, job)} seed ${job.seed} on ${job.backend}: dev ${pct(result.dev)}, test ${pct(result.test)} (${result.seconds.toFixed(0)} s)`);
      }
    }
  } finally {
    await browser.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
  printTable(rows, seeds);
}

function printTable(rows: { job: ParityJob; result: ParityResult }[], seeds: number[]): void {
  const head = ['network', 'backend', ...seeds.map((s) => `seed ${s} dev / test`), 'mean test', 'seconds/run'];
  console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const network of ['mlp', 'cnn', 'cnn2head', 'rnn']) {
    for (const backend of ['wasm', 'webgl2']) {
      const mine = rows.filter((r) => r.job.network === network && r.job.backend === backend);
      if (!mine.length) continue;
      const cells = seeds.map((s) => {
        const r = mine.find((m) => m.job.seed === s)?.result;
        return r ? `${pct(r.dev)} / ${pct(r.test)}` : '—';
      });
      const name = backend === 'wasm' ? 'CPU (WebAssembly SIMD)' : 'WebGL2 (SwiftShader)';
      console.log(`| ${network} | ${name} | ${cells.join(' | ')} | ${pct(mean(mine.map((m) => m.result.test)))} | ${mean(mine.map((m) => m.result.seconds)).toFixed(0)} |`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
