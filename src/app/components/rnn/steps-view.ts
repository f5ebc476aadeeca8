/**
 * Shaping the BiGRU's step-by-step probabilities (RnnStepPredictions) for the chart and the
 * scrubber: rows per step for the top classes of the final prediction, and what step t says.
 */
import type { RnnStepPredictions } from '../../../../workers/api';

export { topAtStep } from '../../../train/inspect/step-readings';

/** One chart row: `step` (1-based) and the probability of each charted class under `c0`, `c1`, …. */
export type StepRow = { step: number } & Record<string, number>;

/** The `k` classes most likely after the last step, most likely first. */
export function finalTopClasses(result: RnnStepPredictions, k: number): number[] {
  const C = result.classCount, last = (result.steps - 1) * C;
  const order = Array.from({ length: C }, (_, c) => c);
  return order.sort((a, b) => result.probs[last + b] - result.probs[last + a]).slice(0, k);
}

export function stepRows(result: RnnStepPredictions, charted: number[]): StepRow[] {
  const C = result.classCount;
  return Array.from({ length: result.steps }, (_, t) => {
    const row: StepRow = { step: t + 1 } as StepRow;
    charted.forEach((c, i) => (row[`c${i}`] = result.probs[t * C + c]));
    return row;
  });
}

/** Which stroke (1-based) step `t` belongs to. */
export function strokeOfStep(result: RnnStepPredictions, t: number): number {
  return 1 + result.strokeEnds.filter((end) => end < t).length;
}
