/**
 * What a weight file's config implies, computed from the config alone: the tensor names and shapes
 * and the parameter count (each kind's spec in kinds/ says how). Loaders check a file against this
 * BEFORE building a model, so a tiny file whose config declares a huge network is refused without
 * allocating anything for it (issue 15: a 304-byte file used to make the CLI allocate 3.2 GB).
 */
import type { ModelKind, StateDict } from '../types';
import type { ModelWeights, TensorShape } from './kind-spec';
import { SPEC_LIMITS } from './limits';
import { modelKind } from './registry';

export type { ModelWeights, TensorShape } from './kind-spec';
export { SPEC_LIMITS } from './limits';

export interface ModelSpec {
  kind: ModelKind;
  /** The resolved config, as the kind's spec (kinds/*.ts) types it. */
  config: object;
  tensors: TensorShape[];
  parameterCount: number;
}

function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const formatCount = (n: number): string => n.toLocaleString('en-US');

/** The spec a weight file's config implies; throws a clear Error when it is malformed or too large. */
export function modelSpecOf(w: ModelWeights): ModelSpec {
  const kind = modelKind(w.model);
  const config = kind.configFromWeights(w);
  const tensors = kind.tensorShapes(config);
  const parameterCount = tensors.reduce((sum, t) => sum + shapeSize(t.shape), 0);
  if (parameterCount > SPEC_LIMITS.parameters) {
    throw new Error(
      `${kind.kind} config declares ${formatCount(parameterCount)} parameters, ` +
        `the limit is ${formatCount(SPEC_LIMITS.parameters)} (the file is corrupt or hostile)`,
    );
  }
  return { kind: kind.kind, config, tensors, parameterCount };
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
