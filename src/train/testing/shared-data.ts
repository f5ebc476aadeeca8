/** Node-only helpers for tests and the measure script: the shared data folder and a tiny MNIST reader. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ImageSet } from '../../data/types';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const MNIST_DIR = path.join(SHARED_DIR, 'data', 'mnist');
export const PYTORCH_FIXTURES = path.join(SHARED_DIR, 'fixtures', 'pytorch');

const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function readIdx(file: string, magic: number): { dims: number[]; body: Uint8Array } {
  const bytes = gunzipSync(readFileSync(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== magic) throw new Error(`${file}: not an IDX file with magic ${magic.toString(16)}`);
  const ndim = magic & 0xff;
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, body: bytes.subarray(4 + 4 * ndim) };
}

/** One MNIST split (first `limit` examples), straight from the IDX .gz files. */
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
