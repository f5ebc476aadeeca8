import { activationSpec, hiddenActivationKinds } from '../../kernels/activations';
import type { ActivationKind, Backend } from '../../kernels/backend';
import { initDenseLayers } from '../init';
import { Activation } from '../layers/activation';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import type { Layer } from '../layers/layer';
import type { MlpConfig, ModelKind } from '../types';
import { SequentialModel } from './sequential-model';
import type { TensorShape } from './kind-spec';

/** MlpConfig with every optional field settled. */
export type ResolvedMlpConfig = Required<Pick<MlpConfig, 'inputSize' | 'outputSize' | 'dropout' | 'leaky_slope'>> &
  MlpConfig;

/** Fills defaults (784 inputs, 10 classes, slope 0.01, no dropout) and rejects nonsense with a clear message. */
export function resolveMlpConfig(config: MlpConfig): ResolvedMlpConfig {
  const hidden = config.hidden;
  if (!Array.isArray(hidden) || hidden.some((h) => !Number.isInteger(h) || h < 1)) {
    throw new Error(`mlp config: "hidden" must be a list of positive integers, got ${JSON.stringify(hidden)}`);
  }
  if (!hiddenActivationKinds().includes(config.activation)) {
    throw new Error(`mlp config: unknown activation ${JSON.stringify(config.activation)} (use ${hiddenActivationKinds().join(', ')})`);
  }
  const resolved = {
    ...config,
    hidden: [...hidden],
    inputSize: config.inputSize ?? 784,
    outputSize: config.outputSize ?? 10,
    dropout: config.dropout ?? 0,
    leaky_slope: config.leaky_slope ?? 0.01,
  };
  for (const key of ['inputSize', 'outputSize'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new Error(`mlp config: ${key} must be a positive integer, got ${resolved[key]}`);
    }
  }
  if (!(resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw new Error(`mlp config: dropout must be in [0, 1), got ${resolved.dropout}`);
  }
  if (!Number.isFinite(resolved.leaky_slope)) throw new Error('mlp config: leaky_slope must be a number');
  return resolved;
}

/** The tensors an MLP of this config holds, in layer order: fcK.weight [out, in], fcK.bias [out]. */
export function mlpTensorShapes(config: ResolvedMlpConfig): TensorShape[] {
  const sizes = [config.inputSize, ...config.hidden, config.outputSize];
  const shapes: TensorShape[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    shapes.push({ name: `fc${i + 1}.weight`, shape: [sizes[i + 1], sizes[i]] }, { name: `fc${i + 1}.bias`, shape: [sizes[i + 1]] });
  }
  return shapes;
}

/**
 * fc1 → act → [dropout] → … → fcL (logits), each activation fused into its dense layer unless
 * it is a leaky relu with a negative slope. Layer names and shapes follow PyTorch's state_dict
 * (fcK.weight [out, in], fcK.bias [out]) so weight files map one to one.
 */
export class MlpModel extends SequentialModel {
  readonly kind: ModelKind = 'mlp';
  readonly config: ResolvedMlpConfig;
  readonly dense: Dense[];

  constructor(
    backend: Backend,
    config: MlpConfig,
    seed: number,
  ) {
    super(backend);
    this.config = resolveMlpConfig(config);
    const { inputSize, outputSize, hidden, activation, dropout, leaky_slope } = this.config;
    const sizes = [inputSize, ...hidden, outputSize];
    const layers: Layer[] = [];
    this.dense = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      // The first layer's input is data: no gradient is needed for it.
      const hiddenLayer = i + 2 < sizes.length;
      // A hidden layer applies its activation itself where it can (one op instead of three on a GPU).
      const fuse = hiddenLayer && Dense.canFuse(activation, leaky_slope);
      const fc = new Dense(backend, `fc${i + 1}`, sizes[i], sizes[i + 1], i > 0, fuse ? { kind: activation, slope: leaky_slope } : undefined);
      this.dense.push(fc);
      layers.push(fc);
      if (!hiddenLayer) break;
      if (!fuse) layers.push(new Activation(backend, `act${i + 1}`, activation, sizes[i + 1], leaky_slope));
      if (dropout > 0) {
        layers.push(new Dropout(backend, `drop${i + 1}`, dropout, sizes[i + 1], (seed ^ (0x5bd1e995 * (i + 1))) | 0));
      }
    }
    this.setLayers('mlp', layers);
    initDenseLayers(backend, this.dense, activation, seed, leaky_slope);
  }

  get inputSize(): number {
    return this.config.inputSize;
  }

  /** The architecture JSON of docs/weights.md (what goes into a weight file's `config`). */
  configJson(): Record<string, unknown> {
    const { hidden, activation, leaky_slope, dropout } = this.config;
    const json: Record<string, unknown> = { hidden, activation };
    if (activationSpec(activation).usesSlope) json.leaky_slope = leaky_slope;
    if (dropout > 0) json.dropout = dropout;
    return json;
  }
}

/** What a weight file's config + tensors say about an MLP (inputs from fc1, classes from its class list). */
export function mlpConfigFromWeights(w: {
  config: Record<string, unknown>; classes: string[]; tensors: Map<string, { shape: number[] }>;
}): MlpConfig {
  const c = w.config ?? {};
  const fc1 = w.tensors.get('fc1.weight');
  if (!fc1 || fc1.shape.length !== 2) throw new Error('fc1.weight: missing or not 2-D in the weight file');
  const config: MlpConfig = {
    hidden: c.hidden as number[],
    activation: c.activation as Exclude<ActivationKind, 'identity'>,
    inputSize: fc1.shape[1],
  };
  if (c.leaky_slope !== undefined) config.leaky_slope = Number(c.leaky_slope);
  if (c.dropout !== undefined) config.dropout = Number(c.dropout);
  if (Array.isArray(w.classes) && w.classes.length > 0) config.outputSize = w.classes.length;
  else {
    const last = w.tensors.get(`fc${(Array.isArray(c.hidden) ? c.hidden.length : 0) + 1}.weight`);
    if (last) config.outputSize = last.shape[0];
  }
  return config;
}
