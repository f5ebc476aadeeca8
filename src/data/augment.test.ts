import { describe, expect, it } from 'vitest';
import { Rng } from '../kernels/rng';
import { SEED_CNN_AUGMENT, augmentBatch, remixPairHalves } from './augment';

const H = 6;
const W = 10;

/** `batch` images of H×W with distinct, strictly positive column profiles in [0.1, 0.9]. */
function makeBatch(batch: number): Float32Array {
  const pixels = new Float32Array(batch * H * W);
  const rng = new Rng(123);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 0.1 + 0.8 * rng.next();
  return pixels;
}

function columnSums(pixels: Float32Array, example: number): number[] {
  const sums = new Array<number>(W).fill(0);
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) sums[c] += pixels[example * H * W + r * W + c];
  return sums;
}

/** The shift s for which `after`'s columns are `before`'s moved by s with zero fill, or null if none fits. */
function detectShift(before: number[], after: number[], maxTry: number): number | null {
  for (let s = -maxTry; s <= maxTry; s++) {
    const fits = after.every((v, c) => {
      const src = c - s;
      return Math.abs(v - (src >= 0 && src < W ? before[src] : 0)) < 1e-5;
    });
    if (fits) return s;
  }
  return null;
}

describe('augmentBatch', () => {
  it('is the identity with σ = 0 and maxShift = 0', () => {
    const pixels = makeBatch(20);
    const original = pixels.slice();
    augmentBatch(pixels, 20, H, W, new Rng(1), { maxShift: 0, jitter: 0 });
    expect(pixels).toEqual(original);
  });

  it('shifts every example horizontally by an integer in [−maxShift, maxShift], zero-filling, and uses every shift', () => {
    const batch = 200;
    const pixels = makeBatch(batch);
    const original = pixels.slice();
    augmentBatch(pixels, batch, H, W, new Rng(2), { maxShift: 2, jitter: 0 });
    const seen = new Set<number>();
    for (let b = 0; b < batch; b++) {
      const s = detectShift(columnSums(original, b), columnSums(pixels, b), W - 1);
      expect(s).not.toBeNull();
      expect(Math.abs(s!)).toBeLessThanOrEqual(2);
      seen.add(s!);
      // Rows move as a whole: each pixel equals the original pixel s columns to the left.
      for (let r = 0; r < H; r++) {
        for (let c = 0; c < W; c++) {
          const src = c - s!;
          const expected = src >= 0 && src < W ? original[b * H * W + r * W + src] : 0;
          expect(pixels[b * H * W + r * W + c]).toBe(expected);
        }
      }
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2]);
  });

  it('shifts vertically by whole rows in [−maxShiftY, maxShiftY], zero-filling, and uses every shift', () => {
    const batch = 200;
    const before = makeBatch(batch);
    const after = before.slice();
    augmentBatch(after, batch, H, W, new Rng(11), { maxShift: 0, jitter: 0, maxShiftY: 2 });
    const seen = new Set<number>();
    for (let b = 0; b < batch; b++) {
      const at = b * H * W;
      const fits = (s: number) => Array.from({ length: H * W }, (_, i) => i).every((i) => {
        const row = Math.floor(i / W) - s;
        const expected = row >= 0 && row < H ? before[at + row * W + (i % W)] : 0;
        return after[at + i] === expected;
      });
      const shift = [-2, -1, 0, 1, 2].find(fits);
      expect(shift).toBeDefined();
      seen.add(shift!);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
    expect(() => augmentBatch(after, 1, H, W, new Rng(1), { maxShift: 0, jitter: 0, maxShiftY: H })).toThrow(/vertical/);
  });

  it('keeps every value in [0, 1] even with a strong jitter', () => {
    const batch = 100;
    const pixels = makeBatch(batch);
    pixels.fill(0, 0, 30);
    pixels.fill(1, 30, 60);
    augmentBatch(pixels, batch, H, W, new Rng(3), { maxShift: 3, jitter: 1 });
    const min = pixels.reduce((a, b) => Math.min(a, b), Infinity);
    const max = pixels.reduce((a, b) => Math.max(a, b), -Infinity);
    expect(min).toBe(0);
    expect(max).toBe(1);
    expect(pixels.some((v) => v > 0 && v < 1)).toBe(true);
  });

  it('applies x′ = c·x + b per example with c ~ 1 + N(0, σ), b ~ N(0, σ)', () => {
    const batch = 4000;
    const sigma = 0.1;
    // Every image holds 0.25 in its first pixel and 0.5 in the rest, so c and b can be solved for.
    const pixels = new Float32Array(batch * H * W).fill(0.5);
    for (let b = 0; b < batch; b++) pixels[b * H * W] = 0.25;
    augmentBatch(pixels, batch, H, W, new Rng(4), { maxShift: 0, jitter: sigma });
    const cs: number[] = [];
    const bs: number[] = [];
    for (let b = 0; b < batch; b++) {
      const lo = pixels[b * H * W];
      const hi = pixels[b * H * W + 1];
      expect(pixels.subarray(b * H * W + 2, (b + 1) * H * W).every((v) => v === hi)).toBe(true);
      const c = (hi - lo) / 0.25;
      cs.push(c);
      bs.push(hi - 0.5 * c);
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const std = (a: number[]) => {
      const m = mean(a);
      return Math.sqrt(mean(a.map((v) => (v - m) ** 2)));
    };
    expect(mean(cs)).toBeCloseTo(1, 2);
    expect(std(cs)).toBeGreaterThan(0.09);
    expect(std(cs)).toBeLessThan(0.11);
    expect(Math.abs(mean(bs))).toBeLessThan(0.01);
    expect(std(bs)).toBeGreaterThan(0.09);
    expect(std(bs)).toBeLessThan(0.11);
  });

  it('is reproducible from the Rng state and draws the same stream whatever the options', () => {
    const a = makeBatch(16);
    const b = makeBatch(16);
    const rngA = new Rng(9);
    const rngB = new Rng(9);
    augmentBatch(a, 16, H, W, rngA, SEED_CNN_AUGMENT);
    augmentBatch(b, 16, H, W, rngB, SEED_CNN_AUGMENT);
    expect(b).toEqual(a);
    const rngC = new Rng(9);
    augmentBatch(makeBatch(16), 16, H, W, rngC, { maxShift: 0, jitter: 0 });
    expect(rngC.next()).toBe(rngA.next());
  });

  it('only touches the first batch·H·W values', () => {
    const pixels = new Float32Array(2 * H * W + 5).fill(0.5);
    augmentBatch(pixels, 2, H, W, new Rng(5), { maxShift: 2, jitter: 0.3 });
    expect(Array.from(pixels.subarray(2 * H * W))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('refuses bad sizes and options with clear messages', () => {
    const pixels = makeBatch(2);
    const rng = new Rng(0);
    expect(() => augmentBatch(pixels, 3, H, W, rng, SEED_CNN_AUGMENT)).toThrow(/expected 3 × 6 × 10/);
    expect(() => augmentBatch(pixels, 2, H, W, rng, { maxShift: 1.5, jitter: 0 })).toThrow(/shift/);
    expect(() => augmentBatch(pixels, 2, H, W, rng, { maxShift: W, jitter: 0 })).toThrow(/shift/);
    expect(() => augmentBatch(pixels, 2, H, W, rng, { maxShift: 1, jitter: -0.1 })).toThrow(/jitter/);
    expect(() => augmentBatch(pixels, 2, H, W, rng, { maxShift: 1, jitter: NaN })).toThrow(/jitter/);
    expect(() => augmentBatch(pixels, 2, 0, W, rng, SEED_CNN_AUGMENT)).toThrow(/whole positive sizes/);
  });
});

describe('remixPairHalves', () => {
  /** Example b: left half filled with its tens digit t(b)+1, right half with its ones digit o(b)+1 (row-dependent). */
  function pairBatch(labels: number[], height: number, width: number): Float32Array {
    const half = width / 2;
    const pixels = new Float32Array(labels.length * height * width);
    labels.forEach((label, b) => {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const digit = x < half ? Math.floor(label / 10) : label % 10;
          pixels[b * height * width + y * width + x] = digit + 1 + y / 100;
        }
      }
    });
    return pixels;
  }

  it('deals the right halves anew and relabels each example with its own tens and its new ones digit', () => {
    const labels = [12, 34, 56, 78, 90, 3];
    const height = 3;
    const width = 8;
    const pixels = pairBatch(labels, height, width);
    const host = Uint8Array.from(labels);
    remixPairHalves(pixels, host, labels.length, height, width, new Rng(5), new Float32Array(72), new Int32Array(12));
    expect(Array.from(pixels)).toEqual(Array.from(pairBatch(Array.from(host), height, width)));
    expect(Array.from(host, (l) => Math.floor(l / 10))).toEqual(labels.map((l) => Math.floor(l / 10)));
    // A permutation: the multiset of ones digits is unchanged, and the pairs did change.
    expect(Array.from(host, (l) => l % 10).sort()).toEqual(labels.map((l) => l % 10).sort());
    expect(Array.from(host)).not.toEqual(labels);
  });

  it('is deterministic for a seed and refuses odd widths or short scratch space', () => {
    const run = (seed: number) => {
      const host = Uint8Array.of(1, 22, 43, 64, 85);
      remixPairHalves(pairBatch(Array.from(host), 2, 4), host, 5, 2, 4, new Rng(seed), new Float32Array(20), new Int32Array(10));
      return Array.from(host);
    };
    expect(run(9)).toEqual(run(9));
    const pixels = new Float32Array(2 * 2 * 5);
    expect(() => remixPairHalves(pixels, new Uint8Array(2), 2, 2, 5, new Rng(1), new Float32Array(10), new Int32Array(4))).toThrow(/even image width/);
    expect(() => remixPairHalves(new Float32Array(16), new Uint8Array(2), 2, 2, 4, new Rng(1), new Float32Array(3), new Int32Array(4))).toThrow(/needs room/);
  });
});
