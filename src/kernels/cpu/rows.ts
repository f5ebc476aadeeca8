import type { FloatArray } from '../backend';

/** out[r, c] = x[r, c] + bias[c]; out may alias x. */
export function addRowVectorInto(
  x: FloatArray, bias: FloatArray, out: FloatArray, rows: number, cols: number,
): void {
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) out[o + c] = x[o + c] + bias[c];
  }
}

/**
 * out[c] (+)= Σ_r x[r, c]. Sums run row by row into `out` so the reads stay sequential; with
 * accumulate=false out is cleared first.
 */
export function sumRowsInto(
  x: FloatArray, out: FloatArray, rows: number, cols: number, accumulate: boolean,
): void {
  if (!accumulate) out.fill(0, 0, cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) out[c] += x[o + c];
  }
}

/** out[r] = first index of the row maximum; NaNs are passed over in favour of any number. */
export function argmaxRowsInto(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    let best = 0;
    let bestValue = x[o];
    for (let c = 1; c < cols; c++) {
      const v = x[o + c];
      if (v > bestValue || (bestValue !== bestValue && v === v)) {
        best = c;
        bestValue = v;
      }
    }
    out[r] = best;
  }
}

/** Σ x², accumulated in float64. */
export function sumSquaresOf(x: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}
