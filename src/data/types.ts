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

/**
 * Sequence datasets (Quick, Draw! strokes). A drawing is stored as its raw stroke-3 points (docs/weights.md, stroke encoding):
 * integer (dx, dy) from the previous point (the first from (0, 0)) and p = 1 on the last point of each
 * stroke. Truncation to max_len and division by delta_scale happen at batch time, so one stored copy
 * serves every model configuration.
 */
export type SequenceSplitName = 'train' | 'dev' | 'test';

/** Drawings held in memory: drawing i owns points offsets[i] .. offsets[i+1]-1. */
export interface SequenceSet {
  classes: string[];
  count: number;
  /** count + 1 entries, offsets[0] = 0. */
  offsets: Uint32Array;
  /** 2 per point: dx, dy (raw integer deltas, |d| ≤ 255). */
  deltas: Int16Array;
  /** 1 per point: 1 = pen lifted after this point (end of a stroke). */
  pens: Uint8Array;
  labels: Uint8Array;
}

/** One stored block of drawings (all of one class, in file order). */
export type SequenceShard = Omit<SequenceSet, 'classes'>;

/** What the load of one class did; `done` once its file was read to the end or to the per-class limit. */
export interface SequenceClassInfo {
  name: string;
  /** Drawings stored. */
  count: number;
  /** Shards stored (the last one may be partial once done). */
  shards: number;
  /** Lines that were not JSON objects (garbage, truncated). */
  malformed: number;
  /** Lines with a drawing that was refused (empty stroke, coordinates out of range, another class's word, …). */
  invalid: number;
  /** Of `invalid`, lines whose `word` named another class (absent in manifests stored before it was counted). */
  wrongWord?: number;
  /** The first problem met, e.g. 'line 12: stroke 2 is empty', for the status line. */
  firstProblem: string | null;
  /** Points of the longest stored drawing. */
  maxLen: number;
  done: boolean;
}

export interface SequenceManifest {
  id: string;
  name: string;
  kind: 'sequence';
  classes: string[];
  /** Drawings per shard. */
  shardSize: number;
  /** Stop after this many drawings per class; null = read whole files. */
  perClassLimit: number | null;
  /** One entry per class, in label order. */
  perClass: SequenceClassInfo[];
  /** Points of the longest stored drawing over all classes (what an uncapped model would need). */
  maxLen: number;
  /** Deterministic split: drawing k of class c goes by a hash of (c, k, seed) to train/dev/test. */
  split: { seed: number; fractions: Record<SequenceSplitName, number>; counts: Record<SequenceSplitName, number> };
  source: string;
  complete: boolean;
}
