import type { Backend } from '../../kernels/backend';
import { readHost } from '../host';
import { SoftmaxCrossEntropy, type ClassifierLoss } from '../loss';
import { TwoHeadLoss } from '../loss-two-head';
import type { CnnConfig, InputNorm, MlpConfig, Model, ModelKind, NamedArray, RnnConfig, StateDict } from '../types';
import { CnnModel } from './cnn';
import { MlpModel } from './mlp';
import { RnnModel } from './rnn';
import { checkTensorsFit, modelSpecOf, type ModelWeights } from './spec';

export { MlpModel, resolveMlpConfig, type ResolvedMlpConfig } from './mlp';
export { CnnModel, resolveCnnConfig, type CnnKind, type ResolvedCnnConfig } from './cnn';
export { RnnModel, resolveRnnConfig, rnnConfigFromWeights, type ResolvedRnnConfig } from './rnn';
export { MODEL_SPECS, SPEC_LIMITS, checkTensorsFit, modelSpecOf, type ModelSpec, type ModelWeights, type TensorShape } from './spec';

/** Architecture of any model kind; `kind` says which member applies. */
export type ModelConfig = MlpConfig | CnnConfig | RnnConfig;

export function buildModel(backend: Backend, kind: ModelKind, config: ModelConfig, seed: number): Model {
  if (kind === 'mlp') return new MlpModel(backend, config as MlpConfig, seed);
  if (kind === 'cnn' || kind === 'cnn2head') return new CnnModel(backend, kind, config as CnnConfig, seed);
  if (kind === 'rnn') return new RnnModel(backend, config as RnnConfig, seed);
  throw new Error(`model kind '${kind}' is not supported yet`);
}

/** Values per example the model takes, where the model says (MLP, CNN); undefined otherwise. */
export function modelInputSize(model: Model): number | undefined {
  if (model instanceof MlpModel || model instanceof CnnModel) return model.inputSize;
  return undefined;
}

/** Shape of one input as norm.* is saved (A1): [784] for an MLP, [1,28,56] for a CNN. */
export function modelInputShape(model: Model): number[] | undefined {
  if (model instanceof CnnModel) return [...model.inputShape];
  const size = modelInputSize(model);
  return size === undefined ? undefined : [size];
}

/** Classes the model predicts (100 for cnn2head, whose logits are its two 10-way heads). */
export function classCountOf(model: Model): number {
  if (model instanceof CnnModel) return model.classCount;
  return model.params[model.params.length - 1].value.shape[0];
}

/** The training/evaluation loss that fits the model: two-head loss for cnn2head, softmax CE otherwise. */
export function lossFor(model: Model, smoothing = 0): ClassifierLoss {
  if (model.kind === 'cnn2head') return new TwoHeadLoss(model.backend, 10, smoothing);
  return new SoftmaxCrossEntropy(model.backend, classCountOf(model), smoothing);
}

/** Host copy of every parameter (and norm.* when the model has it). Needs a backend with readSync. */
export function stateDictOf(model: Model): StateDict {
  const read = model.backend.readSync?.bind(model.backend);
  if (!read) throw new Error(`the ${model.backend.name} backend cannot read synchronously; use readStateDict`);
  const sd: StateDict = new Map();
  for (const p of model.params) sd.set(p.name, { shape: [...p.value.shape], data: Float32Array.from(read(p.value)) });
  addNorm(sd, model.norm, modelInputShape(model));
  return sd;
}

/** stateDictOf for any backend (awaits GPU read-backs). */
export async function readStateDict(model: Model): Promise<StateDict> {
  const sd: StateDict = new Map();
  for (const p of model.params) {
    const data = await readHost(model.backend, p.value);
    sd.set(p.name, { shape: [...p.value.shape], data: Float32Array.from(data) });
  }
  addNorm(sd, model.norm, modelInputShape(model));
  return sd;
}

function addNorm(sd: StateDict, norm: InputNorm | null | undefined, inputShape: number[] | undefined): void {
  if (!norm) return;
  const shape = inputShape && inputShape.reduce((a, b) => a * b, 1) === norm.mean.length ? inputShape : [norm.mean.length];
  sd.set('norm.mean', { shape: [...shape], data: Float32Array.from(norm.mean) });
  sd.set('norm.std', { shape: [...shape], data: Float32Array.from(norm.std) });
}

/**
 * Copies `sd` into the model. Everything is checked before anything is written, so a bad file
 * throws a message naming the tensor and leaves the model exactly as it was.
 */
export function loadStateDict(model: Model, sd: StateDict): void {
  for (const p of model.params) {
    const t = sd.get(p.name);
    if (!t) throw new Error(`${p.name}: missing from the weight file`);
    checkTensor(p.name, [...p.value.shape], t);
  }
  const known = new Set(model.params.map((p) => p.name));
  for (const name of sd.keys()) {
    if (!known.has(name) && name !== 'norm.mean' && name !== 'norm.std') {
      throw new Error(`${name}: unexpected tensor for this ${model.kind} (it has ${[...known].join(', ')})`);
    }
  }
  const norm = normFrom(sd, modelInputSize(model));
  for (const p of model.params) model.backend.write(p.value, sd.get(p.name)!.data);
  model.norm = norm;
}

function checkTensor(name: string, shape: number[], t: NamedArray): void {
  if (!sameShape(shape, t.shape)) {
    throw new Error(`${name}: expected shape [${shape.join(',')}], file has [${t.shape.join(',')}]`);
  }
  if (t.data.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new Error(`${name}: shape [${shape.join(',')}] needs ${shape.reduce((a, b) => a * b, 1)} values, file has ${t.data.length}`);
  }
  for (let i = 0; i < t.data.length; i++) {
    if (!Number.isFinite(t.data[i])) throw new Error(`${name}: contains NaN or infinite values`);
  }
}

function normFrom(sd: StateDict, inputSize: number | undefined): InputNorm | null {
  const mean = sd.get('norm.mean');
  const std = sd.get('norm.std');
  if (!mean && !std) return null;
  if (!mean || !std) throw new Error(`norm.${mean ? 'std' : 'mean'}: missing (norm.mean and norm.std come together)`);
  const size = inputSize ?? mean.data.length;
  for (const [name, t] of [['norm.mean', mean], ['norm.std', std]] as const) {
    if (t.data.length !== size) throw new Error(`${name}: expected ${size} values (one per input), file has ${t.data.length}`);
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) throw new Error(`${name}: contains NaN or infinite values`);
    }
  }
  for (let i = 0; i < std.data.length; i++) {
    if (!(std.data[i] > 0)) throw new Error(`norm.std: values must be > 0 (element ${i} is ${std.data[i]})`);
  }
  return { mean: Float32Array.from(mean.data), std: Float32Array.from(std.data) };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * A new model built from a decoded weight file: the architecture from its config (input size from
 * fc1's or conv1's shape, outputs from the class list), then its tensors. The file is checked
 * against what its config implies (modelSpecOf) before anything is allocated for the model, so a
 * bad or oversized file throws a clear Error; any model already in use is untouched.
 */
export function modelFromWeights(backend: Backend, w: ModelWeights): Model {
  const spec = modelSpecOf(w);
  checkTensorsFit(spec, w.tensors);
  const model = buildModel(backend, spec.kind, spec.config, 0);
  try {
    loadStateDict(model, w.tensors);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
