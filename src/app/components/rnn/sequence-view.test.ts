import { describe, expect, it } from 'vitest';
import { encodeStroke3, type Drawing } from '../../../data/strokes';
import { describeSteps, sequenceToDrawing } from './sequence-view';

describe('sequenceToDrawing', () => {
  it('redraws exactly the drawing the stroke-3 rows encode', () => {
    const drawing: Drawing = [[[10, 50, 90], [20, 20, 60]], [[0], [255]], [[200, 255], [0, 7]]];
    const { data, length } = encodeStroke3(drawing, 50, 20);
    expect(sequenceToDrawing(data.subarray(0, 3 * length), 20)).toEqual(drawing);
  });

  it('ends a truncated sequence inside its last stroke and refuses a ragged one', () => {
    const drawing: Drawing = [[[0, 10, 20, 30], [0, 0, 0, 0]]];
    const { data, length } = encodeStroke3(drawing, 3, 5);
    expect(length).toBe(3);
    expect(sequenceToDrawing(data.subarray(0, 9), 5)).toEqual([[[0, 10, 20], [0, 0, 0]]]);
    expect(() => sequenceToDrawing([1, 2], 1)).toThrow(/3 values per step/);
  });

  it('says how many steps the network reads, and when max_len cut the drawing', () => {
    expect(describeSteps(1, 1)).toBe('1 step');
    expect(describeSteps(37, 37)).toBe('37 steps');
    expect(describeSteps(100, 142)).toMatch(/^100 steps \(the first 100 of 142 points/);
  });
});
