/**
 * The stroke-3 rows the network reads — (dx/s, dy/s, p) per step — turned back into strokes in
 * Quick Draw coordinates (0..255), so the page can redraw exactly what the network sees.
 */
import type { Drawing, Stroke } from '../../../data/strokes';

export function sequenceToDrawing(sequence: ArrayLike<number>, deltaScale: number): Drawing {
  if (sequence.length % 3 !== 0) throw new Error(`A stroke-3 sequence has 3 values per step, got ${sequence.length}`);
  const drawing: Drawing = [];
  let stroke: Stroke = [[], []];
  let x = 0;
  let y = 0;
  for (let i = 0; i < sequence.length; i += 3) {
    x += Math.round(sequence[i] * deltaScale);
    y += Math.round(sequence[i + 1] * deltaScale);
    stroke[0].push(x);
    stroke[1].push(y);
    if (sequence[i + 2] >= 0.5) {
      drawing.push(stroke);
      stroke = [[], []];
    }
  }
  // A truncated sequence ends inside a stroke.
  if (stroke[0].length > 0) drawing.push(stroke);
  return drawing;
}

/** "37 steps" or "100 steps (the first 100 of 142 points: max_len)". */
export function describeSteps(steps: number, points: number): string {
  const base = `${steps} step${steps === 1 ? '' : 's'}`;
  return points > steps ? `${base} (the first ${steps} of ${points} points: the rest is cut at max_len)` : base;
}
