import type { Backend, Tensor } from '../kernels/backend';
import { Rng, type RngState } from '../kernels/rng';
import { augmentBatch, checkAugmentOptions, remixPairHalves, type AugmentOptions } from '../data/augment';
import type { ImageSet } from '../data/types';
import type { InputNorm } from '../nn/types';

/** One batch on the backend plus its labels on the host (for accuracy). Reused per batch size. */
export interface Batch {
  /** [size, values per example] floats. */
  input: Tensor;
  /** [size] class indices as floats. */
  labels: Tensor;
  /** Host labels of this batch, length = size. */
  hostLabels: Uint8Array;
  size: number;
  /** Sequence batches: [size] real steps per sequence (input is then time-major [T·size, F]). */
  lengths?: Tensor;
}

interface Staging {
  batch: Batch;
  pixels: Float32Array | Float64Array;
  labels: Float32Array;
  /** Re-pairing only: the batch's right halves and a permutation + ones digits. */
  halves?: Float32Array;
  remixWork?: Int32Array;
}

/** Mixes a seed and an epoch into one 32-bit seed so each epoch's order depends only on (seed, epoch). */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca77)) | 0;
}

/**
 * Walks a subset of an ImageSet in batches: seeded shuffle per epoch, pixels → floats
 * (pixels/255, or (pixels/255 − mean)/std with a norm) into a reused host buffer, then one write
 * into a reused backend tensor. The last batch may be smaller and gets its own buffers.
 */
export class Batcher {
  readonly order: Int32Array;
  readonly inputSize: number;
  private readonly staging = new Map<number, Staging>();
  private readonly norm: InputNorm | null;
  private readonly augment: AugmentOptions | null;
  private augmentRng = new Rng(0);
  /** This epoch's images go unshifted and unjittered (AugmentOptions.plainLastEpochs). */
  private plainEpoch = false;

  constructor(
    private readonly backend: Backend,
    readonly set: ImageSet,
    indices: Int32Array | null,
    readonly batchSize: number,
    norm: InputNorm | null | undefined,
    /** Training batches only: random shift + jitter on the [0,1] image, before standardization. */
    augment?: AugmentOptions | null,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
    this.inputSize = set.inputShape.reduce((a, b) => a * b, 1);
    if (set.pixels.length < set.count * this.inputSize || set.labels.length < set.count) {
      throw new Error(`image set is truncated: ${set.count} examples need ${set.count * this.inputSize} pixels, have ${set.pixels.length}`);
    }
    this.order = indices ? Int32Array.from(indices) : Int32Array.from({ length: set.count }, (_, i) => i);
    this.norm = norm ?? null;
    if (this.norm && (this.norm.mean.length !== this.inputSize || this.norm.std.length !== this.inputSize)) {
      throw new Error(`input normalization has ${this.norm.mean.length} values, the data has ${this.inputSize} per example`);
    }
    this.augment = augment ?? null;
    if (this.augment) {
      if (set.inputShape.length < 2) {
        throw new Error(`augmentation needs images (height × width), the data has shape [${set.inputShape.join(',')}]`);
      }
      const width = set.inputShape[set.inputShape.length - 1];
      checkAugmentOptions(this.augment, this.inputSize / width, width);
    }
    if (this.augment?.remixHalves && set.classes.length !== 100) {
      throw new Error(`re-pairing halves needs paired digits (100 classes 00..99), the data has ${set.classes.length} classes`);
    }
  }

  get count(): number {
    return this.order.length;
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.order.length / this.batchSize);
  }

  /** Puts the examples in the order for `epoch` (a fresh seeded permutation of the subset). */
  shuffleForEpoch(seed: number, epoch: number, epochs?: number): void {
    const plainLast = this.augment?.plainLastEpochs ?? 0;
    this.plainEpoch = epochs !== undefined && plainLast > 0 && epoch > epochs - plainLast;
    this.order.sort();
    const rng = new Rng(epochSeed(seed, epoch));
    rng.shuffle(this.order);
    // Its own stream, so the shuffle of a run does not depend on whether it augments.
    this.augmentRng = new Rng(rng.fork());
  }

  augmentState(): RngState {
    return this.augmentRng.saveState();
  }

  restoreAugmentState(state: RngState): void {
    this.augmentRng.loadState(state);
  }

  /** Fills and returns batch `i` of the current order. */
  batch(i: number): Batch {
    const start = i * this.batchSize;
    const size = Math.min(this.batchSize, this.order.length - start);
    if (size <= 0) throw new Error(`batch ${i} is past the end (${this.batchesPerEpoch} batches)`);
    const s = this.stagingFor(size);
    const { labels } = this.set;
    const norm = this.augment ? null : this.norm;
    for (let r = 0; r < size; r++) {
      const ex = this.order[start + r];
      this.fillExample(ex, s.pixels, r * this.inputSize, norm);
      s.batch.hostLabels[r] = labels[ex];
      s.labels[r] = labels[ex];
    }
    if (this.augment) this.augmentStaged(s, size);
    this.backend.write(s.batch.input, s.pixels);
    this.backend.write(s.batch.labels, s.labels);
    return s.batch;
  }

  dispose(): void {
    for (const s of this.staging.values()) {
      this.backend.dispose(s.batch.input);
      this.backend.dispose(s.batch.labels);
    }
    this.staging.clear();
  }

  /** Written exactly as A1 defines the input (p/255, then − mean, / std), so PyTorch sees the same floats. */
  private fillExample(ex: number, out: Float32Array | Float64Array, at: number, norm: InputNorm | null): void {
    const n = this.inputSize;
    const pixels = this.set.pixels;
    const src = ex * n;
    if (!norm) {
      for (let j = 0; j < n; j++) out[at + j] = pixels[src + j] / 255;
      return;
    }
    const { mean, std } = norm;
    for (let j = 0; j < n; j++) out[at + j] = (pixels[src + j] / 255 - mean[j]) / std[j];
  }

  /**
   * Augments staged [0,1] images, then standardizes them. Shifting must happen on the image itself:
   * in standardized space the background is −mean/std, different at every pixel, so a shifted
   * standardized map would carry the wrong background; the jitter is defined on intensities too.
   */
  private augmentStaged(s: Staging, size: number): void {
    const pixels = s.pixels as Float32Array;
    const shape = this.set.inputShape;
    const width = shape[shape.length - 1];
    const height = this.inputSize / width;
    if (this.augment!.remixHalves) this.remixStaged(s, size, height, width);
    if (!this.plainEpoch) augmentBatch(pixels, size, height, width, this.augmentRng, this.augment!);
    if (!this.norm) return;
    const { mean, std } = this.norm;
    const n = this.inputSize;
    for (let r = 0; r < size; r++) {
      const at = r * n;
      for (let j = 0; j < n; j++) pixels[at + j] = (pixels[at + j] - mean[j]) / std[j];
    }
  }

  private remixStaged(s: Staging, size: number, height: number, width: number): void {
    s.halves ??= new Float32Array((size * this.inputSize) / 2);
    s.remixWork ??= new Int32Array(2 * size);
    const host = s.batch.hostLabels;
    remixPairHalves(s.pixels as Float32Array, host, size, height, width, this.augmentRng, s.halves, s.remixWork);
    for (let r = 0; r < size; r++) s.labels[r] = host[r];
  }

  private stagingFor(size: number): Staging {
    let s = this.staging.get(size);
    if (!s) {
      s = {
        batch: {
          input: this.backend.tensor([size, this.inputSize]),
          labels: this.backend.tensor([size]),
          hostLabels: new Uint8Array(size),
          size,
        },
        // f64 staging on an f64 backend keeps gradient checks free of float32 rounding.
        pixels: this.backend.precision === 'f64' && !this.augment ? new Float64Array(size * this.inputSize) : new Float32Array(size * this.inputSize),
        labels: new Float32Array(size),
      };
      this.staging.set(size, s);
    }
    return s;
  }
}

/**
 * Seeded split of `count` examples into train and dev index lists (first `trainFraction` of a
 * permutation trains). Same seed ⇒ same split.
 */
export function splitIndices(count: number, trainFraction: number, seed: number): { train: Int32Array; dev: Int32Array } {
  if (!(trainFraction > 0 && trainFraction <= 1)) throw new Error(`train fraction must be in (0, 1], got ${trainFraction}`);
  const perm = new Rng(epochSeed(seed, -1)).shuffle(Int32Array.from({ length: count }, (_, i) => i));
  const nTrain = Math.min(count, Math.max(1, Math.round(count * trainFraction)));
  return { train: perm.slice(0, nTrain).sort(), dev: perm.slice(nTrain).sort() };
}

/** Per-pixel mean and std of pixels/255 over a subset (std floored so constant pixels stay finite). */
export function computeNorm(set: ImageSet, indices: Int32Array, minStd = 0.05): InputNorm {
  const n = set.inputShape.reduce((a, b) => a * b, 1);
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  for (const ex of indices) {
    for (let j = 0; j < n; j++) {
      const x = set.pixels[ex * n + j] / 255;
      sum[j] += x;
      sumSq[j] += x * x;
    }
  }
  const mean = new Float32Array(n);
  const std = new Float32Array(n);
  const m = Math.max(1, indices.length);
  for (let j = 0; j < n; j++) {
    mean[j] = sum[j] / m;
    std[j] = Math.max(minStd, Math.sqrt(Math.max(0, sumSq[j] / m - (sum[j] / m) ** 2)));
  }
  return { mean, std };
}
