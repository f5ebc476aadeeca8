import { describe, expect, it } from 'vitest';
import { SequenceBuilder } from './quickdraw-shard';
import {
  checkDrawing, decodeStrokes, drawingAt, encodeStroke3, fillStroke3, mirrorDrawing, mirrorSequenceSet, writeRawStroke3, type Drawing,
} from './strokes';

// Points (10,5) (20,5) (25,15) | (30,40) (30,50): two strokes.
const DRAWING: Drawing = [
  [
    [10, 20, 25],
    [5, 5, 15],
  ],
  [
    [30, 30],
    [40, 50],
  ],
];

function rows(data: Float32Array, n: number): number[][] {
  return Array.from({ length: n }, (_, t) => Array.from(data.subarray(3 * t, 3 * t + 3)));
}

describe('checkDrawing', () => {
  it('accepts a simplified drawing and counts its points', () => {
    expect(checkDrawing(DRAWING)).toEqual({ ok: true, drawing: DRAWING, points: 5 });
  });

  it.each([
    ['not an array', { strokes: [] }, 'the drawing is not a list of strokes'],
    ['no strokes', [], 'the drawing has no strokes'],
    ['an empty stroke', [[[1], [2]], [[], []]], 'stroke 2 is empty'],
    ['a stroke that is not [xs, ys]', [[1, 2]], 'stroke 1 is not a pair [xs, ys] of coordinate lists'],
    ['unequal lengths', [[[1, 2], [3]]], 'stroke 1 has 2 x values but 1 y values'],
    ['x above 255', [[[1, 256], [3, 4]]], 'stroke 1, point 2: x = 256 is outside 0..255'],
    ['negative y', [[[1], [-1]]], 'stroke 1, point 1: y = -1 is outside 0..255'],
    ['a fraction', [[[1.5], [1]]], 'stroke 1, point 1: x = 1.5 is not an integer'],
    ['a string coordinate', [[['1'], [1]]], 'stroke 1, point 1: x = "1" is not an integer'],
  ])('refuses %s with a reason', (_what, value, reason) => {
    expect(checkDrawing(value)).toEqual({ ok: false, reason });
  });
});

describe('encodeStroke3 (docs/weights.md, stroke encoding)', () => {
  it('matches the hand-computed sequence: deltas from (0,0), p on stroke ends, scaled, zero-padded', () => {
    const { data, length } = encodeStroke3(DRAWING, 7, 2);
    expect(length).toBe(5);
    expect(data.length).toBe(21);
    expect(rows(data, 7)).toEqual([
      [5, 2.5, 0],
      [5, 0, 0],
      [2.5, 5, 1],
      [2.5, 12.5, 0],
      [0, 5, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('keeps the first L points with p computed before truncation', () => {
    const four = encodeStroke3(DRAWING, 4);
    expect(four.length).toBe(4);
    // Point 4 is mid-stroke: its p stays 0 although it is the last kept point.
    expect(rows(four.data, 4)).toEqual([
      [10, 5, 0],
      [10, 0, 0],
      [5, 10, 1],
      [5, 25, 0],
    ]);
    expect(rows(encodeStroke3(DRAWING, 3).data, 3)[2]).toEqual([5, 10, 1]);
  });

  it('refuses a drawing without points and bad parameters', () => {
    expect(() => encodeStroke3([], 10)).toThrow('The drawing has no points');
    expect(() => encodeStroke3([[[], []]], 10)).toThrow('The drawing has no points');
    expect(() => encodeStroke3([[[300], [1]]], 10)).toThrow('x = 300 is outside 0..255');
    expect(() => encodeStroke3(DRAWING, 0)).toThrow('max_len');
    expect(() => encodeStroke3(DRAWING, 5, 0)).toThrow('delta_scale');
  });
});

describe('raw stroke-3 and back', () => {
  it('writes int deltas and pen bits and decodes them to the same strokes', () => {
    const deltas = new Int16Array(10);
    const pens = new Uint8Array(5);
    expect(writeRawStroke3(DRAWING, deltas, pens, 0)).toBe(5);
    expect(Array.from(deltas)).toEqual([10, 5, 10, 0, 5, 10, 5, 25, 0, 10]);
    expect(Array.from(pens)).toEqual([0, 0, 1, 0, 1]);
    expect(decodeStrokes(deltas, pens)).toEqual(DRAWING);
    // A truncated sequence still ends its last (unfinished) stroke.
    expect(decodeStrokes(deltas, pens, 0, 4)).toEqual([DRAWING[0], [[30], [40]]]);
  });

  it('fillStroke3 writes drawing i of a set into a batch slot and zeroes the rest of the slot', () => {
    const b = new SequenceBuilder();
    b.addDrawing([[[1, 2], [1, 3]]], 2, 0);
    b.addDrawing(DRAWING, 5, 1);
    const set = b.toSet(['a', 'b']);
    expect(drawingAt(set, 1)).toEqual(DRAWING);
    const out = new Float32Array(2 * 4 * 3).fill(9);
    expect(fillStroke3(set, 1, 4, 1, out, 12)).toBe(4);
    expect(fillStroke3(set, 0, 4, 1, out, 0)).toBe(2);
    expect(rows(out, 8)).toEqual([
      [1, 1, 0],
      [1, 2, 1],
      [0, 0, 0],
      [0, 0, 0],
      [10, 5, 0],
      [10, 0, 0],
      [5, 10, 1],
      [5, 25, 0],
    ]);
    const single = encodeStroke3(DRAWING, 4);
    expect(Array.from(out.subarray(12))).toEqual(Array.from(single.data));
    expect(() => fillStroke3(set, 2, 4, 1, out)).toThrow('outside 0..1');
  });
});

describe('mirroring', () => {
  it('flips x on the canvas and keeps y', () => {
    expect(mirrorDrawing(DRAWING)).toEqual([
      [[245, 235, 230], [5, 5, 15]],
      [[225, 225], [40, 50]],
    ]);
    expect(mirrorDrawing(mirrorDrawing(DRAWING))).toEqual(DRAWING);
  });

  it('a mirrored set holds the mirrored drawings, in order, with their labels', () => {
    const b = new SequenceBuilder();
    b.addDrawing([[[1, 2], [1, 3]]], 2, 0);
    b.addDrawing(DRAWING, 5, 1);
    const set = b.toSet(['a', 'b']);
    const mirrored = mirrorSequenceSet(set);
    expect(drawingAt(mirrored, 0)).toEqual([[[254, 253], [1, 3]]]);
    expect(drawingAt(mirrored, 1)).toEqual(mirrorDrawing(DRAWING));
    expect(Array.from(mirrored.labels)).toEqual([0, 1]);
    expect(Array.from(mirrored.pens)).toEqual(Array.from(set.pens));
    expect(drawingAt(set, 1)).toEqual(DRAWING); // the source set is untouched
  });
});
