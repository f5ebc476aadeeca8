import type { ImageSet } from '../data/types';
import type { MlpConfig } from '../nn/types';
import type { LrSchedule } from './schedule';

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

export interface MlpTrainConfig {
  model: 'mlp';
  net: MlpConfig;
  optimizer: OptimizerConfig;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Fraction of the train split used for training; the rest is the dev set (0.9 default). */
  trainFraction: number;
  labelSmoothing?: number;
  /** Learning-rate schedule over the run (default constant). */
  lrSchedule?: LrSchedule;
  /** Global gradient-norm clipping threshold; unset = no clipping. */
  clipNorm?: number;
  /** Standardize inputs per pixel with the train subset's mean/std (saved as norm.* in the weights). */
  standardize?: boolean;
  /** At the end, put back the weights of the epoch with the best dev accuracy. */
  restoreBest?: boolean;
}

export type TrainConfig = MlpTrainConfig;

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
  /** A few misclassified examples: index into the evaluated set, true and predicted class. */
  misclassified: { index: number; label: number; predicted: number; confidence: number }[];
}

/** The data a training run sees. */
export interface TrainData {
  train: ImageSet;
  test: ImageSet;
}

export type StopReason = 'completed' | 'stopped' | 'diverged';
