import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMnistDir } from '../../data/node-mnist';
import { readQuickDrawDir, readQuickDrawSampleFile, skippedLinesSummary, type QuickDrawData } from '../../data/node-quickdraw';
import { QUICKDRAW_SAMPLE_PATH } from '../../data/quickdraw-sample';
import { FULL_PAIR_COUNTS, makePairedMnist } from '../../data/pairs';
import type { ImageSet } from '../../data/types';
import { chooseCpuBackend } from '../../kernels/choose';
import type { Backend } from '../../kernels/backend';
import type { WeightFile } from '../../io/weights';
import { MODEL_KINDS, MODEL_KIND_NAMES, isModelKind, type ModelNetwork } from '../../nn/models';
import type { Model } from '../../nn/types';
import { memoryProblem, type AnyTrainConfig } from '../../train/memory-estimate';
import { importWeights } from '../../train/weights';

/** The same kernels the page trains on: WebAssembly SIMD, or typed arrays where SIMD is missing. */
/** The config, or a refusal before any data is read when the run could not fit (the page's rule). */
export function fitsInMemory<C extends AnyTrainConfig>(config: C): C {
  const problem = memoryProblem(config);
  if (problem) throw new Error(problem);
  return config;
}

export function createCliBackend(): Backend {
  return chooseCpuBackend().backend;
}

/** `--data sample`: the Quick Draw sample the page bundles (resolved from this file, so any working folder works). */
export const BUNDLED_SAMPLE_FILE = fileURLToPath(new URL(`../../../public/${QUICKDRAW_SAMPLE_PATH}`, import.meta.url));

/** `--data sample` or a `.snqd` file: the bundled Quick Draw sample instead of a folder. */
function isQuickDrawSample(data: string): boolean {
  return data === 'sample' || data.endsWith('.snqd');
}

export async function requireDir(dir: string | undefined, flag = '--data'): Promise<string> {
  if (!dir) throw new Error(`${flag} <dir> is required (a folder like ../shared/data/mnist)`);
  if (isQuickDrawSample(dir)) return dir;
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new Error(`${flag}: ${dir} is not a folder`);
  return dir;
}

function refuseSampleForMnist(dir: string): void {
  if (isQuickDrawSample(dir)) throw new Error(`--data ${dir} is the Quick Draw sample, for rnn only; give an MNIST folder`);
}

export function readMnist(dir: string): Promise<{ train: ImageSet; test: ImageSet }> {
  refuseSampleForMnist(dir);
  return readMnistDir(dir);
}

/**
 * Paired MNIST from an MNIST folder by the A4 rule (default pair seed, so the CLI and the page build
 * the same pairs): 60,000 train / 10,000 test pairs, or with `limit` N train and min(N, 10,000)
 * test pairs, for quick runs.
 */
/** Quick Draw from a folder of `<class>.ndjson` files or the sample, with at most `limit` drawings per class. */
export async function readQuickDraw(dir: string, limit?: number): Promise<QuickDrawData> {
  if (isQuickDrawSample(dir)) return readQuickDrawSampleFile(dir === 'sample' ? BUNDLED_SAMPLE_FILE : dir, limit);
  const data = await readQuickDrawDir(dir, limit ? { perClass: limit } : {});
  // stderr: stdout may be --json. Skipped lines are reported, never dropped silently.
  const skipped = skippedLinesSummary(data.perClass);
  if (skipped) console.error(skipped);
  return data;
}

export async function readPairedMnist(dir: string, limit?: number): Promise<{ train: ImageSet; test: ImageSet }> {
  refuseSampleForMnist(dir);
  const digits = await readMnistDir(dir);
  const trainCount = limit ?? FULL_PAIR_COUNTS.train;
  const testCount = Math.min(limit ?? Infinity, FULL_PAIR_COUNTS.test);
  return makePairedMnist(digits.train, digits.test, { trainCount, testCount });
}

/** The image test set of each network that reads images (the BiGRU's drawings: rnn.ts). */
const IMAGE_TEST_SETS: Partial<Record<ModelNetwork, (dir: string) => Promise<ImageSet>>> = {
  mlp: async (dir) => (await readMnist(dir)).test,
  cnn: async (dir) => (await readPairedMnist(dir)).test,
};

/** The test set a model of `kind` is evaluated on: MNIST digits, or paired MNIST for the CNNs. */
export async function readTestSet(kind: string, dir: string): Promise<ImageSet> {
  const read = isModelKind(kind) ? IMAGE_TEST_SETS[MODEL_KINDS[kind].network] : undefined;
  if (!read) throw unsupportedModel(kind);
  return read(dir);
}

export async function loadModelFile(backend: Backend, file: string): Promise<{ file: WeightFile; model: Model }> {
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${file}: ${e.code ?? e.message}`);
  });
  try {
    return await importWeights(backend, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`${path.basename(file)}: ${(e as Error).message}`);
  }
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

export function unsupportedModel(kind: string): Error {
  return new Error(`unknown model '${kind}': expected one of ${MODEL_KIND_NAMES.join(', ')}`);
}
