/** What the MNIST loaders (URL, dropped files, Node folder) share: file names, checks, manifest, sharding. */
import type { IdxData } from './idx';
import type { DatasetWriter } from './store';
import type { DatasetManifest, ImageSet, SplitName } from './types';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const MNIST_DIMS = [28, 28];
export const MNIST_FULL_ID = 'mnist-full';
/** Who holds the lock while 'mnist-full' is written (a download or dropped files), as a waiting tab names it. */
export const MNIST_FULL_WRITER = { id: MNIST_FULL_ID, name: 'MNIST (full)' };
/** 5000 × 785 bytes ≈ 3.9 MB per shard: small enough for one IndexedDB put, few enough to stay fast. */
export const MNIST_FULL_SHARD_SIZE = 5000;

export interface MnistFileSpec {
  split: SplitName;
  kind: 'images' | 'labels';
  /** Standard file name without '.gz'. */
  file: string;
  /** Short name used in messages. */
  label: string;
}

export const MNIST_FILES: Record<SplitName, { images: MnistFileSpec; labels: MnistFileSpec }> = {
  train: {
    images: { split: 'train', kind: 'images', file: 'train-images-idx3-ubyte', label: 'train-images' },
    labels: { split: 'train', kind: 'labels', file: 'train-labels-idx1-ubyte', label: 'train-labels' },
  },
  test: {
    images: { split: 'test', kind: 'images', file: 't10k-images-idx3-ubyte', label: 'test-images' },
    labels: { split: 'test', kind: 'labels', file: 't10k-labels-idx1-ubyte', label: 'test-labels' },
  },
};

/** Every label must be a digit; a value like 12 means the file is not MNIST labels. */
export function checkDigitLabels(labels: Uint8Array, name: string): void {
  const bad = labels.findIndex((v) => v > 9);
  if (bad >= 0) throw new Error(`${name}: label ${labels[bad]} at index ${bad} is not a digit 0..9`);
}

export function checkSameCount(split: SplitName, images: number, labels: number): void {
  if (images !== labels) {
    throw new Error(`MNIST ${split}: the images file holds ${images} images but the labels file holds ${labels} labels`);
  }
}

export function toImageSet(split: SplitName, images: IdxData, labels: IdxData): ImageSet {
  checkSameCount(split, images.header.count, labels.header.count);
  return {
    inputShape: [...MNIST_DIMS],
    classes: [...MNIST_CLASSES],
    count: images.header.count,
    pixels: images.data,
    labels: labels.data,
  };
}

export function mnistFullManifest(trainCount: number, testCount: number, source: string): DatasetManifest {
  const shardSize = MNIST_FULL_SHARD_SIZE;
  return {
    id: MNIST_FULL_ID,
    name: `MNIST (full, ${Math.round(trainCount / 1000)}k + ${Math.round(testCount / 1000)}k)`,
    kind: 'image',
    inputShape: [...MNIST_DIMS],
    classes: [...MNIST_CLASSES],
    shardSize,
    splits: {
      train: { count: trainCount, shards: Math.ceil(trainCount / shardSize) },
      test: { count: testCount, shards: Math.ceil(testCount / shardSize) },
    },
    source,
    complete: false,
  };
}

/**
 * Writes the shards of one split as their images become available. `flush(pixels, ready)` stores every
 * shard whose examples are all among the first `ready`; shards already stored by an interrupted
 * earlier load are skipped.
 */
export class ShardFlusher {
  private next = 0;

  constructor(
    private readonly writer: DatasetWriter,
    private readonly split: SplitName,
    private readonly labels: Uint8Array,
  ) {}

  async flush(pixels: Uint8Array, ready: number): Promise<void> {
    const { shardSize, splits } = this.writer.manifest;
    const { count, shards } = splits[this.split];
    // Not pixels.length / count: the parser's buffer grows as data arrives (see IdxParser.data).
    const perExample = MNIST_DIMS[0] * MNIST_DIMS[1];
    while (this.next < shards && Math.min(count, (this.next + 1) * shardSize) <= ready) {
      const start = this.next * shardSize;
      const end = Math.min(count, start + shardSize);
      if (!this.writer.hasShard(this.split, this.next)) {
        await this.writer.putShard(this.split, this.next, {
          pixels: pixels.slice(start * perExample, end * perExample),
          labels: this.labels.slice(start, end),
        });
      }
      this.next++;
    }
  }
}
