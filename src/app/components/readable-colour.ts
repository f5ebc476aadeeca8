/**
 * Heat-map cells carry text, so each cell's text colour is chosen against the cell's actual
 * background (WCAG 1.4.3 asks 4.5:1 for small text). Black or white always reaches 4.5:1 on an
 * opaque colour: their contrasts cross at a relative luminance of ~0.18, where both are ~4.6.
 */
export type Rgb = readonly [number, number, number];

/** `colour` laid at `alpha` over white, as an opaque colour (what the eye, and a contrast checker, sees). */
export function overWhite(colour: Rgb, alpha: number): Rgb {
  const mix = (c: number) => Math.round(255 - (255 - c) * alpha);
  return [mix(colour[0]), mix(colour[1]), mix(colour[2])];
}

/** WCAG relative luminance of an sRGB colour (0 = black, 1 = white). */
export function relativeLuminance(colour: Rgb): number {
  const linear = colour.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/** Black or white, whichever reads better on `background`. */
export function textOn(background: Rgb): '#000' | '#fff' {
  return contrastRatio(background, BLACK) >= contrastRatio(background, WHITE) ? '#000' : '#fff';
}

export const cssRgb = (c: Rgb): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
