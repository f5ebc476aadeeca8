import { describe, expect, it } from 'vitest';
import { readBundledMnistSplit } from '../train/testing/shared-data';
import { describeDigit, preprocessDigit, preprocessPair } from './preprocess-digit';

const SIDE = 280;

/** Paints a round-capped stroke of radius r through the points, anti-aliased over one pixel. */
function drawStroke(points: [number, number][], r: number, side = SIDE): Uint8ClampedArray {
  const gray = new Uint8ClampedArray(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let best = Infinity;
      for (let i = 1; i < points.length; i++) {
        best = Math.min(best, distanceToSegment(x + 0.5, y + 0.5, points[i - 1], points[i]));
      }
      const ink = Math.max(0, Math.min(1, r + 0.5 - best));
      gray[y * side + x] = Math.round(ink * 255);
    }
  }
  return gray;
}

function distanceToSegment(px: number, py: number, a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / len2));
  return Math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy));
}

function range(pixels: Uint8Array): [number, number] {
  let lo = 255;
  let hi = 0;
  for (const v of pixels) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

describe('preprocessDigit', () => {
  it('centres an off-centre stroke by mass inside a 20×20 box', () => {
    // A "7" drawn small in the top-left corner of the canvas.
    const gray = drawStroke([[20, 20], [110, 20], [50, 130]], 10);
    const out = preprocessDigit(gray, SIDE, SIDE);
    expect(out).not.toBeNull();
    const digit = describeDigit(out!);
    expect(out!.length).toBe(784);
    expect(Math.abs(digit.centreX - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(digit.centreY - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(digit.boxWidth, digit.boxHeight)).toBe(20);
    expect(digit.boxWidth).toBeLessThanOrEqual(20);
    expect(range(out!)).toEqual([0, 255]);
  });

  it('keeps the aspect ratio of a tall, narrow stroke', () => {
    const gray = drawStroke([[200, 40], [205, 240]], 12);
    const digit = describeDigit(preprocessDigit(gray, SIDE, SIDE)!);
    expect(digit.boxHeight).toBe(20);
    expect(digit.boxWidth).toBeGreaterThanOrEqual(2);
    expect(digit.boxWidth).toBeLessThanOrEqual(5);
  });

  it('returns null for an empty or nearly empty canvas', () => {
    expect(preprocessDigit(new Uint8ClampedArray(SIDE * SIDE), SIDE, SIDE)).toBeNull();
    const faint = new Uint8Array(100).fill(5);
    expect(preprocessDigit(faint, 10, 10)).toBeNull();
  });

  it('handles a single dot and a canvas smaller than the box', () => {
    const dot = new Uint8Array(9);
    dot[4] = 200;
    const out = preprocessDigit(dot, 3, 3)!;
    expect(range(out)).toEqual([0, 255]);
    const digit = describeDigit(out);
    expect(digit.boxWidth).toBe(20);
    expect(Math.abs(digit.centreX - 14)).toBeLessThanOrEqual(0.5);
  });

  it('rejects a buffer whose size does not match the canvas', () => {
    expect(() => preprocessDigit(new Uint8Array(10), 4, 4)).toThrow(/expected 16 pixels, got 10/);
    expect(() => preprocessDigit(new Uint8Array(0), 0, 0)).toThrow(/bad canvas size/);
  });

  it('reproduces real MNIST digits drawn large and off-centre on a canvas', () => {
    const images = readMnistTestImages(20);
    for (const original of images) {
      // Enlarge 8× into a 320×320 canvas, shifted towards a corner: what a user's drawing looks like.
      const canvas = new Uint8Array(320 * 320);
      for (let y = 0; y < 28 * 8; y++) {
        for (let x = 0; x < 28 * 8; x++) {
          canvas[(y + 70) * 320 + x + 10] = original[Math.floor(y / 8) * 28 + Math.floor(x / 8)];
        }
      }
      const out = preprocessDigit(canvas, 320, 320)!;
      expect(correlation(out, original)).toBeGreaterThan(0.9);
    }
  });
});

function readMnistTestImages(count: number): Uint8Array[] {
  const { pixels } = readBundledMnistSplit('test', count);
  return Array.from({ length: count }, (_, i) => pixels.subarray(i * 784, (i + 1) * 784));
}

function correlation(a: Uint8Array, b: Uint8Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function box(width: number, height: number, x0: number, x1: number): Uint8ClampedArray {
  const ink = new Uint8ClampedArray(width * height);
  for (let y = 10; y < height - 10; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = 255;
  return ink;
}

describe('preprocessPair', () => {
  it('prepares each half in its own 28×28 square, even when the ink touches the divider', () => {
    // One bar crossing the middle: split by ink it would be a single digit; by box it is two.
    const out = preprocessPair(box(200, 100, 80, 120), 200, 100)!;
    expect(out.length).toBe(28 * 56);
    const inkIn = (x0: number, x1: number) => {
      let sum = 0;
      for (let y = 0; y < 28; y++) for (let x = x0; x < x1; x++) sum += out[y * 56 + x];
      return sum;
    };
    expect(inkIn(0, 28)).toBeGreaterThan(0);
    expect(inkIn(28, 56)).toBeGreaterThan(0);
    // Centred by mass: the columns at each half's edge stay empty.
    expect(inkIn(0, 2) + inkIn(26, 30) + inkIn(54, 56)).toBe(0);
  });

  it('returns null while a box is still empty and refuses a canvas that is not 2:1', () => {
    expect(preprocessPair(box(200, 100, 20, 40), 200, 100)).toBeNull();
    expect(() => preprocessPair(new Uint8ClampedArray(200 * 200), 200, 200)).toThrow(/twice as wide/);
    expect(() => preprocessPair(new Uint8ClampedArray(10), 200, 100)).toThrow(/Expected 20000 pixels/);
  });
});
