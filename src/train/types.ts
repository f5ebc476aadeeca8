import type { AugmentOptions } from '../data/augment';
import type { ImageSet } from '../data/types';
import type { SequenceSet } from '../data/types';
import type { CnnConfig, MlpConfig, RnnConfig, StateDict } from '../nn/types';
import type { LoopState } from './run-state';
import type { LrSchedule } from './schedule';
import type { StrokeAugmentOptions } from './sequence-batches';

export type { LrSchedule } from './schedule';

export type OptimizerKind = 'sgd' | 'momentum' | 'adam' | 'adamw';

export interface OptimizerConfig {
  kind: OptimizerKind;
  lr: number;
  /** SGD momentum μ. */
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** L2 λ (coupled, added to the gradient) — or decoupled decay for adamw. */
  weightDecay: number;
}

/** Stop when dev accuracy has not improved by more than `minDelta` for `patience` epochs in a row. */
export interface EarlyStopping {
  patience: number;
  minDelta: number;
}

/** What every training run shares, whatever the data (the loop's own settings). */
export interface LoopConfig {
  optimizer: OptimizerConfig;
  batchSize: number;
  epochs: number;
  seed: number;
  labelSmoothing?: number;
  /** Learning-rate schedule over the run (default constant). */
  lrSchedule?: LrSchedule;
  /** Global gradient-norm clipping threshold; unset = no clipping. */
  clipNorm?: number;
  /**
   * Decay of an exponential moving average of the weights (e.g. 0.999); when set, the averaged
   * weights are the ones evaluated each epoch, checkpointed and returned. Unset = off.
   */
  weightAverage?: number;
  /** At the end, put back the weights of the epoch with the best dev accuracy. */
  restoreBest?: boolean;
  /** On dev accuracy; implies restoreBest (the best epoch's weights are put back at the end). */
  earlyStopping?: EarlyStopping;
}

/** What every image model's run shares; `model` and `net` of the members say which network. */
export interface TrainConfigBase extends LoopConfig {
  /** Fraction of the train split used for training; the rest is the dev set (0.9 default). */
  trainFraction: number;
  /** Standardize inputs per pixel with the train subset's mean/std (saved as norm.* in the weights). */
  standardize?: boolean;
  /**
   * Per training batch, on the [0,1] image before standardization: random horizontal shift and
   * contrast/brightness jitter (src/data/augment). Dev/test batches are never augmented.
   */
  augment?: AugmentOptions;
}

export interface MlpTrainConfig extends TrainConfigBase {
  model: 'mlp';
  net: MlpConfig;
}

/** Paired-MNIST CNNs: `cnn` (100-way) or `cnn2head` (tens and ones heads). */
export interface CnnTrainConfig extends TrainConfigBase {
  model: 'cnn' | 'cnn2head';
  net: CnnConfig;
  /**
   * `cnn` only: λ of the cross-entropies of the tens and ones marginals of its 100-way softmax,
   * added to the loss (nn/loss-digit-marginals.ts). Unset = 0 = plain cross-entropy.
   */
  digitLoss?: number;
}

export type TrainConfig = MlpTrainConfig | CnnTrainConfig;

/**
 * The BiGRU on Quick, Draw! stroke-3 sequences (docs/weights.md, `rnn`): the data comes split
 * train/dev/test already, so there is no trainFraction. Dropout is `net.dropout` (between GRU layers).
 */
export interface RnnTrainConfig extends LoopConfig {
  model: 'rnn';
  net: RnnConfig;
  /** Per training drawing: random scale, per-axis stretch, rotation and mirroring of the pen moves. */
  augment?: StrokeAugmentOptions;
}

/** The sequence splits a SequenceTrainer sees. */
export interface SequenceTrainData {
  train: SequenceSet;
  dev: SequenceSet;
  test: SequenceSet;
}

/** One point on the loss chart. */
export interface StepPoint {
  /** Global step (1-based). */
  step: number;
  epoch: number;
  loss: number;
}

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  devLoss: number;
  devAccuracy: number;
  /** trainAccuracy − devAccuracy */
  gap: number;
  elapsedMs: number;
  /** Paired-digit models: dev accuracy of each digit on its own (devAccuracy is the whole number's). */
  devDigitAccuracy?: DigitAccuracy;
}

/** Accuracy of the tens and the ones digit of a two-digit number, each on its own. */
export interface DigitAccuracy {
  tens: number;
  ones: number;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  /** Step within the epoch (1-based) and steps per epoch. */
  step: number;
  stepsPerEpoch: number;
  globalStep: number;
  elapsedMs: number;
  /** Estimated remaining milliseconds, from the observed rate. */
  etaMs: number;
  examplesPerSec: number;
}

export interface TrainEvents {
  /** Throttled: at most every ~100 ms, with the loss points since the last call. */
  onSteps?(points: StepPoint[], progress: TrainProgress): void;
  onEpoch?(point: EpochPoint): void;
  /**
   * A new best dev accuracy: the weights of that epoch (host copy, norm.* included), e.g. for the
   * worker to persist. Awaited, so the run waits for a returned promise.
   */
  onCheckpoint?(epoch: number, weights: StateDict): void | Promise<void>;
  /**
   * The whole run after each epoch (run-state.ts), for a checkpoint that a reload or a crash can
   * resume from. Awaited: the run waits while it is written.
   */
  onRunState?(state: LoopState): void | Promise<void>;
}

export interface EvalReport {
  split: 'test' | 'dev';
  count: number;
  accuracy: number;
  loss: number;
  classes: string[];
  perClassAccuracy: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  /** Indices into the classes, hardest (lowest accuracy) first. */
  hardest: number[];
  /** Paired-digit models (classes '00'..'99'): accuracy of each digit on its own. */
  digitAccuracy?: DigitAccuracy;
  /** Sequence models: the class pairs most often mixed up (either way round), most first. */
  confusedPairs?: ConfusedPair[];
  /** A few misclassified examples: index into the evaluated set, true and predicted class. */
  misclassified: { index: number; label: number; predicted: number; confidence: number }[];
}

/** Two classes (indices) and how often one was predicted for the other, both ways added. */
export interface ConfusedPair {
  a: number;
  b: number;
  count: number;
}

/** The data a training run sees. */
export interface TrainData {
  train: ImageSet;
  test: ImageSet;
}

export type StopReason = 'completed' | 'stopped' | 'diverged';

/** A named starting point for every setting: a button on the page, `--recipe NAME` in the CLI. */
export interface Recipe<C> {
  /** The button's text. */
  label: string;
  /** What it does, in a sentence (the button's tooltip). */
  summary: string;
  config(overrides?: Partial<C>): C;
}
