/**
 * Light image augmentation of the seed CNN recipe: a random horizontal shift and a contrast/brightness
 * jitter per example, applied in place to a training mini-batch of [0,1] pixels before standardization.
 */
import type { Rng } from '../kernels/rng';
import { checkWarp, warpImage, type WarpOptions } from './warp';

export interface AugmentOptions {
  /** Largest horizontal shift in pixels; each example moves by an integer in [−maxShift, maxShift]. */
  maxShift: number;
  /** Largest vertical shift in pixels (0 or unset = none): MNIST digits vary in height as much as in position. */
  maxShiftY?: number;
  /** σ of the contrast factor c ~ 1 + N(0, σ) and of the brightness offset b ~ N(0, σ). */
  jitter: number;
  /**
   * Paired digits only: deal the right halves (ones digits) of a batch to its examples in a random
   * order and relabel, so every epoch shows new two-digit combinations of the same digit images.
   */
  remixHalves?: boolean;
  /** Random rotation and scaling of each digit (each half of a pair on its own); unset = none. */
  warp?: WarpOptions;
  /**
   * The last this many epochs of a run see the digits as they are: no shift, jitter or warp (the
   * re-pairing stays, as it changes which digits meet, not how they look). The net then ends on
   * images like the ones it will be tested on; 0 or unset = augment to the end.
   */
  plainLastEpochs?: number;
}

/** The seed CNN's augmentation: shifts up to ±2 px, contrast/brightness jitter σ = 0.1. */
export const SEED_CNN_AUGMENT: AugmentOptions = { maxShift: 2, jitter: 0.1 };

function checkArgs(pixels: Float32Array, batch: number, height: number, width: number, opts: AugmentOptions): void {
  if (!Number.isInteger(batch) || !Number.isInteger(height) || !Number.isInteger(width) || batch < 0 || height < 1 || width < 1) {
    throw new Error(`Augmentation needs whole positive sizes, got batch ${batch}, height ${height}, width ${width}`);
  }
  if (pixels.length < batch * height * width) {
    throw new Error(`Augmentation batch holds ${pixels.length} values, expected ${batch} × ${height} × ${width}`);
  }
  checkAugmentOptions(opts, height, width);
}

/**
 * Every augmentation option against the image size: the one home of these checks, run by each call
 * here and, before any batch, by the batches of a training run (where a bad option must fail at once).
 */
export function checkAugmentOptions(opts: AugmentOptions, height: number, width: number): void {
  if (!Number.isInteger(opts.maxShift) || opts.maxShift < 0 || opts.maxShift >= width) {
    throw new Error(`The augmentation shift must be a whole number in 0..${width - 1}, got ${opts.maxShift}`);
  }
  const shiftY = opts.maxShiftY ?? 0;
  if (!Number.isInteger(shiftY) || shiftY < 0 || shiftY >= height) {
    throw new Error(`The vertical augmentation shift must be a whole number in 0..${height - 1}, got ${shiftY}`);
  }
  if (!(opts.jitter >= 0) || !Number.isFinite(opts.jitter)) {
    throw new Error(`The augmentation jitter must be a number ≥ 0, got ${opts.jitter}`);
  }
  if (opts.warp) checkWarp(opts.warp);
  const plain = opts.plainLastEpochs ?? 0;
  if (!Number.isInteger(plain) || plain < 0) throw new Error(`The plain last epochs must be a whole number ≥ 0, got ${plain}`);
}

/**
 * Moves every row of one image by `shift` columns (positive = right), filling the uncovered columns
 * with 0 (background). copyWithin has memmove semantics, so the overlapping in-place copy is safe and
 * needs no scratch buffer.
 */
function shiftImage(pixels: Float32Array, offset: number, height: number, width: number, shift: number): void {
  if (shift === 0) return;
  const s = Math.abs(shift);
  for (let row = 0; row < height; row++) {
    const start = offset + row * width;
    const end = start + width;
    if (shift > 0) {
      pixels.copyWithin(start + s, start, end - s);
      pixels.fill(0, start, start + s);
    } else {
      pixels.copyWithin(start, start + s, end);
      pixels.fill(0, end - s, end);
    }
  }
}

/** Moves one image by `shift` rows (positive = down), filling the uncovered rows with 0. */
function shiftImageRows(pixels: Float32Array, offset: number, height: number, width: number, shift: number): void {
  if (shift === 0) return;
  const span = Math.abs(shift) * width;
  const end = offset + height * width;
  if (shift > 0) {
    pixels.copyWithin(offset + span, offset, end - span);
    pixels.fill(0, offset, offset + span);
  } else {
    pixels.copyWithin(offset, offset + span, end);
    pixels.fill(0, end - span, end);
  }
}

/**
 * x' = clamp(c·x + b, 0, 1). The clamp keeps augmented images in the pixel range [0,1] of the real
 * images on which the standardization mean/std were computed: without it a brightened background or an
 * over-contrasted stroke would produce inputs the network never sees at test time.
 */
function jitterImage(pixels: Float32Array, offset: number, size: number, contrast: number, brightness: number): void {
  for (let i = offset; i < offset + size; i++) {
    const v = contrast * pixels[i] + brightness;
    pixels[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}

/**
 * Augments a [batch, 1, height, width] batch of [0,1] images in place, independently per example: a
 * random integer horizontal shift in [−maxShift, maxShift] (zero fill), then contrast c ~ 1 + N(0, σ)
 * and brightness b ~ N(0, σ), and with `maxShiftY` a vertical shift; with `warp`, each digit is first
 * rotated and scaled. Draws three random numbers per example from `rng` (shift, contrast, brightness,
 * in that order) whatever the shift and jitter, plus more only for the options that are on (vertical
 * shift, warp), so runs without them keep their stream.
 * Allocates nothing: meant for the training loop.
 */
export function augmentBatch(
  pixels: Float32Array,
  batch: number,
  height: number,
  width: number,
  rng: Rng,
  opts: AugmentOptions,
): void {
  checkArgs(pixels, batch, height, width, opts);
  const size = height * width;
  const maxShiftY = opts.maxShiftY ?? 0;
  for (let b = 0; b < batch; b++) {
    const offset = b * size;
    const shift = rng.int(2 * opts.maxShift + 1) - opts.maxShift;
    const contrast = 1 + opts.jitter * rng.normal();
    const brightness = opts.jitter * rng.normal();
    if (opts.warp) warpImage(pixels, offset, height, width, rng, opts.warp);
    shiftImage(pixels, offset, height, width, shift);
    if (maxShiftY > 0) shiftImageRows(pixels, offset, height, width, rng.int(2 * maxShiftY + 1) - maxShiftY);
    if (opts.jitter > 0) jitterImage(pixels, offset, size, contrast, brightness);
  }
}

/**
 * Re-pairs a batch of side-by-side digit images in place: the right half of example b becomes the
 * right half of example perm[b] for a seeded permutation `perm`, and the label becomes
 * 10·tens(b) + ones(perm[b]). Why: the 100-way classifier sees each of the 100 numbers only ~600
 * times in 60k fixed pairs and overfits the combinations; dealing the ones digits anew every batch
 * keeps the digit images and the balance of each digit position but rarely repeats a pair.
 * `scratch` (≥ batch·height·width/2 floats) and `work` (≥ 2·batch ints) are pooled by the caller, so
 * the training loop allocates nothing.
 */
export function remixPairHalves(
  pixels: Float32Array,
  labels: Uint8Array,
  batch: number,
  height: number,
  width: number,
  rng: Rng,
  scratch: Float32Array,
  work: Int32Array,
): void {
  checkArgs(pixels, batch, height, width, { maxShift: 0, jitter: 0 });
  if (width % 2 !== 0) throw new Error(`Re-pairing halves needs an even image width, got ${width}`);
  const half = width / 2;
  const halfSize = height * half;
  if (scratch.length < batch * halfSize || work.length < 2 * batch || labels.length < batch) {
    throw new Error(`Re-pairing ${batch} examples needs room for ${batch} right halves, ${batch} labels and ${2 * batch} indices`);
  }
  const perm = work.subarray(0, batch);
  const ones = work.subarray(batch, 2 * batch);
  for (let b = 0; b < batch; b++) {
    perm[b] = b;
    ones[b] = labels[b] % 10;
    for (let y = 0; y < height; y++) copyRun(pixels, b * height * width + y * width + half, scratch, b * halfSize + y * half, half);
  }
  rng.shuffle(perm);
  for (let b = 0; b < batch; b++) {
    const src = perm[b];
    labels[b] = labels[b] - (labels[b] % 10) + ones[src];
    for (let y = 0; y < height; y++) copyRun(scratch, src * halfSize + y * half, pixels, b * height * width + y * width + half, half);
  }
}

/** to[at..at+n) = from[start..start+n): a plain loop, since a subarray view per 28-float row costs more than the copy. */
function copyRun(from: Float32Array, start: number, to: Float32Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) to[at + i] = from[start + i];
}
