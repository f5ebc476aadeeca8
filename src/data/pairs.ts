/**
 * Paired MNIST (docs/weights.md): two digit images side by side make one 28×56 image of a number 00..99; the left
 * digit is the tens, the right digit the ones, the label is 10·left + right. The generator is a pure
 * function of (digit set, count, seed), so the page and the CLI build identical pairs from the same seed.
 *
 * Counts. Full MNIST gives 60,000 train / 10,000 test pairs (A4's defaults): about 2 uses of every digit
 * image. The bundled subset (9,000 train / 1,000 test digits, already disjoint in the store) gives
 * 30,000 train / 5,000 test pairs by default: 300 train pairs per label is enough for the seed CNN to
 * learn all 100 classes, while 9,000 digits still give ~6.7 uses per image in ever-new combinations (a
 * repeat of the same two images is rare: 900·900 combinations per label); 5,000 test pairs put 50 per
 * label so the per-class accuracy has a 2% resolution. Test pairs only ever hold test digits.
 */
import { Rng } from '../kernels/rng';
import type { ImageSet } from './types';

export const PAIR_CLASSES: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
export const DEFAULT_PAIR_SEED = 0;
export const FULL_PAIR_COUNTS = { train: 60000, test: 10000 } as const;
export const BUNDLED_PAIR_COUNTS = { train: 30000, test: 5000 } as const;

/** Which source images make each pair: pair k is the image left[k] beside right[k], labelled labels[k]. */
export interface PairPlan {
  labels: Uint8Array;
  left: Int32Array;
  right: Int32Array;
}

export interface PairedMnistOptions {
  trainCount?: number;
  testCount?: number;
  seed?: number;
}

/** Indices of every digit class 0..9 in `set`; refuses anything that is not a single-digit image set. */
function indicesByDigit(set: ImageSet): Int32Array[] {
  if (set.inputShape.length !== 2) {
    throw new Error(`Pairs need 2-D digit images, got input shape [${set.inputShape.join(', ')}]`);
  }
  if (set.classes.length !== 10) {
    throw new Error(`Pairs need a digit dataset with 10 classes (0..9), got ${set.classes.length} classes`);
  }
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < set.count; i++) {
    const d = set.labels[i];
    if (d > 9) throw new Error(`Pairs need digit labels 0..9, example ${i} has label ${d}`);
    counts[d]++;
  }
  const byDigit = counts.map((n) => new Int32Array(n));
  const filled = new Array<number>(10).fill(0);
  for (let i = 0; i < set.count; i++) {
    const d = set.labels[i];
    byDigit[d][filled[d]++] = i;
  }
  return byDigit;
}

/**
 * Each label appears floor(count/100) times; the count % 100 extra labels are a seeded choice of distinct
 * labels (not always the smallest ones), then the whole list is shuffled: the order of the pairs.
 */
function balancedShuffledLabels(count: number, rng: Rng): Uint8Array {
  const perLabel = Math.floor(count / 100);
  const labels = new Uint8Array(count);
  for (let k = 0; k < perLabel * 100; k++) labels[k] = k % 100;
  const extras = rng.shuffle(Uint8Array.from({ length: 100 }, (_, i) => i));
  labels.set(extras.subarray(0, count - perLabel * 100), perLabel * 100);
  return rng.shuffle(labels);
}

/**
 * Deals the images of one digit class like a deck: a seeded shuffle, drawn in order, reshuffled when
 * exhausted. Compared with independent draws this uses every image before repeating any, so a 60k-pair
 * set from 60k digits sees every digit (independent draws would leave ~13% of them out).
 */
class DigitDeck {
  private next: number;

  constructor(
    private readonly cards: Int32Array,
    private readonly rng: Rng,
  ) {
    this.next = cards.length;
  }

  draw(): number {
    if (this.next >= this.cards.length) {
      this.rng.shuffle(this.cards);
      this.next = 0;
    }
    return this.cards[this.next++];
  }
}

/** The seeded choice of images behind `count` pairs (see makePairs). Pure function of set labels, count, seed. */
export function planPairs(set: ImageSet, count: number, seed: number): PairPlan {
  if (!Number.isInteger(count) || count < 0) throw new Error(`The number of pairs must be a whole number ≥ 0, got ${count}`);
  const byDigit = indicesByDigit(set);
  const rng = new Rng(seed);
  const labels = balancedShuffledLabels(count, rng);
  if (count > 0) {
    const missing = byDigit.findIndex((a) => a.length === 0);
    if (missing >= 0) throw new Error(`Cannot build pairs: the digit set has no image of a ${missing}`);
  }
  const decks = byDigit.map((cards) => new DigitDeck(cards.slice(), rng));
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    left[k] = decks[Math.floor(labels[k] / 10)].draw();
    right[k] = decks[labels[k] % 10].draw();
  }
  return { labels, left, right };
}

/** Copies the pairs of `plan` into an image set of shape [H, 2W]: each row is the left row then the right row. */
export function renderPairs(set: ImageSet, plan: PairPlan): ImageSet {
  const [h, w] = set.inputShape;
  const digitBytes = h * w;
  const count = plan.labels.length;
  const pixels = new Uint8Array(count * 2 * digitBytes);
  const src = set.pixels;
  for (let k = 0; k < count; k++) {
    const out = k * 2 * digitBytes;
    const l = plan.left[k] * digitBytes;
    const r = plan.right[k] * digitBytes;
    for (let row = 0; row < h; row++) {
      pixels.set(src.subarray(l + row * w, l + (row + 1) * w), out + row * 2 * w);
      pixels.set(src.subarray(r + row * w, r + (row + 1) * w), out + row * 2 * w + w);
    }
  }
  return { inputShape: [h, 2 * w], classes: [...PAIR_CLASSES], count, pixels, labels: plan.labels.slice() };
}

/**
 * `count` two-digit images from the digits of `set`: every label 00..99 appears count/100 times (±1),
 * the tens digit drawn from the images of its class for the left half and the ones digit for the right,
 * in a seeded shuffled order. Same (set, count, seed) ⇒ byte-identical result.
 */
export function makePairs(set: ImageSet, count: number, seed: number): ImageSet {
  return renderPairs(set, planPairs(set, count, seed));
}

/** Seeds of the train and test pair streams, derived so the two never share a random stream. */
export function pairSeeds(seed: number): { train: number; test: number } {
  const rng = new Rng(seed);
  return { train: rng.fork(), test: rng.fork() };
}

/** Train pairs from `train` digits only and test pairs from `test` digits only (docs/weights.md, paired MNIST). */
export function makePairedMnist(
  train: ImageSet,
  test: ImageSet,
  opts: PairedMnistOptions = {},
): { train: ImageSet; test: ImageSet } {
  const seeds = pairSeeds(opts.seed ?? DEFAULT_PAIR_SEED);
  return {
    train: makePairs(train, opts.trainCount ?? FULL_PAIR_COUNTS.train, seeds.train),
    test: makePairs(test, opts.testCount ?? FULL_PAIR_COUNTS.test, seeds.test),
  };
}

/** Default pair counts for a stored digit dataset: fewer for the small bundled subset (see the header). */
export function defaultPairCounts(sourceId: string): { train: number; test: number } {
  // 'mnist-bundled' is BUNDLED_MNIST_ID (bundled.ts, not imported: this module stays free of browser loaders).
  return sourceId === 'mnist-bundled' ? { ...BUNDLED_PAIR_COUNTS } : { ...FULL_PAIR_COUNTS };
}

export interface PairSample {
  /** Index of the example in the set. */
  index: number;
  /** H × 2W uint8 pixels (0 = background, 255 = ink). */
  pixels: Uint8Array;
  /** Class label, '00'..'99'. */
  label: string;
  tens: number;
  ones: number;
}

/**
 * Up to `n` examples of a paired set for display, evenly spread over the set (the pairs are already in
 * shuffled order, so these show a mix of labels).
 */
export function samplePairs(set: ImageSet, n: number): PairSample[] {
  const take = Math.max(0, Math.min(Math.floor(n), set.count));
  const perExample = set.inputShape.reduce((a, b) => a * b, 1);
  const samples: PairSample[] = [];
  for (let s = 0; s < take; s++) {
    const index = Math.floor((s * set.count) / take);
    const label = set.labels[index];
    samples.push({
      index,
      pixels: set.pixels.slice(index * perExample, (index + 1) * perExample),
      label: set.classes[label] ?? String(label),
      tens: Math.floor(label / 10),
      ones: label % 10,
    });
  }
  return samples;
}
