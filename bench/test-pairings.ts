/**
 * Scores exported cnn / cnn2head files on other pairings of the same 10,000 MNIST test digits: the
 * page's test pairs are one seeded pairing (A4), and an independent evaluation may pair the digits
 * differently, so the spread over pairings says how much of a test figure is the pairing's luck.
 *   node --experimental-wasm-relaxed-simd --import tsx bench/test-pairings.ts FILE... [--pair-seeds 11,12,13,14,15]
 * Needs ../shared/data/mnist (or SCRATCHNET_DATA naming a folder laid out like ../shared).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCliBackend, loadModelFile } from '../src/cli/commands/shared';
import { readMnistDir } from '../src/data/node-mnist';
import { FULL_PAIR_COUNTS, makePairs } from '../src/data/pairs';
import { evaluate } from '../src/train/evaluate';
import { MNIST_DIR } from '../src/train/testing/shared-data';

const { values: args, positionals: files } = parseArgs({
  options: { 'pair-seeds': { type: 'string', default: '11,12,13,14,15' } },
  allowPositionals: true,
});
const pairSeeds = args['pair-seeds'].split(',').map(Number);
if (!files.length || pairSeeds.some((s) => !Number.isInteger(s))) {
  throw new Error('usage: bench/test-pairings.ts FILE... [--pair-seeds 11,12,13] (whole-number seeds)');
}

const { test } = await readMnistDir(MNIST_DIR);
const pairings = pairSeeds.map((seed) => makePairs(test, FULL_PAIR_COUNTS.test, seed));
const backend = createCliBackend();
const means: number[] = [];
for (const file of files) {
  const { model } = await loadModelFile(backend, file);
  const accuracies = pairings.map((set) => evaluate(model, set, 'test').accuracy * 100);
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  means.push(mean);
  console.log(`${path.basename(file)}: ${accuracies.map((a) => a.toFixed(2)).join(' ')} (pair seeds ${pairSeeds.join(', ')}), mean ${mean.toFixed(2)}%`);
}
if (means.length > 1) console.log(`mean over the files: ${(means.reduce((a, b) => a + b, 0) / means.length).toFixed(2)}%`);
