import type { Backend, Tensor } from '../kernels/backend';
import { Rng, type RngState } from '../kernels/rng';
import { fillStroke3, mirrorMoves } from '../data/strokes';
import { StrokeSwapper } from '../data/stroke-order';
import type { SequenceSet } from '../data/types';
import { PerBatch } from '../nn/layers/layer';
import { PerShape, STEP_FEATURES, SequencePacker } from '../nn/layers/gru-input';
import { epochSeed, type Batch } from './batches';

/**
 * Per-drawing random distortion of the pen moves (training only): (dx, dy) scaled by a factor in
 * [1 − scale, 1 + scale]; with `stretch`, x and y get their own extra factor in [1 − stretch, 1 + stretch];
 * with `rotate`, the drawing turns by up to ±rotate degrees. Deltas transform linearly, so this is
 * exactly the same distortion applied to the absolute points. With `mirror`, half the drawings are
 * flipped left–right (x → 255 − x): an animal facing the other way is the same animal.
 */
export interface StrokeAugmentOptions {
  scale: number;
  stretch?: number;
  rotate?: number;
  mirror?: boolean;
  /**
   * Each point inside a stroke (pen down before and after it) is dropped with this probability, its
   * move carried into the next point's: the kept points stay exactly where they were drawn, as if
   * the stroke had been simplified a little harder. Stroke ends and pen-up moves always stay.
   */
  dropPoints?: number;
  /**
   * Each pair of neighbouring strokes trades places with this probability (one pass, so a stroke can
   * move further): the same parts, drawn in another order. Every point stays where it was drawn.
   */
  swapStrokes?: number;
}

export interface SequenceBatcherOptions {
  batchSize: number;
  /** Points kept per drawing (A1 max_len). */
  maxLen: number;
  /** s in (dx/s, dy/s, p). */
  deltaScale: number;
  /** T of a batch is rounded up to a multiple of this (≤ maxLen), so few (B, T) shapes exist. */
  stepBucket?: number;
  augment?: StrokeAugmentOptions | null;
}

/** Batches sorted by length within chunks of this many batches: similar lengths, still random. */
const CHUNK_BATCHES = 32;
const DEFAULT_STEP_BUCKET = 8;

interface Staging {
  /** Batch-first [B, T, 3] as fillStroke3 writes it. */
  rows: Float32Array;
  lengths: Float64Array;
}

interface LabelBuffers {
  labels: Tensor;
  host: Uint8Array;
  hostF: Float32Array;
}

/**
 * Evaluation batch of a model whose training batch is unknown (an imported file): the default
 * training batch. The GRU keeps buffers per (batch, steps) shape, ~15 KB per row at H = 128 over 13
 * time buckets, so a run's own passes use its training batch instead: another size would hold a
 * second set (at 256, 2.7 GB more).
 */
export const SEQUENCE_EVAL_BATCH = 128;

/** The steps a batch whose longest drawing has `longest` points is padded to. */
function paddedLength(longest: number, maxLen: number, bucket = DEFAULT_STEP_BUCKET): number {
  return Math.min(maxLen, Math.ceil(longest / bucket) * bucket);
}

/**
 * Every padded length a run's batches can have (8, 16, …, up to and including maxLen): the
 * sequence layers keep buffers per length, so memory grows with their sum, not with maxLen.
 */
export function paddedLengths(maxLen: number, bucket = DEFAULT_STEP_BUCKET): number[] {
  const lengths: number[] = [];
  for (let steps = bucket; steps < maxLen; steps += bucket) lengths.push(steps);
  lengths.push(maxLen);
  return lengths;
}

/**
 * Walks a subset of a SequenceSet in batches of stroke-3 steps (docs/weights.md, `rnn`), packed time-major
 * for RnnModel: `input` is PackedSequences.x and `lengths` its lengths. Each epoch shuffles the
 * drawings, sorts each chunk of CHUNK_BATCHES batches by length (a batch pads to its longest,
 * so mixed lengths would waste most GRU steps) and shuffles the batch order. Host staging and
 * backend tensors are pooled per (B, T), T rounded up to a bucket, so steady state allocates nothing.
 */
export class SequenceBatcher {
  readonly order: Int32Array;
  readonly batchSize: number;
  private readonly lengthOf: Int32Array;
  private readonly packer: SequencePacker;
  private readonly staging = new PerShape<Staging>(
    (b, t) => ({ rows: new Float32Array(b * t * STEP_FEATURES), lengths: new Float64Array(b) }),
    () => {},
  );
  private readonly labelTensors: PerBatch<LabelBuffers>;
  /** Start of each batch in `order` for the current epoch. */
  private batchStarts: Int32Array;
  private augmentRng = new Rng(0);
  private readonly swapper: StrokeSwapper | null;

  constructor(
    private readonly backend: Backend,
    readonly set: SequenceSet,
    indices: Int32Array | null,
    readonly options: SequenceBatcherOptions,
  ) {
    const { batchSize, maxLen, deltaScale } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(maxLen) || maxLen < 1) throw new Error(`max_len must be a positive integer, got ${maxLen}`);
    if (!(deltaScale > 0)) throw new Error(`delta_scale must be positive, got ${deltaScale}`);
    if (options.augment) checkStrokeAugment(options.augment);
    this.swapper = options.augment?.swapStrokes ? new StrokeSwapper(maxLen) : null;
    this.batchSize = batchSize;
    this.order = indices ? Int32Array.from(indices) : Int32Array.from({ length: set.count }, (_, i) => i);
    this.lengthOf = Int32Array.from({ length: set.count }, (_, i) => Math.min(maxLen, set.offsets[i + 1] - set.offsets[i]));
    for (const ex of this.order) {
      if (this.lengthOf[ex] < 1) throw new Error(`drawing ${ex} has no points: empty drawings cannot be used`);
    }
    this.packer = new SequencePacker(backend);
    this.labelTensors = new PerBatch<LabelBuffers>(
      (b) => ({ labels: backend.tensor([b]), host: new Uint8Array(b), hostF: new Float32Array(b) }),
      (s) => backend.dispose(s.labels),
    );
    this.batchStarts = Int32Array.from({ length: this.batchesPerEpoch }, (_, i) => i * batchSize);
  }

  get count(): number {
    return this.order.length;
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.order.length / this.batchSize);
  }

  /** Seeded order for `epoch`: shuffled drawings, length-sorted chunks, shuffled batches. */
  shuffleForEpoch(seed: number, epoch: number): void {
    this.order.sort();
    const rng = new Rng(epochSeed(seed, epoch));
    rng.shuffle(this.order);
    this.sortChunksByLength();
    this.batchStarts.sort();
    rng.shuffle(this.batchStarts);
    this.augmentRng = new Rng(rng.fork());
  }

  augmentState(): RngState {
    return this.augmentRng.saveState();
  }

  restoreAugmentState(state: RngState): void {
    this.augmentRng.loadState(state);
  }

  /** Sorts by length once, for evaluation: fewest padded steps, order kept deterministic. */
  sortByLength(): void {
    this.order.sort();
    sortRangeByLength(this.order, 0, this.order.length, this.lengthOf);
    this.batchStarts.sort();
  }

  /** Index into `set` of row r of batch i (after the last `batch(i)` call it is that batch's row). */
  exampleAt(i: number, r: number): number {
    return this.order[this.batchStarts[i] + r];
  }

  /** Fills and returns batch `i`: input = time-major x [T·B, 3], lengths [B], labels [B]. */
  batch(i: number): Batch & { lengths: Tensor } {
    const start = this.batchStarts[i];
    if (start === undefined) throw new Error(`batch ${i} is past the end (${this.batchesPerEpoch} batches)`);
    const size = Math.min(this.batchSize, this.order.length - start);
    const steps = this.stepsOf(start, size);
    const s = this.staging.get(size, steps);
    const l = this.labelTensors.get(size);
    const { maxLen, deltaScale } = this.options;
    for (let r = 0; r < size; r++) {
      const ex = this.order[start + r];
      let len = fillStroke3(this.set, ex, Math.min(maxLen, steps), deltaScale, s.rows, r * steps * STEP_FEATURES);
      if (this.options.augment) len = this.distortDeltas(s.rows, r * steps * STEP_FEATURES, len);
      s.lengths[r] = len;
      l.host[r] = l.hostF[r] = this.set.labels[ex];
    }
    const packed = this.packer.packBatchFirst(s.rows, s.lengths, size, steps);
    this.backend.write(l.labels, l.hostF);
    return { input: packed.input, lengths: packed.lengths, labels: l.labels, hostLabels: l.host, size };
  }

  dispose(): void {
    this.packer.dispose();
    this.labelTensors.dispose();
    this.staging.dispose();
  }

  private stepsOf(start: number, size: number): number {
    let longest = 1;
    for (let r = 0; r < size; r++) longest = Math.max(longest, this.lengthOf[this.order[start + r]]);
    return paddedLength(longest, this.options.maxLen, this.options.stepBucket);
  }

  /** Distorts one drawing's rows in place; returns its length (shorter when points were dropped). */
  private distortDeltas(rows: Float32Array, at: number, len: number): number {
    const { scale, stretch = 0, rotate = 0, mirror = false, dropPoints = 0, swapStrokes = 0 } = this.options.augment!;
    const rng = this.augmentRng;
    if (this.swapper) this.swapper.apply(rows, at, len, swapStrokes, rng);
    if (dropPoints > 0) len = dropStrokePoints(rows, at, len, dropPoints, rng);
    const factor = 1 + scale * (2 * rng.next() - 1);
    // Extra draws only when asked for, so scale-only runs keep their random stream.
    const sx = stretch > 0 ? factor * (1 + stretch * (2 * rng.next() - 1)) : factor;
    const sy = stretch > 0 ? factor * (1 + stretch * (2 * rng.next() - 1)) : factor;
    const angle = rotate > 0 ? ((rotate * Math.PI) / 180) * (2 * rng.next() - 1) : 0;
    if (mirror && rng.next() < 0.5) mirrorMoves(rows, at, len, STEP_FEATURES, this.options.deltaScale);
    const cos = Math.cos(angle), sin = Math.sin(angle);
    for (let t = 0; t < len; t++) {
      const i = at + t * STEP_FEATURES;
      const dx = rows[i], dy = rows[i + 1];
      rows[i] = sx * (cos * dx - sin * dy);
      rows[i + 1] = sy * (sin * dx + cos * dy);
    }
    return len;
  }

  private sortChunksByLength(): void {
    const chunk = this.batchSize * CHUNK_BATCHES;
    for (let from = 0; from < this.order.length; from += chunk) {
      sortRangeByLength(this.order, from, Math.min(this.order.length, from + chunk), this.lengthOf);
    }
  }
}

/** Each stroke augmentation's range, the library's precondition (the settings schema bounds the forms tighter). */
const STROKE_AUGMENT_RANGES: readonly [keyof StrokeAugmentOptions, string, (v: number) => boolean][] = [
  ['scale', 'stroke augmentation scale must be in [0, 1)', (v) => v >= 0 && v < 1],
  ['stretch', 'stroke augmentation stretch must be in [0, 1)', (v) => v >= 0 && v < 1],
  ['rotate', 'stroke augmentation rotation must be 0..180 degrees', (v) => v >= 0 && v <= 180],
  ['dropPoints', 'stroke point dropping must be in [0, 1)', (v) => v >= 0 && v < 1],
  ['swapStrokes', 'stroke swapping must be in [0, 1]', (v) => v >= 0 && v <= 1],
];

function checkStrokeAugment(augment: StrokeAugmentOptions): void {
  for (const [key, message, inRange] of STROKE_AUGMENT_RANGES) {
    const value = Number(augment[key] ?? 0);
    if (!inRange(value)) throw new Error(`${message}, got ${augment[key]}`);
  }
}

/**
 * StrokeAugmentOptions.dropPoints on the stroke-3 rows [at, at + 3·len): compacts the kept points
 * in place, zeroes the freed rows and returns the new length. A drawing cut at max_len mid-stroke
 * keeps its last point (no next point to carry its move).
 */
export function dropStrokePoints(rows: Float32Array, at: number, len: number, probability: number, rng: Rng): number {
  if (len <= 1) return len;
  let kept = 1, carryX = 0, carryY = 0, penBefore = rows[at + 2];
  for (let t = 1; t < len; t++) {
    const i = at + t * STEP_FEATURES;
    const dx = rows[i] + carryX, dy = rows[i + 1] + carryY, pen = rows[i + 2];
    carryX = carryY = 0;
    if (t < len - 1 && pen === 0 && penBefore === 0 && rng.next() < probability) {
      carryX = dx;
      carryY = dy;
    } else {
      const o = at + kept++ * STEP_FEATURES;
      rows[o] = dx;
      rows[o + 1] = dy;
      rows[o + 2] = pen;
    }
    penBefore = pen;
  }
  rows.fill(0, at + kept * STEP_FEATURES, at + len * STEP_FEATURES);
  return kept;
}

function sortRangeByLength(order: Int32Array, from: number, to: number, lengthOf: Int32Array): void {
  order.subarray(from, to).sort((a, b) => lengthOf[a] - lengthOf[b] || a - b);
}
