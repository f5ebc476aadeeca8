/** Test data for the session tests: the first bundled MNIST digits stored in (fake) IndexedDB. */
import { beginDataset } from '../src/data/store';
import type { DatasetManifest, ImageSet } from '../src/data/types';
import { readBundledMnistSplit } from '../src/train/testing/shared-data';

export const DATASET_ID = 'mnist-small';
export const TRAIN_COUNT = 3000;
export const TEST_COUNT = 500;
const SHARD = 1000;

/** Stores the first MNIST digits as a small dataset in (fake) IndexedDB, the way the loaders do. */
export async function storeSmallMnist(): Promise<ImageSet> {
  const sets = { train: readBundledMnistSplit('train', TRAIN_COUNT), test: readBundledMnistSplit('test', TEST_COUNT) };
  const manifest: DatasetManifest = {
    id: DATASET_ID, name: 'Small MNIST', kind: 'image', inputShape: [28, 28],
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], shardSize: SHARD,
    splits: { train: { count: TRAIN_COUNT, shards: 3 }, test: { count: TEST_COUNT, shards: 1 } },
    source: 'test', complete: false,
  };
  const writer = await beginDataset(manifest);
  for (const split of ['train', 'test'] as const) {
    const set = sets[split];
    for (let i = 0; i * SHARD < set.count; i++) {
      const n = Math.min(SHARD, set.count - i * SHARD);
      await writer.putShard(split, i, {
        pixels: set.pixels.slice(i * SHARD * 784, (i * SHARD + n) * 784),
        labels: set.labels.slice(i * SHARD, i * SHARD + n),
      });
    }
  }
  await writer.commit();
  return sets.test;
}

