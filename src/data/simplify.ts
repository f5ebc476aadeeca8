/**
 * Quick, Draw!'s simplification, applied to what the user draws on the canvas so the model sees input
 * like its training data: align the drawing to the top-left (min 0), scale uniformly so the longer side
 * spans 0..255, resample every stroke at 1 px spacing, Ramer–Douglas–Peucker with ε = 2, round to integers.
 * As in Google's data, RDP may drop a shallow extreme point, so a side can end at 253..254 instead of 255.
 */
import { COORD_MAX, type Drawing, type Stroke } from './strokes';

export const QUICKDRAW_RDP_EPSILON = 2;

interface Pt {
  x: number;
  y: number;
}

function toPoints([xs, ys]: Stroke): Pt[] {
  const n = Math.min(xs.length, ys.length);
  const pts: Pt[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) pts.push({ x: xs[i], y: ys[i] });
  }
  return pts;
}

/** Shifts to min 0 and scales so the longer side spans 0..255 (a single dot stays at the origin). */
export function alignAndScale(strokes: Pt[][]): Pt[][] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of strokes) {
    for (const p of s) {
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x);
      maxY = Math.max(maxY, p.y);
    }
  }
  const extent = Math.max(maxX - minX, maxY - minY);
  const scale = extent > 0 ? COORD_MAX / extent : 1;
  return strokes.map((s) => s.map((p) => ({ x: (p.x - minX) * scale, y: (p.y - minY) * scale })));
}

/** Keeps every vertex and inserts evenly spaced points so no two neighbours are more than `spacing` apart. */
export function resample(stroke: Pt[], spacing = 1): Pt[] {
  if (stroke.length < 2) return stroke.slice();
  const out: Pt[] = [stroke[0]];
  for (let i = 1; i < stroke.length; i++) {
    const a = stroke[i - 1];
    const b = stroke[i];
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / spacing));
    for (let s = 1; s <= steps; s++) out.push({ x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps });
  }
  return out;
}

/** Distance from p to the segment a–b (to a itself when a = b, as for a closed stroke). */
export function segmentDistance(p: Pt, a: Pt, b: Pt): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Ramer–Douglas–Peucker: keeps the ends and every point farther than ε from the simplified polyline. */
export function rdp(stroke: Pt[], epsilon: number): Pt[] {
  if (stroke.length < 3) return stroke.slice();
  const keep = new Uint8Array(stroke.length);
  keep[0] = 1;
  keep[stroke.length - 1] = 1;
  // An explicit stack: a long stroke would otherwise recurse once per kept point.
  const stack: [number, number][] = [[0, stroke.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let worst = -1;
    let worstDist = epsilon;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance(stroke[i], stroke[first], stroke[last]);
      if (d > worstDist) {
        worstDist = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  return stroke.filter((_, i) => keep[i] === 1);
}

function roundCoord(v: number): number {
  return Math.min(COORD_MAX, Math.max(0, Math.round(v)));
}

/**
 * Canvas strokes (any coordinates, floats allowed; [xs, ys] per stroke) → Quick Draw simplified strokes
 * with integer coordinates 0..255. Empty strokes and non-finite points are dropped; no points → [].
 */
export function simplifyDrawing(strokes: Drawing, epsilon = QUICKDRAW_RDP_EPSILON): Drawing {
  const raw = strokes.map(toPoints).filter((s) => s.length > 0);
  if (raw.length === 0) return [];
  return alignAndScale(raw).map((s) => {
    const kept = rdp(resample(s, 1), epsilon);
    return [kept.map((p) => roundCoord(p.x)), kept.map((p) => roundCoord(p.y))] as Stroke;
  });
}

/** More points than any hand drawing has: a bigger payload is refused, not simplified. */
const MAX_CANVAS_POINTS = 50_000;

/** Refuses anything but a list of [xs, ys] number lists of a sane size. */
export function checkCanvasStrokes(strokes: unknown): Drawing {
  if (!Array.isArray(strokes)) throw new Error('The drawing must be a list of strokes');
  let points = 0;
  for (const stroke of strokes) {
    if (!Array.isArray(stroke) || !Array.isArray(stroke[0]) || !Array.isArray(stroke[1])) {
      throw new Error('Each stroke must be a pair [xs, ys] of coordinate lists');
    }
    points += (stroke[0] as unknown[]).length;
  }
  if (points > MAX_CANVAS_POINTS) throw new Error(`The drawing has ${points} points; at most ${MAX_CANVAS_POINTS} are read`);
  return strokes as Drawing;
}

/** What the BiGRU reads of canvas strokes (checked, then simplified as Quick Draw's data was); [] when nothing is drawn. */
export function simplifyCanvasStrokes(strokes: unknown): Drawing {
  return simplifyDrawing(checkCanvasStrokes(strokes));
}
