/**
 * What a weight file's config implies, computed from the config alone: the tensor names and shapes
 * and the parameter count, one function per model kind. Loaders check a file against this BEFORE
 * building a model, so a tiny file whose config declares a huge network is refused without
 * allocating anything for it (issue 15: a 304-byte file used to make the CLI allocate 3.2 GB).
 */
import type { ModelKind, StateDict } from '../types';
import { cnnTensorShapes, resolveCnnConfig, type ResolvedCnnConfig } from './cnn';
import { cnnConfigFromWeights } from './cnn-weights';
import { mlpConfigFromWeights, mlpTensorShapes, resolveMlpConfig, type ResolvedMlpConfig } from './mlp';
import { resolveRnnConfig, rnnConfigFromWeights, rnnTensorShapes, type ResolvedRnnConfig } from './rnn';

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

export type ResolvedModelConfig = ResolvedMlpConfig | ResolvedCnnConfig | ResolvedRnnConfig;

export interface ModelSpec {
  kind: ModelKind;
  config: ResolvedModelConfig;
  tensors: TensorShape[];
  parameterCount: number;
}

/**
 * Limits on what a file may declare. The largest models the recipes train are under 2 M parameters
 * (MLP 784-1024-1024-10 ≈ 1.9 M; CNN pad 1, 16-32-256 ≈ 0.8 M). 20 M parameters is 10× that, and
 * with gradients and two Adam moments it is 320 MB of float32: still fits a browser tab.
 */
export const SPEC_LIMITS = {
  parameters: 20_000_000,
  /** Hidden layers (MLP), conv blocks (CNN), GRU layers (RNN). */
  layers: 32,
  /** Any single width: hidden units, channels, fc units, GRU hidden size, input size. */
  width: 1 << 16,
  classes: 10_000,
  /** Values in one example's largest CNN feature map (paired MNIST's largest is 32×28×56 ≈ 50 k). */
  featureMap: 1 << 20,
  padding: 16,
  /** RNN points per drawing (the recipes keep 100–250). */
  maxLen: 10_000,
} as const;

function atMost(kind: string, what: string, value: number, limit: number): void {
  if (value > limit) throw new Error(`${kind} config: ${what} is ${value}, the limit is ${limit} (the file is corrupt or hostile)`);
}

function checkClasses(kind: string, outputs: number): void {
  atMost(kind, 'the number of classes', outputs, SPEC_LIMITS.classes);
}

function mlpSpec(w: ModelWeights): Omit<ModelSpec, 'parameterCount'> {
  const hidden = w.config?.hidden;
  if (Array.isArray(hidden)) atMost('mlp', 'the number of hidden layers', hidden.length, SPEC_LIMITS.layers);
  const config = resolveMlpConfig(mlpConfigFromWeights(w));
  config.hidden.forEach((h, i) => atMost('mlp', `hidden[${i}]`, h, SPEC_LIMITS.width));
  atMost('mlp', 'the input size', config.inputSize, SPEC_LIMITS.width);
  checkClasses('mlp', config.outputSize);
  return { kind: 'mlp', config, tensors: mlpTensorShapes(config) };
}

function cnnSpec(kind: 'cnn' | 'cnn2head', w: ModelWeights): Omit<ModelSpec, 'parameterCount'> {
  const channels = w.config?.channels;
  if (Array.isArray(channels)) atMost(kind, 'the number of conv blocks', channels.length, SPEC_LIMITS.layers);
  const config = resolveCnnConfig(kind, cnnConfigFromWeights(kind, w.config, w.classes, w.tensors));
  config.channels.forEach((c, i) => atMost(kind, `channels[${i}]`, c, SPEC_LIMITS.width));
  config.inputShape.forEach((d, i) => atMost(kind, `input dimension ${i}`, d, SPEC_LIMITS.width));
  atMost(kind, 'fc', config.fc, SPEC_LIMITS.width);
  atMost(kind, 'padding', config.padding, SPEC_LIMITS.padding);
  checkClasses(kind, config.outputSize);
  const { shapes, largestMap } = cnnTensorShapes(kind, config);
  atMost(kind, 'the largest feature map (values per example)', largestMap, SPEC_LIMITS.featureMap);
  return { kind, config, tensors: shapes };
}

function rnnSpec(w: ModelWeights): Omit<ModelSpec, 'parameterCount'> {
  const config = resolveRnnConfig(rnnConfigFromWeights(w));
  atMost('rnn', 'layers', config.layers, SPEC_LIMITS.layers);
  atMost('rnn', 'hidden', config.hidden, SPEC_LIMITS.width);
  atMost('rnn', 'max_len', config.max_len, SPEC_LIMITS.maxLen);
  checkClasses('rnn', config.outputSize);
  return { kind: 'rnn', config, tensors: rnnTensorShapes(config) };
}

/** One entry per model kind: the config a file declares, resolved and bounded, and its tensors. */
export const MODEL_SPECS: Readonly<Record<ModelKind, (w: ModelWeights) => Omit<ModelSpec, 'parameterCount'>>> = {
  mlp: mlpSpec,
  cnn: (w) => cnnSpec('cnn', w),
  cnn2head: (w) => cnnSpec('cnn2head', w),
  rnn: rnnSpec,
};

function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const formatCount = (n: number): string => n.toLocaleString('en-US');

/** The spec a weight file's config implies; throws a clear Error when it is malformed or too large. */
export function modelSpecOf(w: ModelWeights): ModelSpec {
  if (!Object.hasOwn(MODEL_SPECS, w.model)) throw new Error(`model kind '${w.model}' is not supported yet`);
  const spec = MODEL_SPECS[w.model as ModelKind](w);
  const parameterCount = spec.tensors.reduce((sum, t) => sum + shapeSize(t.shape), 0);
  if (parameterCount > SPEC_LIMITS.parameters) {
    throw new Error(
      `${spec.kind} config declares ${formatCount(parameterCount)} parameters, ` +
        `the limit is ${formatCount(SPEC_LIMITS.parameters)} (the file is corrupt or hostile)`,
    );
  }
  return { ...spec, parameterCount };
}

const NORM_TENSORS = ['norm.mean', 'norm.std'];

/**
 * Checks a file's tensors against a spec: every expected name present with the expected shape and
 * value count, no tensor the model does not have (norm.* aside: loadStateDict checks those).
 */
export function checkTensorsFit(spec: ModelSpec, tensors: StateDict): void {
  for (const { name, shape } of spec.tensors) {
    const t = tensors.get(name);
    if (!t) throw new Error(`${name}: missing from the weight file`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`${name}: expected shape [${shape.join(',')}], file has [${t.shape.join(',')}]`);
    }
    if (t.data.length !== shapeSize(shape)) {
      throw new Error(`${name}: shape [${shape.join(',')}] needs ${shapeSize(shape)} values, file has ${t.data.length}`);
    }
  }
  const known = new Set(spec.tensors.map((t) => t.name));
  for (const name of tensors.keys()) {
    if (!known.has(name) && !NORM_TENSORS.includes(name)) {
      throw new Error(`${name}: unexpected tensor for this ${spec.kind} (it has ${[...known].join(', ')})`);
    }
  }
}
