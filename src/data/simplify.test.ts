import { describe, expect, it } from 'vitest';
import { readQuickDrawSampleDrawings } from '../train/testing/shared-data';
import { Rng } from '../kernels/rng';
import { checkCanvasStrokes, rdp, resample, segmentDistance, simplifyCanvasStrokes, simplifyDrawing } from './simplify';
import { checkDrawing, type Drawing } from './strokes';

const pts = (xy: number[][]) => xy.map(([x, y]) => ({ x, y }));

function bounds(d: Drawing) {
  const xs = d.flatMap((s) => s[0]);
  const ys = d.flatMap((s) => s[1]);
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

function distanceToPolyline(p: { x: number; y: number }, line: { x: number; y: number }[]): number {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) best = Math.min(best, segmentDistance(p, line[i - 1], line[i]));
  return best;
}

describe('simplifyDrawing (Quick Draw preprocessing)', () => {
  it('aligns to the top-left and scales so the longer side spans exactly 0..255, with integer output', () => {
    // A wide rectangle outline in canvas pixels (x 100..500, y 60..300) plus a diagonal inside it.
    const canvas: Drawing = [
      [
        [100, 500, 500, 100, 100],
        [60, 60, 300, 300, 60],
      ],
      [
        [150.5, 450.25],
        [100.7, 220.1],
      ],
    ];
    const out = simplifyDrawing(canvas);
    expect(checkDrawing(out).ok).toBe(true);
    expect(bounds(out)).toEqual({ minX: 0, maxX: 255, minY: 0, maxY: 153 }); // 240/400·255
    expect(out[0]).toEqual([
      [0, 255, 255, 0, 0],
      [0, 0, 153, 153, 0],
    ]);
  });

  it('scales a tall drawing by its height and keeps the aspect ratio', () => {
    const out = simplifyDrawing([[[10, 20, 10], [0, 500, 1000]]]);
    expect(bounds(out)).toEqual({ minX: 0, maxX: 3, minY: 0, maxY: 255 });
    expect(out[0][1]).toEqual([0, 128, 255]);
  });

  it('removes collinear points of a straight stroke, drops empty strokes, handles a single dot', () => {
    const line = Array.from({ length: 50 }, (_, i) => i * 3);
    expect(simplifyDrawing([[line, line.map((v) => 2 * v)], [[], []]])).toEqual([[[0, 128], [0, 255]]]);
    expect(simplifyDrawing([[[42], [17]]])).toEqual([[[0], [0]]]);
    expect(simplifyDrawing([])).toEqual([]);
    expect(simplifyDrawing([[[], []]])).toEqual([]);
  });

  it('re-simplifying real Quick Draw drawings keeps them in range and adds no points', () => {
    const drawings = readQuickDrawSampleDrawings('cat', 200);
    expect(drawings).toHaveLength(200);
    for (const drawing of drawings) {
      const out = simplifyDrawing(drawing);
      const b = bounds(out);
      expect(Math.min(b.minX, b.minY)).toBe(0);
      expect(Math.max(b.maxX, b.maxY)).toBeGreaterThanOrEqual(252);
      expect(Math.max(b.maxX, b.maxY)).toBeLessThanOrEqual(255);
      expect(out.length).toBe(drawing.length);
      out.forEach((s, i) => expect(s[0].length).toBeLessThanOrEqual(drawing[i][0].length));
    }
  });
});

describe('rdp and resample', () => {
  it('drops a bump within ε and keeps one beyond it', () => {
    expect(rdp(pts([[0, 0], [50, 1.9], [100, 0]]), 2)).toEqual(pts([[0, 0], [100, 0]]));
    expect(rdp(pts([[0, 0], [50, 2.1], [100, 0]]), 2)).toEqual(pts([[0, 0], [50, 2.1], [100, 0]]));
  });

  it('leaves every dropped point within ε of the simplified polyline (random walks)', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const walk = [{ x: 128, y: 128 }];
      for (let i = 0; i < 300; i++) {
        const last = walk[walk.length - 1];
        walk.push({ x: last.x + rng.normal() * 3, y: last.y + rng.normal() * 3 });
      }
      const kept = rdp(walk, 2);
      expect(kept.length).toBeLessThan(walk.length);
      expect(kept[0]).toEqual(walk[0]);
      expect(kept[kept.length - 1]).toEqual(walk[walk.length - 1]);
      for (const p of walk) expect(distanceToPolyline(p, kept)).toBeLessThanOrEqual(2 + 1e-9);
    }
  });

  it('resamples with at most 1 px between neighbours and keeps the vertices', () => {
    const out = resample(pts([[0, 0], [10, 0], [10, 3.5]]), 1);
    expect(out.length).toBe(1 + 10 + 4);
    for (let i = 1; i < out.length; i++) expect(Math.hypot(out[i].x - out[i - 1].x, out[i].y - out[i - 1].y)).toBeLessThanOrEqual(1 + 1e-9);
    expect(out).toContainEqual({ x: 10, y: 0 });
    expect(out[out.length - 1]).toEqual({ x: 10, y: 3.5 });
  });
});

describe('canvas strokes', () => {
  it('accepts only lists of [xs, ys] strokes of a sane size', () => {
    expect(checkCanvasStrokes([[[1], [2]]])).toEqual([[[1], [2]]]);
    expect(() => checkCanvasStrokes({})).toThrow(/list of strokes/);
    expect(() => checkCanvasStrokes([[1, 2]])).toThrow(/pair \[xs, ys\]/);
    expect(() => checkCanvasStrokes([[new Array(60_000).fill(1), new Array(60_000).fill(1)]])).toThrow(/at most 50000/);
  });

  it('reads them as simplifyDrawing does after the check; nothing drawn gives []', () => {
    const canvas: Drawing = [[[10, 200, 390], [20, 180, 30]]];
    expect(simplifyCanvasStrokes(canvas)).toEqual(simplifyDrawing(canvas));
    expect(simplifyCanvasStrokes([[[], []]])).toEqual([]);
    expect(() => simplifyCanvasStrokes('nope')).toThrow(/list of strokes/);
  });
});
