import { describe, expect, it } from 'vitest';
import { settledStep, topAtStep } from './step-readings';
import type { RnnStepPredictions } from './types';

/** Three steps over two classes: class 1 leads, then class 0, then class 0 again. */
const RESULT: RnnStepPredictions = {
  steps: 3, classCount: 2, probs: Float32Array.of(0.4, 0.6, 0.7, 0.3, 0.9, 0.1),
  sequence: new Float32Array(9), deltaScale: 1, strokeEnds: [3],
};

describe('step readings', () => {
  it('reads the leading class after each step', () => {
    expect([1, 2, 3].map((t) => topAtStep(RESULT, t).classIndex)).toEqual([1, 0, 0]);
    expect(topAtStep(RESULT, 3).prob).toBeCloseTo(0.9, 6);
  });

  it('finds the step from which the final answer leads to the end', () => {
    expect(settledStep(RESULT)).toBe(2);
    expect(settledStep({ ...RESULT, probs: Float32Array.of(0.9, 0.1, 0.7, 0.3, 0.6, 0.4) })).toBe(1);
    expect(settledStep({ ...RESULT, probs: Float32Array.of(0.9, 0.1, 0.7, 0.3, 0.4, 0.6) })).toBe(3);
  });
});
