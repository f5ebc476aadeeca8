import { describe, expect, it } from 'vitest';
import type { RnnStepPredictions } from '../../../../workers/api';
import { finalTopClasses, stepRows, strokeOfStep, topAtStep } from './steps-view';

// 3 steps × 4 classes; the first stroke ends at step 2.
const RESULT: RnnStepPredictions = {
  steps: 3,
  classCount: 4,
  probs: Float32Array.from([0.7, 0.1, 0.1, 0.1, 0.2, 0.5, 0.2, 0.1, 0.1, 0.2, 0.6, 0.1]),
  sequence: new Float32Array(9),
  deltaScale: 20,
  strokeEnds: [2, 3],
};

describe('steps view', () => {
  it('charts the final top classes per step', () => {
    expect(finalTopClasses(RESULT, 3)).toEqual([2, 1, 0]);
    const rows = stepRows(RESULT, [2, 1]);
    expect(rows).toHaveLength(3);
    expect(rows[0].step).toBe(1);
    expect(rows[0].c0).toBeCloseTo(0.1);
    expect(rows[1].c1).toBeCloseTo(0.5);
    expect(rows[2].c0).toBeCloseTo(0.6);
  });

  it('names the leading class and the stroke of a step', () => {
    expect(topAtStep(RESULT, 1).classIndex).toBe(0);
    expect(topAtStep(RESULT, 2)).toEqual({ classIndex: 1, prob: expect.closeTo(0.5) });
    expect([1, 2, 3].map((t) => strokeOfStep(RESULT, t))).toEqual([1, 1, 2]);
  });
});
