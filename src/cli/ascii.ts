/** Renders a grayscale image (0 = background, 255 = ink) as ASCII art, darker glyphs for more ink. */
const RAMP = ' .:-=+*#%@';

export function asciiArt(pixels: ArrayLike<number>, width: number, height: number): string {
  const lines: string[] = [];
  for (let y = 0; y < height; y++) {
    let line = '';
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      line += RAMP[Math.min(RAMP.length - 1, Math.floor((v / 256) * RAMP.length))];
    }
    lines.push(line.replace(/\s+$/, ''));
  }
  return lines.join('\n');
}

/** One line per class: label, probability and a bar. */
export function probabilityBars(classes: readonly string[], probs: ArrayLike<number>, width = 40): string {
  const labelWidth = Math.max(...classes.map((c) => c.length));
  return classes
    .map((c, i) => `${c.padStart(labelWidth)}  ${probs[i].toFixed(4)}  ${'█'.repeat(Math.round(probs[i] * width))}`)
    .join('\n');
}
