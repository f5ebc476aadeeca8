import { describe, expect, it } from 'vitest';
import { featureMapToRgba } from './feature-image';

describe('featureMapToRgba', () => {
  it('scales one map by its own maximum to gray levels, opaque', () => {
    const values = Float32Array.from([9, 9, 0, 1, 2, 4]);
    const rgba = featureMapToRgba(values, 2, 4);
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 64, 64, 64, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it('leaves a silent map black', () => {
    expect(Array.from(featureMapToRgba(new Float32Array(2), 0, 2))).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
  });
});
