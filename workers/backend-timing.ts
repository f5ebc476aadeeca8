/**
 * How fast a backend trains a network: a few real training steps (the page's default recipe, the
 * real Trainer / SequenceTrainer) on synthetic data of the network's shape. The first step is not
 * counted: it compiles shaders and fills buffer pools. What Auto compares the backends with.
 */
import { PAIR_CLASSES } from '../src/data/pairs';
import type { ImageSet, SequenceSet } from '../src/data/types';
import type { Backend } from '../src/kernels/backend';
import { Rng } from '../src/kernels/rng';
import { defaultCnnTrainConfig, defaultMlpTrainConfig, defaultRnnTrainConfig } from '../src/train/presets';
import { SequenceTrainer } from '../src/train/sequence-trainer';
import { Trainer } from '../src/train/trainer';
import type { TrainLoop } from '../src/train/train-loop';
import type { TrainEvents, TrainProgress } from '../src/train/types';
import type { BackendNetwork } from './api';

export interface TimingOptions {
  /** Timed steps after the warm-up step, at most. */
  maxSteps?: number;
  /** Stop timing once this much time went into timed steps (at least one step is always timed). */
  budgetMs?: number;
  /** Overrides the recipe's batch size (tests). */
  batchSize?: number;
}

export interface TrainingSpeed {
  examplesPerSec: number;
  /** Timed steps and the batch size they ran at. */
  steps: number;
  batchSize: number;
}

const DEFAULT_MAX_STEPS = 10;
const DEFAULT_BUDGET_MS = 2000;
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/**
 * Points per synthetic drawing: the recipe's max_len, as the longest length-bucketed batches run
 * (those must fit the GPU's texture size too, so Auto does not pick a backend they overflow).
 */
const SKETCH_POINTS = defaultRnnTrainConfig().net.max_len;

/** Examples per second of `network`'s default training recipe on `backend`. */
export async function timeTraining(backend: Backend, network: BackendNetwork, opts: TimingOptions = {}): Promise<TrainingSpeed> {
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const budgetMs = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  let warm: TrainProgress | null = null;
  let last: TrainProgress | null = null;
  let loop: TrainLoop | null = null;
  const events: TrainEvents = {
    onSteps: (_points, progress) => {
      warm ??= progress;
      last = progress;
      if (progress.elapsedMs - warm.elapsedMs >= budgetMs) loop?.stop();
    },
  };
  loop = timingLoop(backend, network, 1 + maxSteps, events, opts.batchSize);
  try {
    await loop.run();
  } finally {
    loop.model.dispose();
  }
  return speedOf(warm, last, loop.config.batchSize);
}

function speedOf(warm: TrainProgress | null, last: TrainProgress | null, batchSize: number): TrainingSpeed {
  if (!warm || !last) throw new Error('the timing run ended before its first step');
  const w: TrainProgress = warm, l: TrainProgress = last;
  const steps = l.globalStep - w.globalStep;
  const ms = l.elapsedMs - w.elapsedMs;
  // A single step (a tiny model on a fast machine, or a very slow one): time it with its warm-up.
  if (steps < 1 || ms <= 0) return { examplesPerSec: (l.globalStep * batchSize * 1000) / Math.max(l.elapsedMs, 1e-3), steps: l.globalStep, batchSize };
  return { examplesPerSec: (steps * batchSize * 1000) / ms, steps, batchSize };
}

type TimingLoop = (backend: Backend, rng: Rng, steps: number, events: TrainEvents, batch?: number) => TrainLoop;

/** Settings that leave only training steps to time: one epoch, no dev split, no best-epoch restore. */
function timingBase(batch?: number) {
  return { epochs: 1, trainFraction: 1, restoreBest: false, earlyStopping: undefined, ...(batch ? { batchSize: batch } : {}) };
}

/** One epoch of exactly `steps` batches of each network's default recipe on synthetic data of its shape. */
const TIMING_LOOPS: Record<BackendNetwork, TimingLoop> = {
  mlp: (backend, rng, steps, events, batch) => {
    const config = defaultMlpTrainConfig(timingBase(batch));
    const train = syntheticImages(rng, config.batchSize * steps, [28, 28], DIGITS);
    return new Trainer(backend, config, { train, test: syntheticImages(rng, 0, [28, 28], DIGITS) }, events);
  },
  cnn: (backend, rng, steps, events, batch) => {
    const config = defaultCnnTrainConfig(timingBase(batch));
    const train = syntheticImages(rng, config.batchSize * steps, [28, 56], PAIR_CLASSES);
    return new Trainer(backend, config, { train, test: syntheticImages(rng, 0, [28, 56], PAIR_CLASSES) }, events);
  },
  rnn: (backend, rng, steps, events, batch) => {
    const config = defaultRnnTrainConfig({ epochs: 1, restoreBest: false, ...(batch ? { batchSize: batch } : {}) });
    const train = syntheticSketches(rng, config.batchSize * steps, DIGITS);
    const none = syntheticSketches(rng, 0, DIGITS);
    return new SequenceTrainer(backend, config, { train, dev: none, test: none }, events);
  },
};

function timingLoop(backend: Backend, network: BackendNetwork, steps: number, events: TrainEvents, batch?: number): TrainLoop {
  return TIMING_LOOPS[network](backend, new Rng(7), steps, events, batch);
}

function syntheticImages(rng: Rng, count: number, inputShape: number[], classes: string[]): ImageSet {
  const size = inputShape.reduce((a, b) => a * b, 1);
  const pixels = new Uint8Array(count * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.next() < 0.2 ? rng.int(256) : 0;
  const labels = Uint8Array.from({ length: count }, () => rng.int(classes.length));
  return { inputShape: [...inputShape], classes: [...classes], count, pixels, labels };
}

function syntheticSketches(rng: Rng, count: number, classes: string[]): SequenceSet {
  const points = count * SKETCH_POINTS;
  const offsets = Uint32Array.from({ length: count + 1 }, (_, i) => i * SKETCH_POINTS);
  const deltas = Int16Array.from({ length: 2 * points }, () => rng.int(41) - 20);
  const pens = Uint8Array.from({ length: points }, (_, i) => (i % 15 === 14 || i % SKETCH_POINTS === SKETCH_POINTS - 1 ? 1 : 0));
  const labels = Uint8Array.from({ length: count }, () => rng.int(classes.length));
  return { classes: [...classes], count, offsets, deltas, pens, labels };
}
