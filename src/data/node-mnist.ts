/**
 * MNIST from a folder of the 4 standard IDX files (gzipped or not) for the CLI and tests, in Node.
 * Uses the same IDX parser as the browser loaders.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdx, sniffCompression, type IdxData } from './idx';
import { MNIST_DIMS, MNIST_FILES, checkDigitLabels, toImageSet, type MnistFileSpec } from './mnist-common';
import type { ImageSet } from './types';

function findFile(dir: string, spec: MnistFileSpec): string {
  for (const name of [`${spec.file}.gz`, spec.file]) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new Error(`MNIST folder ${dir} has no ${spec.file}.gz (or uncompressed ${spec.file})`);
}

async function readIdxFile(dir: string, spec: MnistFileSpec): Promise<IdxData> {
  const file = findFile(dir, spec);
  const name = path.basename(file);
  const raw = new Uint8Array(await readFile(file));
  let bytes = raw;
  if (sniffCompression(raw.subarray(0, 4), name) === 'gzip') {
    try {
      bytes = new Uint8Array(gunzipSync(raw));
    } catch (err) {
      throw new Error(`${name}: the gzip data is corrupt or cut short (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return parseIdx(bytes, { name, expectKind: spec.kind, expectDims: spec.kind === 'images' ? MNIST_DIMS : [] });
}

async function readSplit(dir: string, split: 'train' | 'test'): Promise<ImageSet> {
  const [images, labels] = await Promise.all([readIdxFile(dir, MNIST_FILES[split].images), readIdxFile(dir, MNIST_FILES[split].labels)]);
  checkDigitLabels(labels.data, MNIST_FILES[split].labels.file);
  return toImageSet(split, images, labels);
}

/** Reads train (60k) and test (10k) MNIST from `dir`. */
export async function readMnistDir(dir: string): Promise<{ train: ImageSet; test: ImageSet }> {
  if (!existsSync(dir)) throw new Error(`MNIST folder ${dir} does not exist`);
  const [train, test] = await Promise.all([readSplit(dir, 'train'), readSplit(dir, 'test')]);
  return { train, test };
}
