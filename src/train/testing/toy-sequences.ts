import type { SequenceSet } from '../../data/types';
import { Rng } from '../../kernels/rng';

/**
 * Learnable toy drawings: class 0 strokes go right (dx = +step), class 1 go down (dy = +step),
 * class 2 go diagonally; lengths vary from 2 to `maxPoints` so batches need padding.
 */
export function toySequences(count: number, seed: number, maxPoints = 14): SequenceSet {
  const rng = new Rng(seed);
  const lengths = Array.from({ length: count }, () => 2 + rng.int(maxPoints - 1));
  const offsets = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i] + lengths[i];
  const total = offsets[count];
  const deltas = new Int16Array(2 * total);
  const pens = new Uint8Array(total);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = (labels[i] = rng.int(3));
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const step = 3 + rng.int(5);
      deltas[2 * k] = label === 1 ? rng.int(3) - 1 : step;
      deltas[2 * k + 1] = label === 0 ? rng.int(3) - 1 : step;
      pens[k] = k === offsets[i + 1] - 1 || rng.int(4) === 0 ? 1 : 0;
    }
  }
  return { classes: ['right', 'down', 'diagonal'], count, offsets, deltas, pens, labels };
}
