import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeWithFullData } from '../train/testing/full-data-tests';
import { HAS_FULL_DATA, MNIST_DIR } from '../train/testing/shared-data';
import { BUNDLED_MNIST_ID } from './bundled';
import { readMnistDir } from './node-mnist';
import {
  BUNDLED_PAIR_COUNTS,
  defaultPairCounts,
  makePairedMnist,
  makePairs,
  pairSeeds,
  planPairs,
  samplePairs,
} from './pairs';
import type { ImageSet } from './types';

const DIGIT = 28 * 28;

let train: ImageSet;
let test: ImageSet;
/** Content hash of every MNIST image → its index (MNIST has no duplicate images, within or across splits). */
let trainByHash: Map<string, number>;
let testByHash: Map<string, number>;

function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

function hashAll(set: ImageSet): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = 0; i < set.count; i++) map.set(hashBytes(set.pixels.subarray(i * DIGIT, (i + 1) * DIGIT)), i);
  return map;
}

/** The left and right 28×28 halves of pair k of a [28, 56] set, as standalone digit images. */
function halves(pairs: ImageSet, k: number): [Uint8Array, Uint8Array] {
  const left = new Uint8Array(DIGIT);
  const right = new Uint8Array(DIGIT);
  const base = k * 2 * DIGIT;
  for (let row = 0; row < 28; row++) {
    left.set(pairs.pixels.subarray(base + row * 56, base + row * 56 + 28), row * 28);
    right.set(pairs.pixels.subarray(base + row * 56 + 28, base + row * 56 + 56), row * 28);
  }
  return [left, right];
}

function labelHistogram(set: ImageSet): number[] {
  const h = new Array<number>(100).fill(0);
  for (let i = 0; i < set.count; i++) h[set.labels[i]]++;
  return h;
}

/** A tiny digit set: `perDigit` images of 2×2 per digit, every pixel of image i equal to i. */
function tinyDigits(perDigit: number, digits = 10): ImageSet {
  const count = perDigit * digits;
  const pixels = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) pixels.fill(i, i * 4, i * 4 + 4);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % digits);
  return { inputShape: [2, 2], classes: Array.from({ length: 10 }, (_, d) => String(d)), count, pixels, labels };
}

beforeAll(async () => {
  if (!HAS_FULL_DATA) return;
  ({ train, test } = await readMnistDir(MNIST_DIR));
  trainByHash = hashAll(train);
  testByHash = hashAll(test);
});

describeWithFullData('makePairs', () => {
  it('is a pure function of (set, count, seed): same seed ⇒ identical pairs, other seed ⇒ other pairs', () => {
    const a = makePairs(test, 1500, 7);
    const b = makePairs(test, 1500, 7);
    const c = makePairs(test, 1500, 8);
    expect(b.labels).toEqual(a.labels);
    expect(hashBytes(b.pixels)).toBe(hashBytes(a.pixels));
    expect(hashBytes(c.pixels)).not.toBe(hashBytes(a.pixels));
    expect(Array.from(c.labels)).not.toEqual(Array.from(a.labels));
  });

  it('returns 28×56 images with the 100 classes "00".."99"', () => {
    const pairs = makePairs(test, 300, 1);
    expect(pairs.inputShape).toEqual([28, 56]);
    expect(pairs.classes).toEqual(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')));
    expect(pairs.count).toBe(300);
    expect(pairs.pixels.length).toBe(300 * 2 * DIGIT);
  });

  it('balances the labels: every label within ±1 of count/100, the remainder on distinct labels', () => {
    for (const count of [2345, 1000, 57]) {
      const h = labelHistogram(makePairs(test, count, 3));
      const base = Math.floor(count / 100);
      expect(h.every((n) => n === base || n === base + 1)).toBe(true);
      expect(h.filter((n) => n === base + 1).length).toBe(count % 100);
    }
  });

  it('shuffles the pairs (labels are not in runs or in label order)', () => {
    const labels = Array.from(makePairs(test, 1000, 5).labels);
    const sameAsNext = labels.filter((l, i) => i > 0 && l === labels[i - 1]).length;
    expect(sameAsNext).toBeLessThan(40);
    expect(labels.slice(0, 100)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('puts a tens-digit image on the left and a ones-digit image on the right: label = 10·left + right', () => {
    const pairs = makePairs(test, 2000, 11);
    for (let k = 0; k < pairs.count; k++) {
      const [left, right] = halves(pairs, k);
      const li = testByHash.get(hashBytes(left));
      const ri = testByHash.get(hashBytes(right));
      expect(li).toBeDefined();
      expect(ri).toBeDefined();
      expect(pairs.labels[k]).toBe(10 * test.labels[li!] + test.labels[ri!]);
    }
  });

  it('agrees with its plan: pair k is image left[k] beside image right[k]', () => {
    const plan = planPairs(test, 200, 4);
    const pairs = makePairs(test, 200, 4);
    for (let k = 0; k < 200; k++) {
      const [left, right] = halves(pairs, k);
      expect(hashBytes(left)).toBe(hashBytes(test.pixels.subarray(plan.left[k] * DIGIT, (plan.left[k] + 1) * DIGIT)));
      expect(hashBytes(right)).toBe(hashBytes(test.pixels.subarray(plan.right[k] * DIGIT, (plan.right[k] + 1) * DIGIT)));
    }
  });

  it('lays rows out as the left digit row then the right digit row', () => {
    const digits = tinyDigits(1);
    const pairs = makePairs(digits, 100, 0);
    expect(pairs.inputShape).toEqual([2, 4]);
    for (let k = 0; k < 100; k++) {
      const l = Math.floor(pairs.labels[k] / 10);
      const r = pairs.labels[k] % 10;
      expect(Array.from(pairs.pixels.subarray(k * 8, k * 8 + 8))).toEqual([l, l, r, r, l, l, r, r]);
    }
  });

  it('deals each digit class like a deck: every image is used before any is used twice', () => {
    const digits = tinyDigits(30);
    // 1000 pairs need 200 images of each digit (100 as tens + 100 as ones): 6 full rounds + 20.
    const plan = planPairs(digits, 1000, 9);
    const uses = new Array<number>(digits.count).fill(0);
    for (let k = 0; k < 1000; k++) {
      uses[plan.left[k]]++;
      uses[plan.right[k]]++;
    }
    expect(Math.min(...uses)).toBeGreaterThanOrEqual(6);
    expect(Math.max(...uses)).toBeLessThanOrEqual(7);
  });

  it('refuses a set that lacks a digit, a non-digit set and a bad count with clear messages', () => {
    expect(() => makePairs(tinyDigits(2, 9), 100, 0)).toThrow(/no image of a 9/);
    expect(() => makePairs({ ...tinyDigits(1), classes: ['a', 'b'] }, 10, 0)).toThrow(/10 classes/);
    expect(() => makePairs({ ...tinyDigits(1), inputShape: [4] }, 10, 0)).toThrow(/2-D digit images/);
    expect(() => makePairs(tinyDigits(1), -1, 0)).toThrow(/whole number ≥ 0/);
    expect(() => makePairs(tinyDigits(1), 2.5, 0)).toThrow(/whole number ≥ 0/);
    expect(makePairs(tinyDigits(1), 0, 0).count).toBe(0);
  });
});

describeWithFullData('makePairedMnist', () => {
  it('builds 60,000 / 10,000 pairs by default; the test pairs use every test digit and nothing else', () => {
    const pairs = makePairedMnist(train, test, { seed: 2 });
    expect(pairs.train.count).toBe(60000);
    expect(pairs.test.count).toBe(10000);
    expect(labelHistogram(pairs.train).every((n) => n === 600)).toBe(true);
    expect(labelHistogram(pairs.test).every((n) => n === 100)).toBe(true);
    const used = new Set<number>();
    for (let k = 0; k < pairs.test.count; k++) {
      for (const half of halves(pairs.test, k)) {
        const i = testByHash.get(hashBytes(half));
        expect(i).toBeDefined();
        used.add(i!);
      }
    }
    expect(used.size).toBe(test.count);
  });

  it('never puts a test digit in a train pair, nor a train digit in a test pair', () => {
    const pairs = makePairedMnist(train, test, { seed: 5, trainCount: 5000, testCount: 2000 });
    for (let k = 0; k < pairs.train.count; k++) {
      for (const half of halves(pairs.train, k)) {
        const h = hashBytes(half);
        expect(testByHash.has(h)).toBe(false);
        expect(trainByHash.has(h)).toBe(true);
      }
    }
    for (let k = 0; k < pairs.test.count; k++) {
      for (const half of halves(pairs.test, k)) {
        const h = hashBytes(half);
        expect(trainByHash.has(h)).toBe(false);
        expect(testByHash.has(h)).toBe(true);
      }
    }
  });

  it('is reproducible from the seed and uses separate streams for train and test', () => {
    const a = makePairedMnist(train, test, { seed: 42, trainCount: 500, testCount: 300 });
    const b = makePairedMnist(train, test, { seed: 42, trainCount: 500, testCount: 300 });
    expect(hashBytes(b.train.pixels)).toBe(hashBytes(a.train.pixels));
    expect(hashBytes(b.test.pixels)).toBe(hashBytes(a.test.pixels));
    const seeds = pairSeeds(42);
    expect(seeds.train).not.toBe(seeds.test);
    expect(a.train.labels).toEqual(makePairs(train, 500, seeds.train).labels);
    expect(a.test.labels).toEqual(makePairs(test, 300, seeds.test).labels);
  });

  it('defaults to fewer pairs for the bundled subset', () => {
    expect(defaultPairCounts(BUNDLED_MNIST_ID)).toEqual(BUNDLED_PAIR_COUNTS);
    expect(defaultPairCounts('mnist-full')).toEqual({ train: 60000, test: 10000 });
  });
});

describeWithFullData('samplePairs', () => {
  it('returns up to n examples spread over the set with their pixels and labels', () => {
    const pairs = makePairs(test, 400, 6);
    const samples = samplePairs(pairs, 8);
    expect(samples.map((s) => s.index)).toEqual([0, 50, 100, 150, 200, 250, 300, 350]);
    for (const s of samples) {
      expect(s.pixels).toEqual(pairs.pixels.slice(s.index * 2 * DIGIT, (s.index + 1) * 2 * DIGIT));
      expect(s.label).toBe(String(pairs.labels[s.index]).padStart(2, '0'));
      expect(10 * s.tens + s.ones).toBe(pairs.labels[s.index]);
    }
    expect(samplePairs(makePairs(test, 3, 6), 10).length).toBe(3);
    expect(samplePairs(pairs, 0)).toEqual([]);
  });
});
