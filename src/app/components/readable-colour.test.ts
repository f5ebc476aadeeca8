import { describe, expect, it } from 'vitest';
import { contrastRatio, overWhite, relativeLuminance, textOn, type Rgb } from './readable-colour';

describe('readable text on heat-map cells', () => {
  it('computes WCAG luminance and contrast (black on white is 21:1; #6b7487 on white 4.69:1)', () => {
    expect(relativeLuminance([255, 255, 255])).toBeCloseTo(1, 6);
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 6);
    expect(contrastRatio([0x6b, 0x74, 0x87], [255, 255, 255])).toBeCloseTo(4.69, 2);
  });

  it('lays a translucent colour over white', () => {
    expect(overWhite([0, 0, 0], 0.5)).toEqual([128, 128, 128]);
    expect(overWhite([14, 165, 233], 0)).toEqual([255, 255, 255]);
    expect(overWhite([14, 165, 233], 1)).toEqual([14, 165, 233]);
  });

  it('picks a text colour with at least 4.5:1 at every shade of the matrix hues', () => {
    const hues: Rgb[] = [[14, 165, 233], [239, 68, 68]];
    for (const hue of hues) {
      for (let alpha = 0; alpha <= 1.0001; alpha += 0.01) {
        const cell = overWhite(hue, alpha);
        const text: Rgb = textOn(cell) === '#000' ? [0, 0, 0] : [255, 255, 255];
        expect(contrastRatio(cell, text), `alpha ${alpha.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    expect(textOn([255, 255, 255])).toBe('#000');
    expect(textOn([3, 105, 161])).toBe('#fff');
  });
});
