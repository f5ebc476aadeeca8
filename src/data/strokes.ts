/**
 * Drawings in Quick, Draw! simplified format (strokes `[[xs], [ys]]`, integers 0..255) and their stroke-3
 * form of docs/weights.md (stroke encoding): per point (dx, dy) from the previous point (the first from (0, 0)) and p = 1 on the
 * last point of each stroke, computed on the whole drawing before any truncation.
 */
import type { SequenceSet } from './types';

export type Stroke = [xs: number[], ys: number[]];
export type Drawing = Stroke[];

export const COORD_MAX = 255;

export type DrawingCheck = { ok: true; drawing: Drawing; points: number } | { ok: false; reason: string };

function checkCoords(values: unknown[], axis: 'x' | 'y', strokeNo: number): string | null {
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      return `stroke ${strokeNo}, point ${j + 1}: ${axis} = ${JSON.stringify(v)} is not an integer`;
    }
    if (v < 0 || v > COORD_MAX) return `stroke ${strokeNo}, point ${j + 1}: ${axis} = ${v} is outside 0..${COORD_MAX}`;
  }
  return null;
}

function checkStroke(stroke: unknown, strokeNo: number): string | null {
  if (!Array.isArray(stroke) || stroke.length < 2 || !Array.isArray(stroke[0]) || !Array.isArray(stroke[1])) {
    return `stroke ${strokeNo} is not a pair [xs, ys] of coordinate lists`;
  }
  const [xs, ys] = stroke as [unknown[], unknown[]];
  if (xs.length !== ys.length) return `stroke ${strokeNo} has ${xs.length} x values but ${ys.length} y values`;
  if (xs.length === 0) return `stroke ${strokeNo} is empty`;
  return checkCoords(xs, 'x', strokeNo) ?? checkCoords(ys, 'y', strokeNo);
}

/** Checks a value is a drawing in simplified format; on failure says what is wrong, for counting and messages. */
export function checkDrawing(value: unknown): DrawingCheck {
  if (!Array.isArray(value)) return { ok: false, reason: 'the drawing is not a list of strokes' };
  if (value.length === 0) return { ok: false, reason: 'the drawing has no strokes' };
  let points = 0;
  for (let i = 0; i < value.length; i++) {
    const problem = checkStroke(value[i], i + 1);
    if (problem) return { ok: false, reason: problem };
    points += (value[i] as Stroke)[0].length;
  }
  const drawing = (value as Stroke[]).map((s) => [s[0], s[1]] as Stroke);
  return { ok: true, drawing, points };
}

export function pointCount(drawing: Drawing): number {
  let n = 0;
  for (const [xs] of drawing) n += xs.length;
  return n;
}

/**
 * Writes every point of `drawing` as raw stroke-3 at point `at`: deltas[2k], deltas[2k+1] = dx, dy and
 * pens[k] = p. The caller sized the arrays (pointCount points from `at`). Returns the points written.
 */
export function writeRawStroke3(drawing: Drawing, deltas: Int16Array, pens: Uint8Array, at: number): number {
  let k = at;
  let px = 0;
  let py = 0;
  for (const [xs, ys] of drawing) {
    for (let j = 0; j < xs.length; j++) {
      deltas[2 * k] = xs[j] - px;
      deltas[2 * k + 1] = ys[j] - py;
      pens[k] = j === xs.length - 1 ? 1 : 0;
      px = xs[j];
      py = ys[j];
      k++;
    }
  }
  return k - at;
}

/**
 * The model input of one drawing (docs/weights.md, stroke encoding): `data` is [maxLen, 3] rows (dx/s, dy/s, p), the first
 * `length` = min(points, maxLen) filled and the rest zero. Refuses a drawing with no points or one that
 * is not in simplified format.
 */
export function encodeStroke3(drawing: Drawing, maxLen: number, deltaScale = 1): { data: Float32Array; length: number } {
  if (!(Number.isInteger(maxLen) && maxLen > 0)) throw new Error(`max_len must be a positive integer, got ${maxLen}`);
  if (!(deltaScale > 0)) throw new Error(`delta_scale must be positive, got ${deltaScale}`);
  if (pointCount(drawing) === 0) throw new Error('The drawing has no points: draw something first');
  const check = checkDrawing(drawing);
  if (!check.ok) throw new Error(`The drawing cannot be used as input: ${check.reason}`);
  const n = check.points;
  const deltas = new Int16Array(2 * n);
  const pens = new Uint8Array(n);
  writeRawStroke3(check.drawing, deltas, pens, 0);
  const data = new Float32Array(maxLen * 3);
  const length = fillRows(deltas, pens, 0, n, maxLen, deltaScale, data, 0);
  return { data, length };
}

/** Writes min(n, maxLen) rows from raw points [start, start+n) into out at `offset`, zeroing the rest. */
function fillRows(
  deltas: Int16Array,
  pens: Uint8Array,
  start: number,
  n: number,
  maxLen: number,
  deltaScale: number,
  out: Float32Array,
  offset: number,
): number {
  const length = Math.min(n, maxLen);
  const inv = 1 / deltaScale;
  for (let t = 0; t < length; t++) {
    const k = start + t;
    out[offset + 3 * t] = deltas[2 * k] * inv;
    out[offset + 3 * t + 1] = deltas[2 * k + 1] * inv;
    out[offset + 3 * t + 2] = pens[k];
  }
  out.fill(0, offset + 3 * length, offset + 3 * maxLen);
  return length;
}

/**
 * Batch-time encoding without allocation: writes drawing `index` of `set` as [maxLen, 3] rows at
 * `out[offset …]` (zero-padded) and returns its length (steps before padding).
 */
export function fillStroke3(
  set: SequenceSet,
  index: number,
  maxLen: number,
  deltaScale: number,
  out: Float32Array,
  offset = 0,
): number {
  if (!(index >= 0 && index < set.count)) throw new Error(`Drawing index ${index} is outside 0..${set.count - 1}`);
  const start = set.offsets[index];
  return fillRows(set.deltas, set.pens, start, set.offsets[index + 1] - start, maxLen, deltaScale, out, offset);
}

/** Rebuilds absolute strokes from raw stroke-3 points [start, start+n) (for previews). */
export function decodeStrokes(deltas: Int16Array, pens: Uint8Array, start = 0, n = pens.length - start): Drawing {
  const drawing: Drawing = [];
  let stroke: Stroke = [[], []];
  let x = 0;
  let y = 0;
  for (let k = start; k < start + n; k++) {
    x += deltas[2 * k];
    y += deltas[2 * k + 1];
    stroke[0].push(x);
    stroke[1].push(y);
    if (pens[k] === 1) {
      drawing.push(stroke);
      stroke = [[], []];
    }
  }
  if (stroke[0].length > 0) drawing.push(stroke);
  return drawing;
}

/** Drawing `index` of a set as absolute strokes. */
export function drawingAt(set: SequenceSet, index: number): Drawing {
  if (!(index >= 0 && index < set.count)) throw new Error(`Drawing index ${index} is outside 0..${set.count - 1}`);
  const start = set.offsets[index];
  return decodeStrokes(set.deltas, set.pens, start, set.offsets[index + 1] - start);
}

/** The drawing flipped left–right on the 0..255 canvas (x → 255 − x): the same animal facing the other way. */
export function mirrorDrawing(drawing: Drawing): Drawing {
  return drawing.map(([xs, ys]): Stroke => [xs.map((x) => COORD_MAX - x), ys.slice()]);
}

/**
 * The mirror rule on pen moves (mirrorDrawing's x → 255 − x, seen from the moves), in place: a
 * drawing's first move starts from (0, 0), so its dx (the first point's x) becomes 255 − dx; every
 * other move's dx changes sign. `count` moves of `stride` values each (dx first) from `from`;
 * `scale` is the coordinates' divisor (stroke-3 rows hold dx/s). Training, evaluation and the page
 * all mirror through this one rule.
 */
export function mirrorMoves(moves: Int16Array | Float32Array, from: number, count: number, stride: number, scale = 1): void {
  if (count === 0) return;
  moves[from] = COORD_MAX / scale - moves[from];
  for (let t = 1; t < count; t++) moves[from + t * stride] = -moves[from + t * stride];
}

/** Every drawing of a set flipped left–right (mirrorMoves on each). Same order, lengths and labels. */
export function mirrorSequenceSet(set: SequenceSet): SequenceSet {
  const deltas = set.deltas.slice();
  for (let i = 0; i < set.count; i++) {
    const first = set.offsets[i];
    mirrorMoves(deltas, 2 * first, set.offsets[i + 1] - first, 2);
  }
  return { ...set, deltas };
}
