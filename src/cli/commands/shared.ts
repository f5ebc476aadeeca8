import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readMnistDir } from '../../data/node-mnist';
import type { ImageSet } from '../../data/types';
import { CpuBackend } from '../../kernels/cpu';
import type { Backend } from '../../kernels/backend';
import type { WeightFile } from '../../io/weights';
import type { Model } from '../../nn/types';
import { importWeights } from '../../train/weights';

export const MNIST_MODELS = ['mlp'] as const;
export const PLANNED_MODELS = ['cnn', 'cnn2head', 'rnn'] as const;

export function createCliBackend(): Backend {
  return new CpuBackend({ precision: 'f32' });
}

export async function requireDir(dir: string | undefined, flag = '--data'): Promise<string> {
  if (!dir) throw new Error(`${flag} <dir> is required (a folder like ../shared/data/mnist)`);
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new Error(`${flag}: ${dir} is not a folder`);
  return dir;
}

export function readMnist(dir: string): Promise<{ train: ImageSet; test: ImageSet }> {
  return readMnistDir(dir);
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
  if ((PLANNED_MODELS as readonly string[]).includes(kind)) return new Error(`model '${kind}' is not implemented yet (planned)`);
  return new Error(`unknown model '${kind}': expected one of mlp, cnn, cnn2head, rnn`);
}
