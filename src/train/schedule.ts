/** Learning-rate schedules, evaluated per step from the fraction of training done. */
export type LrSchedule = (
  | { kind: 'constant' }
  /** Cosine decay from lr to lr·minFactor over the epochs after the warmup. */
  | { kind: 'cosine'; minFactor?: number }
  /** lr·gamma^⌊epoch/everyEpochs⌋ (epoch 0-based). */
  | { kind: 'step'; everyEpochs: number; gamma: number }
) & {
  /**
   * Epochs (fractions allowed) over which the rate rises linearly from ~0 to lr before the schedule
   * proper: Adam's first steps at a high rate, on statistics of a few batches, can throw the weights
   * far off; ramping up lets the run use a higher peak rate.
   */
  warmupEpochs?: number;
};

/**
 * lr for a step. `epochProgress` is the number of epochs completed so far, fractional
 * (step 5 of 10 in the first epoch = 0.4), and `epochs` the run length.
 */
export function lrAt(base: number, schedule: LrSchedule | undefined, epochProgress: number, epochs: number): number {
  if (!schedule) return base;
  const warmup = schedule.warmupEpochs ?? 0;
  if (epochProgress < warmup) return (base * (epochProgress + 1 / 1000)) / warmup;
  if (schedule.kind === 'constant') return base;
  if (schedule.kind === 'step') {
    if (!(schedule.everyEpochs > 0)) throw new Error('step schedule: everyEpochs must be > 0');
    return base * Math.pow(schedule.gamma, Math.floor(epochProgress / schedule.everyEpochs));
  }
  const span = Math.max(1e-9, epochs - warmup);
  const t = Math.min(1, (epochProgress - warmup) / span);
  const min = base * (schedule.minFactor ?? 0);
  return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** Where a cosine decay ends, as a fraction of the peak rate, unless a recipe says otherwise. */
export const COSINE_MIN_FACTOR = 0.01;

/**
 * The page's two schedules (cosine to COSINE_MIN_FACTOR of the rate by the last epoch, or constant), keeping the
 * warmup of `current`: switching the decay does not drop a warmup set on its own.
 */
export function withDecay(current: LrSchedule | undefined, cosine: boolean): LrSchedule {
  const warmup = current?.warmupEpochs ? { warmupEpochs: current.warmupEpochs } : {};
  return cosine ? { kind: 'cosine', minFactor: COSINE_MIN_FACTOR, ...warmup } : { kind: 'constant', ...warmup };
}

/** `current` with a linear warmup over `epochs` (0 = none). */
export function withWarmup(current: LrSchedule | undefined, epochs: number): LrSchedule {
  const { warmupEpochs: _dropped, ...rest } = current ?? { kind: 'constant' };
  return epochs > 0 ? { ...rest, warmupEpochs: epochs } : rest;
}

/** "cosine lr 0.007 after 0.5 warmup epochs": a run's rate and schedule in the CLI's run line. */
export function scheduleText(lr: number, schedule: LrSchedule | undefined): string {
  const warmup = schedule?.warmupEpochs ? ` after ${schedule.warmupEpochs} warmup epochs` : '';
  return `${schedule?.kind ?? 'constant'} lr ${lr}${warmup}`;
}
