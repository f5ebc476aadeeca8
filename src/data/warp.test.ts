import { describe, expect, it } from 'vitest';
import { Rng } from '../kernels/rng';
import { augmentBatch } from './augment';
import { checkWarp, tilesOf, warpImage } from './warp';

/** A 28×56 pair: a bar in the left digit, a dot in the right one. */
function pairImage(): Float32Array {
  const img = new Float32Array(28 * 56);
  for (let y = 6; y < 22; y++) img[y * 56 + 13] = img[y * 56 + 14] = 1;
  img[14 * 56 + 28 + 14] = 1;
  return img;
}

const ink = (img: Float32Array, x0: number, x1: number) => {
  let sum = 0;
  for (let y = 0; y < 28; y++) for (let x = x0; x < x1; x++) sum += img[y * 56 + x];
  return sum;
};

/** Ink-weighted centre and the angle of the main axis of one 28×28 tile. */
function moments(img: Float32Array, x0: number): { cx: number; cy: number; angle: number } {
  let m = 0, sx = 0, sy = 0;
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    const v = img[y * 56 + x0 + x];
    m += v; sx += v * x; sy += v * y;
  }
  const cx = sx / m, cy = sy / m;
  let xx = 0, yy = 0, xy = 0;
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    const v = img[y * 56 + x0 + x];
    xx += v * (x - cx) ** 2; yy += v * (y - cy) ** 2; xy += v * (x - cx) * (y - cy);
  }
  return { cx, cy, angle: 0.5 * Math.atan2(2 * xy, xx - yy) };
}

describe('warpImage', () => {
  it('splits a pair into two square tiles and a single digit into one', () => {
    expect(tilesOf(28, 56)).toEqual({ count: 2, size: 28 });
    expect(tilesOf(28, 28)).toEqual({ count: 1, size: 28 });
  });

  it('is the identity with no rotation and no scaling', () => {
    const img = pairImage();
    const before = img.slice();
    warpImage(img, 0, 28, 56, new Rng(1), { rotate: 0, scale: 0 });
    for (let i = 0; i < img.length; i++) expect(img[i]).toBeCloseTo(before[i], 6);
  });

  it('turns each digit about its own centre within ±rotate, keeping each digit in its half', () => {
    const angles = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      const img = pairImage();
      warpImage(img, 0, 28, 56, new Rng(seed), { rotate: 20, scale: 0 });
      const bar = moments(img, 0);
      // The vertical bar's axis is at ±90°; its turn is the difference, within the bound.
      const turn = Math.abs(Math.abs(bar.angle) - Math.PI / 2);
      expect(turn).toBeLessThanOrEqual((20 * Math.PI) / 180 + 0.02);
      angles.add(Math.round((turn * 180) / Math.PI));
      expect(bar.cx).toBeCloseTo(13.5, 0);
      expect(bar.cy).toBeCloseTo(13.5, 0);
      expect(ink(img, 0, 28)).toBeCloseTo(32, -0.5);
      // The right digit's dot sits at its tile's centre, so rotation leaves its ink in the right half.
      expect(ink(img, 28, 56)).toBeGreaterThan(0.5);
    }
    expect(angles.size).toBeGreaterThan(5);
  });

  it('scales the ink by about factor² within [1 − scale, 1 + scale]', () => {
    const ratios: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const img = pairImage();
      warpImage(img, 0, 28, 56, new Rng(seed), { rotate: 0, scale: 0.2 });
      ratios.push(ink(img, 0, 28) / 32);
    }
    for (const r of ratios) {
      expect(r).toBeGreaterThan(0.8 * 0.8 - 0.1);
      expect(r).toBeLessThan(1.2 * 1.2 + 0.1);
    }
    expect(Math.max(...ratios) - Math.min(...ratios)).toBeGreaterThan(0.3);
  });

  it('runs inside augmentBatch only when asked, and refuses out-of-range options', () => {
    const img = pairImage();
    const plain = img.slice();
    augmentBatch(plain, 1, 28, 56, new Rng(3), { maxShift: 0, jitter: 0 });
    expect(plain).toEqual(img);
    const warped = img.slice();
    augmentBatch(warped, 1, 28, 56, new Rng(3), { maxShift: 0, jitter: 0, warp: { rotate: 15, scale: 0.1 } });
    expect(warped).not.toEqual(img);
    expect(() => checkWarp({ rotate: 90, scale: 0 })).toThrow(/rotation/);
    expect(() => checkWarp({ rotate: 0, scale: 0.7 })).toThrow(/scaling/);
  });
});
