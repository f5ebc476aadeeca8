import type { TrialResult } from '../../../train/autotune';

export interface ScatterRow {
  lr: number;
  weightDecay: number;
  devAccuracy: number;
  best: boolean;
}

/** Finished trials (diverged or cut-short ones have no accuracy to plot), the best one flagged. */
export function scatterRows(trials: readonly TrialResult[]): ScatterRow[] {
  const done = trials.filter((t) => Number.isFinite(t.devAccuracy) && t.lr > 0 && t.weightDecay > 0);
  let best = -1;
  done.forEach((t, i) => {
    if (best < 0 || t.devAccuracy > done[best].devAccuracy) best = i;
  });
  return done.map((t, i) => ({ lr: t.lr, weightDecay: t.weightDecay, devAccuracy: t.devAccuracy, best: i === best }));
}

/** Powers of ten spanning the values (at least one decade), for a log axis. */
export function logTicks(values: readonly number[]): number[] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [1e-4, 1e-3];
  let lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  if (lo === hi) lo -= 1;
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(Number(`1e${e}`));
  return ticks;
}
