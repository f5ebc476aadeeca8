import { describe, expect, it } from 'vitest';
import { Rng } from '../kernels/rng';
import { StrokeSwapper } from './stroke-order';

/** Stroke-3 rows from absolute points [x, y, pen]. */
function rowsOf(points: number[][]): Float32Array {
  const rows = new Float32Array(3 * points.length);
  let px = 0, py = 0;
  points.forEach(([x, y, pen], t) => {
    rows.set([x - px, y - py, pen], 3 * t);
    px = x;
    py = y;
  });
  return rows;
}

/** Absolute points [x, y, pen] of stroke-3 rows. */
function pointsOf(rows: Float32Array, len = rows.length / 3): number[][] {
  const out: number[][] = [];
  let x = 0, y = 0;
  for (let t = 0; t < len; t++) {
    x += rows[3 * t];
    y += rows[3 * t + 1];
    out.push([x, y, rows[3 * t + 2]]);
  }
  return out;
}

/** A stroke of 3 points, one of 2, one of 1, then a stroke cut by max_len (no pen lift). */
const DRAWING = [[0, 0, 0], [1, 0, 0], [2, 0, 1], [5, 5, 0], [5, 7, 1], [9, 1, 1], [9, 9, 0], [8, 9, 0]];
const A = DRAWING.slice(0, 3), B = DRAWING.slice(3, 5), C = DRAWING.slice(5, 6), TAIL = DRAWING.slice(6);

/** An Rng whose draws are all `value` (below the probability: swap; above: keep), counting them. */
function fixedRng(values: number[]): Rng & { draws: number } {
  const rng = Object.assign(new Rng(1), { draws: 0 });
  rng.next = () => values[rng.draws++ % values.length];
  return rng;
}

describe('StrokeSwapper', () => {
  it('carries a stroke down the drawing when every pair swaps; the cut tail stays last', () => {
    const rows = rowsOf(DRAWING), rng = fixedRng([0]);
    new StrokeSwapper(10).apply(rows, 0, DRAWING.length, 0.5, rng);
    expect(pointsOf(rows)).toEqual([...B, ...C, ...A, ...TAIL]);
    // One draw per pair of finished strokes.
    expect(rng.draws).toBe(2);
  });

  it('swaps only the pairs whose draw falls under the probability, at any offset in a batch', () => {
    const padding = [7, 7, 7];
    const rows = Float32Array.from([...padding, ...rowsOf(DRAWING), ...padding]);
    new StrokeSwapper(10).apply(rows, 3, DRAWING.length, 0.5, fixedRng([0.9, 0.1]));
    expect(pointsOf(rows.subarray(3, 3 + 3 * DRAWING.length))).toEqual([...A, ...C, ...B, ...TAIL]);
    expect(Array.from(rows.subarray(0, 3))).toEqual(padding);
    expect(Array.from(rows.subarray(3 + 3 * DRAWING.length))).toEqual(padding);
  });

  it('leaves a drawing alone at probability 0, with one stroke, or none finished', () => {
    const swapper = new StrokeSwapper(10);
    for (const drawing of [DRAWING, A, TAIL]) {
      const rows = rowsOf(drawing), copy = rows.slice();
      swapper.apply(rows, 0, drawing.length, drawing === DRAWING ? 0 : 1, new Rng(3));
      expect(rows).toEqual(copy);
    }
  });

  it('keeps every point of a random drawing where it was drawn, in strokes of the same points', () => {
    const rng = new Rng(11), swapper = new StrokeSwapper(60);
    for (let trial = 0; trial < 50; trial++) {
      const len = 1 + Math.floor(rng.next() * 60);
      const drawing = Array.from({ length: len }, () => [Math.floor(rng.next() * 256), Math.floor(rng.next() * 256), rng.next() < 0.2 ? 1 : 0]);
      const rows = rowsOf(drawing);
      swapper.apply(rows, 0, len, 0.5, rng);
      const after = pointsOf(rows);
      const strokesOf = (points: number[][]) => {
        const out: string[] = [];
        let current = '';
        points.forEach(([x, y, pen]) => {
          current += `${x},${y};`;
          if (pen === 1) {
            out.push(current);
            current = '';
          }
        });
        return { done: out.sort(), tail: current };
      };
      expect(strokesOf(after)).toEqual(strokesOf(drawing));
      expect(after.length).toBe(len);
    }
  });

  it('refuses a drawing longer than it was sized for', () => {
    expect(() => new StrokeSwapper(4).apply(rowsOf(DRAWING), 0, DRAWING.length, 0.5, new Rng(1)))
      .toThrow(/a drawing of 8 points does not fit a stroke swapper for 4/);
  });
});
