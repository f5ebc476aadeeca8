import type { EarlyStopping } from './types';

export interface EarlyStopperState {
  /** Best score so far (-Infinity before the first epoch; saved as null in JSON). */
  best: number;
  waited: number;
}

/**
 * Keras-style early stopping on a score that should rise (dev accuracy): an epoch improves when it
 * beats the best score so far by more than `minDelta`; after `patience` epochs in a row without
 * improvement the run should stop. Only improvements reset the reference, so slow creep below
 * minDelta per epoch still ends the run.
 */
export class EarlyStopper {
  private best = -Infinity;
  private waited = 0;

  constructor(readonly settings: EarlyStopping) {
    const { patience, minDelta } = settings;
    if (!Number.isInteger(patience) || patience < 1) throw new Error(`early stopping: patience must be a positive integer, got ${patience}`);
    if (!(minDelta >= 0)) throw new Error(`early stopping: minDelta must be ≥ 0, got ${minDelta}`);
  }

  /** What a resumed run needs to go on counting where this one left off. */
  get state(): EarlyStopperState {
    return { best: this.best, waited: this.waited };
  }

  set state(s: EarlyStopperState) {
    this.best = s.best;
    this.waited = s.waited;
  }

  /** Records one epoch's score; true when the run should stop now. */
  update(score: number): boolean {
    if (score > this.best + this.settings.minDelta) {
      this.best = score;
      this.waited = 0;
      return false;
    }
    this.waited++;
    return this.waited >= this.settings.patience;
  }
}
