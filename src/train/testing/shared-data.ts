/**
 * Node-only helpers for tests, benchmarks and the measure scripts: where the full data is, the data
 * kept in the repo, and a tiny MNIST reader.
 *
 * The full data is a folder laid out like `../shared` (the folder beside the checkout):
 *   data/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz, data/quickdraw/*.ndjson, fixtures/pytorch/*.
 * `SCRATCHNET_DATA=/path/to/that/folder` names it explicitly; otherwise `../shared` is used when it
 * is there. A bare clone has neither: tests that need it are then registered but not run, and
 * scripts/test-summary.mjs says how many (see full-data-tests.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { decodeQuickDrawSample, QUICKDRAW_SAMPLE_PATH } from '../../data/quickdraw-sample';
import { decodeShard, shardCount } from '../../data/shard-format';
import { drawingAt, type Drawing } from '../../data/strokes';
import type { ImageSet } from '../../data/types';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const FULL_DATA_PARTS = ['data/mnist', 'data/quickdraw', 'fixtures/pytorch'];

/** The full-data folder, or null when absent. A SCRATCHNET_DATA that lacks a part is an error, not "absent". */
function resolveFullData(): string | null {
  const named = process.env.SCRATCHNET_DATA;
  if (named) {
    const root = path.resolve(named);
    const missing = FULL_DATA_PARTS.filter((part) => !existsSync(path.join(root, part)));
    if (missing.length > 0) throw new Error(`SCRATCHNET_DATA=${named}: ${missing.join(', ')} not found in ${root}`);
    return root;
  }
  const beside = path.resolve(REPO_ROOT, '../shared');
  return FULL_DATA_PARTS.every((part) => existsSync(path.join(beside, part))) ? beside : null;
}

const fullDataRoot = resolveFullData();
/** True when the full data (MNIST, Quick Draw, all PyTorch fixtures) can be read. */
export const HAS_FULL_DATA = fullDataRoot !== null;
/** The full-data folder; when absent, where it was looked for (reads there fail naming that path). */
export const SHARED_DIR = fullDataRoot ?? path.resolve(REPO_ROOT, '../shared');
export const MNIST_DIR = path.join(SHARED_DIR, 'data', 'mnist');
export const QUICKDRAW_DIR = path.join(SHARED_DIR, 'data', 'quickdraw');
export const PYTORCH_FIXTURES = path.join(SHARED_DIR, 'fixtures', 'pytorch');

/** The eleven reference models of fixtures/pytorch (its README): NAME.safetensors, NAME.npz, NAME.io.npz each. */
export const PYTORCH_FIXTURE_MODELS = [
  'mlp_relu_256_128_64', 'mlp_leaky_32', 'mlp_tanh_64_32', 'mlp_sigmoid_48',
  'cnn_pad1_16_32_256', 'cnn_pad0_8_16_64', 'cnn2head_pad1_8_16_64',
  'rnn_h8_l1', 'rnn_h16_l2', 'rnn_h64_l2', 'rnn_h8_l3',
];

/** A byte-identical subset of fixtures/pytorch kept in the repo so the cross-checks run on a bare clone. */
export const REPO_PYTORCH_FIXTURES = path.join(REPO_ROOT, 'fixtures', 'pytorch');
const repoFixtureNames = new Set(readdirSync(REPO_PYTORCH_FIXTURES));

/** True when every named fixture file is in the repo's subset (such tests never need ../shared). */
export function inRepoFixtures(...names: string[]): boolean {
  return names.every((name) => repoFixtureNames.has(name));
}

/** Path of a PyTorch fixture file: the repo's copy when it has one, else the full set's. */
export function pytorchFixturePath(name: string): string {
  return path.join(repoFixtureNames.has(name) ? REPO_PYTORCH_FIXTURES : PYTORCH_FIXTURES, name);
}

const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function readIdx(file: string, magic: number): { dims: number[]; body: Uint8Array } {
  const bytes = gunzipSync(readFileSync(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== magic) throw new Error(`${file}: not an IDX file with magic ${magic.toString(16)}`);
  const ndim = magic & 0xff;
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, body: bytes.subarray(4 + 4 * ndim) };
}

/** One MNIST split (first `limit` examples), straight from the IDX .gz files of the full data. */
export function readMnistSplit(split: 'train' | 'test', limit = Infinity): ImageSet {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readIdx(path.join(MNIST_DIR, `${prefix}-images-idx3-ubyte.gz`), 0x803);
  const labels = readIdx(path.join(MNIST_DIR, `${prefix}-labels-idx1-ubyte.gz`), 0x801);
  const count = Math.min(limit, images.dims[0], labels.dims[0]);
  return {
    inputShape: [28, 28],
    classes: [...CLASSES],
    count,
    pixels: images.body.slice(0, count * 784),
    labels: labels.body.slice(0, count),
  };
}

/** The bundled digits in the repo (9,000 train / 1,000 test real MNIST digits, built at install). */
export const BUNDLED_MNIST_DIR = path.join(REPO_ROOT, 'public', 'data', 'mnist-bundled');

/** One split of the bundled digits (first `limit` examples): real digits for core tests on a bare clone. */
export function readBundledMnistSplit(split: 'train' | 'test', limit = Infinity): ImageSet {
  const manifestFile = path.join(BUNDLED_MNIST_DIR, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run \`node scripts/build-bundled-shards.mjs\``);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { shardSize: number; files: Record<string, string[]>; splits: Record<string, { count: number }> };
  const total = manifest.splits[split].count;
  const shards = manifest.files[split].map((name, i) => {
    const count = shardCount(total, manifest.shardSize, i);
    return decodeShard(readFileSync(path.join(BUNDLED_MNIST_DIR, name)), name, { count, bytesPerExample: 784 });
  });
  const count = Math.min(limit, total);
  const pixels = new Uint8Array(total * 784);
  const labels = new Uint8Array(total);
  shards.forEach((s, i) => {
    pixels.set(s.pixels, i * manifest.shardSize * 784);
    labels.set(s.labels, i * manifest.shardSize);
  });
  return { inputShape: [28, 28], classes: [...CLASSES], count, pixels: pixels.slice(0, count * 784), labels: labels.slice(0, count) };
}

/** The first `count` drawings of one class of the bundled Quick Draw sample (in the repo): the first lines of its file. */
export function readQuickDrawSampleDrawings(className: string, count: number): Drawing[] {
  const file = path.join(REPO_ROOT, 'public', QUICKDRAW_SAMPLE_PATH);
  const sample = decodeQuickDrawSample(new Uint8Array(readFileSync(file)), file);
  const c = sample.classes.indexOf(className);
  if (c < 0) throw new Error(`${file} has no class "${className}" (it has ${sample.classes.join(', ')})`);
  const block = { ...sample.perClass[c], classes: sample.classes };
  return Array.from({ length: Math.min(count, block.count) }, (_, i) => drawingAt(block, i));
}
