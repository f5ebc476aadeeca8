import { hashUniform, type FloatArray } from '../backend';

/**
 * Inverted dropout with a counter-based mask: element i is kept iff hashUniform(seed, i) ≥ p,
 * and kept values are scaled by 1/(1−p). The rule is stated here because every backend must
 * reproduce it bit-for-bit to draw the same mask. p = 1 drops everything (mask 0, not NaN).
 */
export function dropoutInto(
  x: FloatArray, mask: FloatArray, out: FloatArray, n: number, p: number, seed: number,
): void {
  const keepScale = p >= 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < n; i++) {
    const m = hashUniform(seed, i) >= p ? keepScale : 0;
    mask[i] = m;
    out[i] = x[i] * m;
  }
}
