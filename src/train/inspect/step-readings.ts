/**
 * Reading the BiGRU's step-by-step probabilities (RnnStepPredictions): pure arithmetic on plain
 * arrays, so the page's main thread can use it without loading any model code.
 */
import type { RnnStepPredictions } from './types';

/** The most likely class after step `t` (1-based) and its probability. */
export function topAtStep(result: RnnStepPredictions, t: number): { classIndex: number; prob: number } {
  const C = result.classCount, at = (t - 1) * C;
  let best = 0;
  for (let c = 1; c < C; c++) if (result.probs[at + c] > result.probs[at + best]) best = c;
  return { classIndex: best, prob: result.probs[at + best] };
}

/** The first step (1-based) from which the final answer stays the most likely class to the end. */
export function settledStep(result: RnnStepPredictions): number {
  const final = topAtStep(result, result.steps).classIndex;
  let t = result.steps;
  while (t > 1 && topAtStep(result, t - 1).classIndex === final) t--;
  return t;
}
