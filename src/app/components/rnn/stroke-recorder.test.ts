import { describe, expect, it } from 'vitest';
import { StrokeRecorder } from './stroke-recorder';

describe('StrokeRecorder', () => {
  it('records one [xs, ys] per pen-down … pen-up, without repeated or non-finite points', () => {
    const r = new StrokeRecorder();
    expect(r.hasInk).toBe(false);
    expect(r.end()).toBe(false);
    r.begin(1, 2);
    expect(r.add(1, 2)).toBe(false);
    expect(r.add(3, 4.5)).toBe(true);
    expect(r.add(Number.NaN, 4)).toBe(false);
    expect(r.drawing).toBe(true);
    expect(r.strokes).toEqual([]);
    expect(r.end()).toBe(true);
    r.begin(10, 10);
    expect(r.end()).toBe(true);
    expect(r.strokes).toEqual([[[1, 3], [2, 4.5]], [[10], [10]]]);
    expect(r.add(5, 5)).toBe(false);
  });

  it('hands out copies and forgets everything on clear', () => {
    const r = new StrokeRecorder();
    r.begin(0, 0);
    r.add(1, 1);
    r.end();
    r.strokes[0][0].push(99);
    expect(r.strokes).toEqual([[[0, 1], [0, 1]]]);
    r.clear();
    expect(r.hasInk).toBe(false);
    expect(r.strokes).toEqual([]);
  });
});
