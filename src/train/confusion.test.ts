import { describe, expect, it } from 'vitest';
import { digitConfusions } from './confusion';

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
    expect(tens.flat().reduce((a, b) => a + b, 0)).toBe(8);
  });
});
