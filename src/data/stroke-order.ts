/**
 * Stroke-order augmentation on stroke-3 rows (dx, dy, pen): people draw the same animal's parts in
 * different orders, so neighbouring strokes may trade places. Every point stays where it was drawn;
 * only the order the pen visits the strokes in changes, and with it the pen-up moves between them.
 */
import type { Rng } from '../kernels/rng';

/** Values per step: dx, dy, pen lifted after this point (1) or not (0). */
const STEP = 3;

/**
 * Swaps neighbouring strokes of one drawing in place. Scratch space is sized once for the longest
 * drawing (`maxLen` points), so a training epoch allocates nothing.
 */
export class StrokeSwapper {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  /** ends[k] = one past stroke k's last point; ends[0] = 0. */
  private readonly ends: Int32Array;
  private readonly order: Int32Array;

  constructor(readonly maxLen: number) {
    this.xs = new Float64Array(maxLen);
    this.ys = new Float64Array(maxLen);
    this.ends = new Int32Array(maxLen + 1);
    this.order = new Int32Array(maxLen);
  }

  /**
   * One pass over the finished strokes of rows [at, at + 3·len): each stroke trades places with the
   * one after it with `probability` (so a stroke can travel further down the drawing). A stroke cut
   * by max_len (no pen lift at its end) stays last. One draw of `rng` per pair of finished strokes.
   */
  apply(rows: Float32Array, at: number, len: number, probability: number, rng: Rng): void {
    if (len > this.maxLen) throw new Error(`a drawing of ${len} points does not fit a stroke swapper for ${this.maxLen}`);
    const strokes = this.readPoints(rows, at, len);
    const order = this.order;
    for (let k = 0; k < strokes; k++) order[k] = k;
    let swapped = false;
    for (let k = 0; k + 1 < strokes; k++) {
      if (rng.next() < probability) {
        const first = order[k];
        order[k] = order[k + 1];
        order[k + 1] = first;
        swapped = true;
      }
    }
    if (swapped) this.writeInOrder(rows, at, len, strokes);
  }

  /** Absolute points (in the rows' units) and stroke ends; returns the number of finished strokes. */
  private readPoints(rows: Float32Array, at: number, len: number): number {
    let x = 0, y = 0, strokes = 0;
    for (let t = 0; t < len; t++) {
      const i = at + t * STEP;
      x += rows[i];
      y += rows[i + 1];
      this.xs[t] = x;
      this.ys[t] = y;
      if (rows[i + 2] === 1) this.ends[++strokes] = t + 1;
    }
    return strokes;
  }

  /** Rewrites the rows as moves through the strokes in `order`, then the unfinished tail as it was. */
  private writeInOrder(rows: Float32Array, at: number, len: number, strokes: number): void {
    const { xs, ys, ends } = this;
    let px = 0, py = 0, o = at;
    for (let k = 0; k <= strokes; k++) {
      // k = strokes: the unfinished tail, in place.
      const from = k < strokes ? ends[this.order[k]] : ends[strokes];
      const to = k < strokes ? ends[this.order[k] + 1] : len;
      for (let t = from; t < to; t++, o += STEP) {
        rows[o] = xs[t] - px;
        rows[o + 1] = ys[t] - py;
        rows[o + 2] = k < strokes && t === to - 1 ? 1 : 0;
        px = xs[t];
        py = ys[t];
      }
    }
  }
}
