/**
 * MNIST from a folder of the 4 standard IDX files (gzipped or not) for the CLI and tests, in Node.
 * Uses the same IDX parser as the browser loaders.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { readIdxStream, type IdxData } from './idx';
import { MNIST_DIMS, MNIST_FILES, checkDigitLabels, toImageSet, type MnistFileSpec } from './mnist-common';
import type { ImageSet } from './types';

function findFile(dir: string, spec: MnistFileSpec): string {
  for (const name of [`${spec.file}.gz`, spec.file]) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new Error(`MNIST folder ${dir} has no ${spec.file}.gz (or uncompressed ${spec.file})`);
}

/** Small reads: gzip expands up to ~1000×, and the parser stops a file soon after its declared data. */
const READ_CHUNK_BYTES = 16 * 1024;

/** Streams the file through the same decompress-and-parse path as the page, so memory stays bounded. */
async function readIdxFile(dir: string, spec: MnistFileSpec): Promise<IdxData> {
  const file = findFile(dir, spec);
  const name = path.basename(file);
  const stream = Readable.toWeb(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) as ReadableStream<Uint8Array>;
  return readIdxStream(stream, { name, expectKind: spec.kind, expectDims: spec.kind === 'images' ? MNIST_DIMS : [] });
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
