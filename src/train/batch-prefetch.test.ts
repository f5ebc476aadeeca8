import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../data/types';
import { CpuBackend } from '../kernels/cpu';
import { BatchPrefetcher } from './batch-prefetch';
import { Batcher } from './batches';

const PAIRS: ImageSet = {
  inputShape: [4, 8],
  classes: Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')),
  count: 10,
  pixels: Uint8Array.from({ length: 10 * 32 }, (_, i) => (i * 37) % 256),
  labels: Uint8Array.from({ length: 10 }, (_, i) => (i * 23) % 100),
};

const AUGMENT = { maxShift: 1, jitter: 0.1, remixHalves: true };

function augmentedBatcher(backend: CpuBackend): Batcher {
  const b = new Batcher(backend, PAIRS, null, 3, null, AUGMENT);
  b.shuffleForEpoch(7, 1);
  return b;
}

/** Each batch of the epoch as host arrays (pixels, labels). */
function snapshot(backend: CpuBackend, batch: ReturnType<Batcher['batch']>): [number[], number[]] {
  return [Array.from(backend.readSync(batch.input)), Array.from(batch.hostLabels)];
}

describe('BatchPrefetcher', () => {
  it('gives the same batches, with the same augmentation draws, as building each one when it is needed', () => {
    const backend = new CpuBackend();
    const plain = augmentedBatcher(backend);
    const expected = Array.from({ length: plain.batchesPerEpoch }, (_, i) => snapshot(backend, plain.batch(i)));
    const ahead = new BatchPrefetcher(augmentedBatcher(backend));
    const got: [number[], number[]][] = [];
    for (let i = 0; i < expected.length; i++) {
      got.push(snapshot(backend, ahead.take(i)));
      ahead.prefetch(i + 1);
    }
    expect(got).toEqual(expected);
    // Past the epoch's last batch there is nothing to build.
    expect(() => ahead.prefetch(expected.length)).not.toThrow();
  });

  it('counts a prefetched batch that was not taken as not drawn (what a checkpoint keeps)', () => {
    const backend = new CpuBackend();
    const source = augmentedBatcher(backend);
    const ahead = new BatchPrefetcher(source);
    ahead.take(0);
    const before = source.augmentState();
    ahead.prefetch(1);
    expect(source.augmentState()).not.toEqual(before);
    expect(ahead.augmentState()).toEqual(before);

    // A resumed run restores that state and builds batch 1 itself: the same batch.
    const prefetched = snapshot(backend, ahead.take(1));
    const resumed = augmentedBatcher(backend);
    resumed.restoreAugmentState(before);
    expect(snapshot(backend, resumed.batch(1))).toEqual(prefetched);
  });

  it('rebuilds from the stream position before the prefetch when another batch is asked for, or after drop()', () => {
    const backend = new CpuBackend();
    const plain = augmentedBatcher(backend);
    plain.batch(0);
    const expectedSecond = snapshot(backend, plain.batch(2));

    const source = augmentedBatcher(backend);
    const ahead = new BatchPrefetcher(source);
    ahead.take(0);
    ahead.prefetch(1);
    expect(snapshot(backend, ahead.take(2))).toEqual(expectedSecond);

    const again = augmentedBatcher(backend);
    const dropped = new BatchPrefetcher(again);
    dropped.take(0);
    const before = again.augmentState();
    dropped.prefetch(1);
    dropped.drop();
    expect(again.augmentState()).toEqual(before);
    expect(dropped.augmentState()).toEqual(before);
  });

  it('reports no augmentation state for a source without augmentation', () => {
    const backend = new CpuBackend();
    const plain = new Batcher(backend, PAIRS, null, 3, null);
    plain.shuffleForEpoch(1, 1);
    const ahead = new BatchPrefetcher({ ...plainSource(plain) });
    ahead.prefetch(0);
    expect(ahead.augmentState()).toBeNull();
    expect(ahead.take(0).size).toBe(3);
  });
});

/** The Batcher without its augmentation-state methods, as a source that never augments looks. */
function plainSource(b: Batcher) {
  return {
    count: b.count,
    batchSize: b.batchSize,
    batchesPerEpoch: b.batchesPerEpoch,
    shuffleForEpoch: (seed: number, epoch: number) => b.shuffleForEpoch(seed, epoch),
    batch: (i: number) => b.batch(i),
    dispose: () => b.dispose(),
  };
}
