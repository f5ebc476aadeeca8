import { describe, expect, it } from 'vitest';
import { digitConfusions, isPairsDataset, preprocessPair } from './pairs';

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

describe('digitConfusions', () => {
  it('folds the 100×100 confusion into tens and ones', () => {
    const confusion = Array.from({ length: 100 }, () => new Array<number>(100).fill(0));
    confusion[42][42] = 5; // both right
    confusion[42][47] = 2; // tens right, ones wrong
    confusion[17][71] = 1; // both wrong
    const { tens, ones } = digitConfusions(confusion);
    expect(tens[4][4]).toBe(7);
    expect(tens[1][7]).toBe(1);
    expect(ones[2][2]).toBe(5);
    expect(ones[2][7]).toBe(2);
    expect(ones[7][1]).toBe(1);
  });

  it('knows the paired datasets', () => {
    expect(isPairsDataset('mnist-pairs-mnist-bundled-0')).toBe(true);
    expect(isPairsDataset('mnist-bundled')).toBe(false);
  });
});
