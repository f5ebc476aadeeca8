import { describe, expect, it } from 'vitest';
import { weightsToRgba } from './weights-image';

describe('weightsToRgba', () => {
  it('maps the largest positive weight to red, the most negative to blue and zero to white', () => {
    const w = Float32Array.from([9, 9, -2, 0, 1]);
    const rgba = Array.from(weightsToRgba(w, 2, 3));
    expect(rgba.slice(0, 4)).toEqual([0, 0, 255, 255]);
    expect(rgba.slice(4, 8)).toEqual([255, 255, 255, 255]);
    expect(rgba.slice(8, 12)).toEqual([255, 128, 128, 255]);
  });

  it('draws an all-zero unit white', () => {
    expect(Array.from(weightsToRgba(new Float32Array(2), 0, 2))).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
  });
});
