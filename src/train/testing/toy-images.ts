import type { ImageSet } from '../../data/types';
import { Rng } from '../../kernels/rng';

/** Learnable toy images: class = which quarter of the rows is brightest (side 4: flat [16] inputs). */
export function toyImages(count: number, seed: number, side: number): ImageSet {
  const rng = new Rng(seed);
  const n = side * side;
  const pixels = new Uint8Array(count * n);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng.int(4);
    for (let j = 0; j < n; j++) pixels[i * n + j] = rng.int(120) + (Math.floor((4 * j) / n) === labels[i] ? 120 : 0);
  }
  return { inputShape: side === 4 ? [16] : [side, side], classes: ['a', 'b', 'c', 'd'], count, pixels, labels };
}
