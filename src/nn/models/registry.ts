/**
 * The one table of model kinds. Everything that depends on a model's kind asks here (or asks the
 * model's own spec through the helpers below) instead of switching on kind strings or `instanceof`.
 * A new kind = its layers + one file in kinds/ + one line in this table (and its name in ModelKind).
 */
import type { Backend } from '../../kernels/backend';
import type { ClassifierLoss, LossOptions } from '../loss';
import type { Model, ModelKind } from '../types';
import type { InputLayout, ModelKindSpec, SequenceLayout } from './kind-spec';
import { CNN2HEAD_KIND, CNN_KIND } from './kinds/cnn';
import { MLP_KIND } from './kinds/mlp';
import { RNN_KIND } from './kinds/rnn';

// `any` config: each entry is typed by its own kind file; the table only routes to it.
type AnyKindSpec = ModelKindSpec<any, any>;

export const MODEL_KINDS: Readonly<Record<ModelKind, AnyKindSpec>> = {
  mlp: MLP_KIND,
  cnn: CNN_KIND,
  cnn2head: CNN2HEAD_KIND,
  rnn: RNN_KIND,
};

/** Every kind a weight file may name, in the table's order. */
export const MODEL_KIND_NAMES = Object.keys(MODEL_KINDS) as readonly ModelKind[];

export function isModelKind(kind: unknown): kind is ModelKind {
  return typeof kind === 'string' && Object.hasOwn(MODEL_KINDS, kind);
}

/** The spec of `kind`; a clear Error for a kind nobody registered (e.g. a file's `model` field). */
export function modelKind(kind: string): AnyKindSpec {
  if (!isModelKind(kind)) throw new Error(`model kind '${kind}' is not supported yet`);
  return MODEL_KINDS[kind];
}

/** A new model of `kind` (config as its spec's schema takes it; missing sizes get defaults). */
export function buildModel(backend: Backend, kind: ModelKind, config: object, seed: number): Model {
  return modelKind(kind).build(backend, config, seed);
}

/** How the model's input is laid out (its kind's spec, read from its resolved config). */
export function inputLayoutOf(model: Model): InputLayout {
  return modelKind(model.kind).input(model.config);
}

/** Whether the model reads sequence batches (time-major steps plus lengths). */
export function takesSequences(model: Model): boolean {
  return inputLayoutOf(model).kind === 'sequence';
}

/** The layout of a model that reads drawings; a clear Error for any other model. */
export function sequenceLayoutOf(model: Model): SequenceLayout {
  const layout = inputLayoutOf(model);
  if (layout.kind !== 'sequence') throw new Error(`a ${model.kind} model does not read drawings (sequences)`);
  return layout;
}

/** Values per example of an image model; undefined for sequence models. */
export function modelInputSize(model: Model): number | undefined {
  const shape = modelInputShape(model);
  return shape && shape.reduce((a, b) => a * b, 1);
}

/** Shape of one input as norm.* is saved (docs/weights.md): [784] for an MLP, [1,28,56] for a CNN. */
export function modelInputShape(model: Model): number[] | undefined {
  const layout = inputLayoutOf(model);
  return layout.kind === 'image' ? [...layout.shape] : undefined;
}

/** Classes the model predicts (100 for cnn2head, whose logits are its two 10-way heads). */
export function classCountOf(model: Model): number {
  return modelKind(model.kind).classCount(model.config);
}

/** The training/evaluation loss that fits the model. */
export function lossFor(model: Model, options: LossOptions = {}): ClassifierLoss {
  return modelKind(model.kind).loss(model.backend, model.config, options);
}

/** A one-line human description of a model's architecture, e.g. "784-256-128-64-10 · relu". */
export function describeArchitecture(model: Model, inputs: number, classes: number): string {
  return modelKind(model.kind).describe(model.config, inputs, classes);
}
