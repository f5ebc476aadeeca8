/** Learning-rate schedules, evaluated per step from the fraction of training done. */
export type LrSchedule =
  | { kind: 'constant' }
  /** Cosine decay from lr to lr·minFactor over the run, after an optional linear warmup. */
  | { kind: 'cosine'; minFactor?: number; warmupEpochs?: number }
  /** lr·gamma^⌊epoch/everyEpochs⌋ (epoch 0-based). */
  | { kind: 'step'; everyEpochs: number; gamma: number };

/**
 * lr for a step. `epochProgress` is the number of epochs completed so far, fractional
 * (step 5 of 10 in the first epoch = 0.4), and `epochs` the run length.
 */
export function lrAt(base: number, schedule: LrSchedule | undefined, epochProgress: number, epochs: number): number {
  if (!schedule || schedule.kind === 'constant') return base;
  if (schedule.kind === 'step') {
    if (!(schedule.everyEpochs > 0)) throw new Error('step schedule: everyEpochs must be > 0');
    return base * Math.pow(schedule.gamma, Math.floor(epochProgress / schedule.everyEpochs));
  }
  const warmup = schedule.warmupEpochs ?? 0;
  if (epochProgress < warmup) return (base * (epochProgress + 1 / 1000)) / warmup;
  const span = Math.max(1e-9, epochs - warmup);
  const t = Math.min(1, (epochProgress - warmup) / span);
  const min = base * (schedule.minFactor ?? 0);
  return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * t));
}
