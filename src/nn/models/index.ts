import type { Backend } from '../../kernels/backend';
import { readHost } from '../host';
import type { InputNorm, Model, NamedArray, StateDict } from '../types';
import type { ModelWeights } from './kind-spec';
import { buildModel, modelInputShape, modelInputSize } from './registry';
import { checkTensorsFit, modelSpecOf } from './spec';

export { MlpModel, resolveMlpConfig, type ResolvedMlpConfig } from './mlp';
export { CnnModel, resolveCnnConfig, type CnnKind, type ResolvedCnnConfig } from './cnn';
export { RnnModel, resolveRnnConfig, rnnConfigFromWeights, type ResolvedRnnConfig } from './rnn';
export { SPEC_LIMITS, checkTensorsFit, modelSpecOf, type ModelSpec } from './spec';
export type { ImageLayout, InputLayout, ModelKindSpec, ModelNetwork, ModelWeights, SequenceLayout, TensorShape } from './kind-spec';
export {
  MODEL_KINDS, MODEL_KIND_NAMES, buildModel, classCountOf, describeArchitecture, inputLayoutOf, isModelKind, lossFor,
  modelInputShape, modelInputSize, modelKind, sequenceLayoutOf, takesSequences,
} from './registry';

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
