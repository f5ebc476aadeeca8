/**
 * Hyperparameter search of the seed recipes: an lr sweep (each rate with the base L2 λ), then a
 * log-uniform random search over (lr, λ) around the sweep's best rate, every trial a short run on a
 * subset of the train split scored by dev accuracy. Trials stream out as they finish; an AbortSignal
 * stops the running trial at its next step. The caller retrains on everything with the best pair
 * (withTuned).
 */
import { limitImageSet } from '../data/split';
import type { Backend } from '../kernels/backend';
import { Rng } from '../kernels/rng';
import { Trainer } from './trainer';
import type { StopReason, TrainConfig, TrainData } from './types';

export interface AutotuneOptions {
  backend: Backend;
  /** The run to tune; trials change only optimizer.lr / optimizer.weightDecay (and epochs). */
  base: TrainConfig;
  data: TrainData;
  /** Rates of the sweep, each with the base λ. Default [3e-4, 1e-3, 3e-3]. */
  lrSweep?: number[];
  /** Random (lr, λ) trials after the sweep. Default 6. */
  trials?: number;
  /** lr range of the random search. Default [best sweep lr / 3, best sweep lr · 3]. */
  lrRange?: [number, number];
  /** λ range of the random search. Default [1e-5, 1e-3]. */
  weightDecayRange?: [number, number];
  /** Epochs per trial. Default 2. */
  epochs?: number;
  /** Train examples per trial (the first N of data.train, split into train/dev as the base run). Default 6000. */
  subset?: number;
  /** Seed of the random search (each trial trains with base.seed, so trials differ only in (lr, λ)). */
  seed?: number;
  signal?: AbortSignal;
  onTrial?(trial: TrialResult): void;
}

export interface TrialResult {
  /** 0-based, in the order run. */
  index: number;
  phase: 'sweep' | 'random';
  lr: number;
  weightDecay: number;
  /** Dev accuracy after the trial's last epoch; NaN when it diverged or was stopped before one. */
  devAccuracy: number;
  devLoss: number;
  reason: StopReason;
  seconds: number;
}

export interface TunedPair {
  lr: number;
  weightDecay: number;
  devAccuracy: number;
}

export interface AutotuneResult {
  /** The trial with the highest dev accuracy (earliest of equals), or null when none finished an epoch. */
  best: TunedPair | null;
  trials: TrialResult[];
  /** true when the signal ended the search early (best is then the best so far). */
  aborted: boolean;
}

const DEFAULT_SWEEP = [3e-4, 1e-3, 3e-3];

/** Log-uniform draw from [lo, hi]. */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  if (!(lo > 0 && hi >= lo)) throw new Error(`a log-uniform range needs 0 < low ≤ high, got [${lo}, ${hi}]`);
  return Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)));
}

/** The base config with a tuned (lr, λ), for the final retraining. */
export function withTuned<T extends TrainConfig>(base: T, pair: Pick<TunedPair, 'lr' | 'weightDecay'>): T {
  return { ...base, optimizer: { ...base.optimizer, lr: pair.lr, weightDecay: pair.weightDecay } };
}

export async function autotune(opts: AutotuneOptions): Promise<AutotuneResult> {
  const trials: TrialResult[] = [];
  const train = limitImageSet(opts.data.train, opts.subset ?? 6000);
  const data = { train, test: opts.data.test };
  const run = async (phase: TrialResult['phase'], lr: number, weightDecay: number): Promise<void> => {
    const trial = await runTrial(opts, data, lr, weightDecay);
    const result = { index: trials.length, phase, ...trial };
    trials.push(result);
    opts.onTrial?.(result);
  };
  for (const lr of opts.lrSweep ?? DEFAULT_SWEEP) {
    if (opts.signal?.aborted) break;
    await run('sweep', lr, opts.base.optimizer.weightDecay);
  }
  const center = bestOf(trials)?.lr ?? opts.base.optimizer.lr;
  const [lrLo, lrHi] = opts.lrRange ?? [center / 3, center * 3];
  const [wdLo, wdHi] = opts.weightDecayRange ?? [1e-5, 1e-3];
  const rng = new Rng(opts.seed ?? opts.base.seed);
  for (let i = 0; i < (opts.trials ?? 6); i++) {
    if (opts.signal?.aborted) break;
    await run('random', logUniform(rng, lrLo, lrHi), logUniform(rng, wdLo, wdHi));
  }
  return { best: bestOf(trials), trials, aborted: opts.signal?.aborted ?? false };
}

function bestOf(trials: readonly TrialResult[]): TunedPair | null {
  let best: TrialResult | null = null;
  for (const t of trials) if (t.devAccuracy > (best?.devAccuracy ?? -Infinity)) best = t;
  return best && { lr: best.lr, weightDecay: best.weightDecay, devAccuracy: best.devAccuracy };
}

/** One short run: no early stopping or best-epoch restore, so every trial gets the same budget. */
async function runTrial(
  opts: AutotuneOptions, data: TrainData, lr: number, weightDecay: number,
): Promise<Omit<TrialResult, 'index' | 'phase'>> {
  const config: TrainConfig = {
    ...withTuned(opts.base, { lr, weightDecay }),
    epochs: opts.epochs ?? 2,
    earlyStopping: undefined,
    restoreBest: false,
  };
  const started = performance.now();
  const trainer = new Trainer(opts.backend, config, data, {});
  const stop = (): void => trainer.stop();
  opts.signal?.addEventListener('abort', stop);
  try {
    const reason = await trainer.run();
    const last = reason === 'diverged' ? null : trainer.lastEpoch;
    return {
      lr, weightDecay, reason,
      devAccuracy: last?.devAccuracy ?? NaN,
      devLoss: last?.devLoss ?? NaN,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    trainer.model.dispose();
  }
}
