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

/**
 * A Quick Draw drawing (absolute strokes, coordinates 0..255) as `size`×`size` ASCII art: each
 * stroke's segments drawn as lines of '#', so a doodle stays readable in a terminal.
 */
export function drawingAscii(strokes: readonly (readonly [ArrayLike<number>, ArrayLike<number>])[], size = 32): string {
  const grid = Array.from({ length: size }, () => new Array<string>(size).fill(' '));
  const cell = (v: number) => Math.max(0, Math.min(size - 1, Math.floor((v / 256) * size)));
  for (const [xs, ys] of strokes) {
    for (let j = 0; j < xs.length; j++) {
      const [x0, y0] = j ? [xs[j - 1], ys[j - 1]] : [xs[j], ys[j]];
      plotLine(grid, cell(x0), cell(y0), cell(xs[j]), cell(ys[j]));
    }
  }
  return grid.map((row) => row.join('').replace(/\s+$/, '')).join('\n');
}

function plotLine(grid: string[][], x0: number, y0: number, x1: number, y1: number): void {
  const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
  for (let s = 0; s <= steps; s++) {
    const x = Math.round(x0 + ((x1 - x0) * s) / steps);
    const y = Math.round(y0 + ((y1 - y0) * s) / steps);
    grid[y][x] = '#';
  }
}
