/**
 * Datasets as the rest of the app sees them: a manifest plus numbered shards, each shard a block of
 * examples stored as raw bytes. Image datasets store uint8 pixels (MNIST convention: 0 = background,
 * 255 = ink) and uint8 labels.
 */

export type SplitName = 'train' | 'test';

export interface SplitInfo {
  /** Number of examples. */
  count: number;
  /** Number of shards; shard i holds examples [i·shardSize, min((i+1)·shardSize, count)). */
  shards: number;
}

export interface DatasetManifest {
  /** Stable id: 'mnist-bundled', 'mnist-full', later 'mnist-pairs-…', 'quickdraw-…'. */
  id: string;
  /** Human name for the selector. */
  name: string;
  kind: 'image';
  /** Shape of one input, e.g. [28, 28]. */
  inputShape: number[];
  classes: string[];
  shardSize: number;
  splits: Record<SplitName, SplitInfo>;
  /** Where it came from, shown in the UI. */
  source: string;
  /** Set once every shard of every split is stored; a half-written dataset lacks it. */
  complete: boolean;
}

export interface ImageShard {
  /** count × prod(inputShape) bytes. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** Examples of one split held in memory, ready for batching. */
export interface ImageSet {
  inputShape: number[];
  classes: string[];
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

export interface LoadProgress {
  /** What is happening, for the status line. */
  phase: string;
  /** 0..1 */
  fraction: number;
}

export type ProgressFn = (p: LoadProgress) => void;
