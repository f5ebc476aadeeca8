/**
 * What one model kind is, in one place (src/nn/models/kinds/*.ts, looked up in registry.ts): its
 * config schema and limits, how it is built, the tensors a config implies, its input layout, its
 * classes and loss, and how it is described. Callers ask the registry instead of switching on kind
 * strings or `instanceof`; how a kind is batched, evaluated and sliced across workers follows from
 * its input layout (src/train), so a new kind with an existing layout needs no train-level code.
 */
import type { Backend } from '../../kernels/backend';
import type { ClassifierLoss, LossOptions } from '../loss';
import type { Model, ModelKind, StateDict } from '../types';

export interface TensorShape {
  name: string;
  shape: number[];
}

/**
 * The part of io's WeightFile a model is checked and rebuilt from (structural, so nn does not
 * depend on io).
 */
export interface ModelWeights {
  model: ModelKind | string;
  config: Record<string, unknown>;
  classes: string[];
  tensors: StateDict;
}

/**
 * How a model's input is laid out. `image`: [B, ...shape] floats, one example per row (norm.* is
 * saved with this shape). `sequence`: time-major [T·B, features] plus lengths [B], at most maxLen
 * steps (PackedSequences) of a drawing's moves (dx/s, dy/s, p) with s = deltaScale.
 */
export type InputLayout = ImageLayout | SequenceLayout;

export interface ImageLayout {
  kind: 'image';
  shape: readonly number[];
}

export interface SequenceLayout {
  kind: 'sequence';
  features: number;
  maxLen: number;
  deltaScale: number;
}

/**
 * The floats a training step keeps per example beyond the parameters (the layers' per-batch
 * buffers, listed in their constructors), for the memory estimate (src/train/memory-estimate.ts).
 */
export interface ActivationFootprint {
  /** Floats per example of one batch shape (at the longest steps, for sequence kinds). */
  floatsPerExample: number;
  /**
   * Sequence kinds: the part of floatsPerExample that grows with the padded length, per step at
   * maxSteps. Their layers keep one buffer set per padded length a batch reaches, so a run holds
   * this part once per length bucket (memory-estimate.ts adds the shorter buckets).
   */
  perStep?: { floats: number; maxSteps: number };
  /** Fixed buffers beyond the parameters, in parameter copies. */
  extraParameterCopies?: number;
}

/** What the Runs table shows of a run's network config in its kind-specific columns ('' = nothing). */
export interface RunTableCells {
  hidden: string;
  activation: string;
}

/** The page (and worker slot) that trains and serves a kind. */
export type ModelNetwork = 'mlp' | 'cnn' | 'rnn';

export interface ModelKindSpec<Config extends object = object, Resolved extends Config = Config> {
  readonly kind: ModelKind;
  readonly network: ModelNetwork;
  /** Fills defaults and rejects nonsense with a message a user can act on. */
  resolve(config: Config): Resolved;
  /**
   * The resolved config a decoded weight file declares (sizes the config JSON leaves out come from
   * its tensors and class list), every size bounded by SPEC_LIMITS: throws before anything is built.
   */
  configFromWeights(w: ModelWeights): Resolved;
  /** Every tensor a model of this config holds, in parameter order, named as PyTorch names them. */
  tensorShapes(config: Resolved): TensorShape[];
  build(backend: Backend, config: Config, seed: number): Model;
  /**
   * The config with the sizes it leaves to the data filled in: input from one example's shape
   * (e.g. [28, 28] or [3] steps), classes from the data's class count (0 = unnamed: the default).
   */
  fitToData(config: Config, exampleShape: readonly number[], classes: number): Config;
  input(config: Resolved): InputLayout;
  /** Classes predicted (100 for cnn2head, whose logits are its two 10-way heads). */
  classCount(config: Resolved): number;
  /** The training/evaluation loss that fits the model's logits. */
  loss(backend: Backend, config: Resolved, options: LossOptions): ClassifierLoss;
  /** What a training step of this config keeps per example; memory-estimate.test.ts checks it against the real model. */
  footprint(config: Resolved): ActivationFootprint;
  /** What to make smaller when a run of this kind cannot fit a worker (the end of the memory refusal). */
  readonly memoryAdvice: string;
  /** Its cells in the Runs table, from the config a run record keeps (as given, unresolved). */
  runTableCells(config: Config): RunTableCells;
  /**
   * The weight tensor whose rows each weigh the whole input image, so each row is a picture of
   * what one unit looks for (model inspection's first-layer images); null when it has none.
   */
  inputWeightImages(config: Resolved): string | null;
  /** One line for people, e.g. "784-256-128-10 · relu". */
  describe(config: Resolved, inputs: number, classes: number): string;
}
