import type { Backend } from '../../kernels/backend';
import { Rng } from '../../kernels/rng';
import { initStd } from '../init';
import { ConcatHeads } from '../layers/concat-heads';
import { Conv2d, convOutSize } from '../layers/conv2d';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import type { Layer } from '../layers/layer';
import { MaxPool2d } from '../layers/maxpool';
import { Flatten, Reshape } from '../layers/reshape';
import { ShapedActivation } from '../layers/shaped-activation';
import type { CnnConfig, Param } from '../types';
import { SequentialModel } from './sequential-model';
import type { TensorShape } from './kind-spec';

export type CnnKind = 'cnn' | 'cnn2head';

const KERNEL = 3;
/** Outputs per head of cnn2head: one digit each (tens, ones). */
const DIGITS = 10;

export type ResolvedCnnConfig = Required<CnnConfig>;

type Shape3 = [number, number, number];

function positiveInt(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 1;
}

/** Fills defaults (input [1,28,56], 100 classes, no dropout) and rejects nonsense with a clear message. */
export function resolveCnnConfig(kind: CnnKind, config: CnnConfig): ResolvedCnnConfig {
  const c = config ?? ({} as CnnConfig);
  if (!Number.isInteger(c.padding) || c.padding < 0) {
    throw new Error(`${kind} config: "padding" must be a whole number ≥ 0, got ${JSON.stringify(c.padding)}`);
  }
  if (!Array.isArray(c.channels) || c.channels.length < 1 || !c.channels.every(positiveInt)) {
    throw new Error(`${kind} config: "channels" must be a non-empty list of positive integers, got ${JSON.stringify(c.channels)}`);
  }
  if (!positiveInt(c.fc)) throw new Error(`${kind} config: "fc" must be a positive integer, got ${JSON.stringify(c.fc)}`);
  const resolved: ResolvedCnnConfig = {
    padding: c.padding,
    channels: [...c.channels],
    fc: c.fc,
    dropout: c.dropout ?? 0,
    inputShape: [...(c.inputShape ?? [1, 28, 56])],
    outputSize: kind === 'cnn2head' ? DIGITS * DIGITS : (c.outputSize ?? 100),
  };
  if (!(resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw new Error(`${kind} config: dropout must be in [0, 1), got ${resolved.dropout}`);
  }
  if (resolved.inputShape.length !== 3 || !resolved.inputShape.every(positiveInt)) {
    throw new Error(`${kind} config: inputShape must be [channels, height, width], got ${JSON.stringify(resolved.inputShape)}`);
  }
  if (!positiveInt(resolved.outputSize)) throw new Error(`${kind} config: outputSize must be a positive integer`);
  return resolved;
}

/**
 * The tensors a CNN of this config holds, in layer order, and the largest feature map of one
 * example (values): the same shape arithmetic as Conv2d and MaxPool2d, without allocating anything.
 */
export function cnnTensorShapes(kind: CnnKind, config: ResolvedCnnConfig): { shapes: TensorShape[]; largestMap: number } {
  let [c, h, w] = config.inputShape;
  let largestMap = c * h * w;
  const shapes: TensorShape[] = [];
  config.channels.forEach((out, i) => {
    const ho = convOutSize(h, KERNEL, config.padding);
    const wo = convOutSize(w, KERNEL, config.padding);
    if (ho < 1 || wo < 1) throw new Error(`${kind} config: conv${i + 1} (3×3, padding ${config.padding}) does not fit ${h}×${w}`);
    largestMap = Math.max(largestMap, out * ho * wo);
    shapes.push({ name: `conv${i + 1}.weight`, shape: [out, c, KERNEL, KERNEL] }, { name: `conv${i + 1}.bias`, shape: [out] });
    [c, h, w] = [out, Math.floor(ho / 2), Math.floor(wo / 2)];
  });
  if (h < 1 || w < 1) throw new Error(`${kind} config: ${config.channels.length} pooling steps leave no feature map`);
  const dense = (name: string, inSize: number, outSize: number): TensorShape[] =>
    [{ name: `${name}.weight`, shape: [outSize, inSize] }, { name: `${name}.bias`, shape: [outSize] }];
  shapes.push(...dense('fc1', c * h * w, config.fc));
  if (kind === 'cnn') shapes.push(...dense('fc2', config.fc, config.outputSize));
  else shapes.push(...dense('head1', config.fc, DIGITS), ...dense('head2', config.fc, DIGITS));
  return { shapes, largestMap };
}

/**
 * The seed CNN (docs/weights.md, `cnn`): per conv block conv → max-pool → ReLU, then flatten → fc1 → ReLU →
 * dropout → fc2 (`cnn`) or two 10-way heads side by side (`cnn2head`, logits [B, 20]: head1 = tens,
 * head2 = ones). Pooling runs before the ReLU: max and ReLU commute (ReLU is monotone), so this is
 * exactly PyTorch's conv → ReLU → pool, with the ReLU on a 4× smaller map.
 */
export class CnnModel extends SequentialModel {
  readonly config: ResolvedCnnConfig;
  readonly convs: Conv2d[] = [];
  /** The last layer of each conv block (its ReLU): its output is the block's feature maps [C, H, W]. */
  readonly blockEnds: ShapedActivation[] = [];
  /** fc1, then fc2 (cnn) or head1, head2 (cnn2head). */
  readonly dense: Dense[] = [];
  /** Values per example after the last conv block (fc1's fan-in). */
  readonly flatSize: number;
  constructor(
    backend: Backend,
    readonly kind: CnnKind,
    config: CnnConfig,
    seed: number,
  ) {
    super(backend);
    this.config = resolveCnnConfig(kind, config);
    const layers: Layer[] = [new Reshape(backend, 'input', this.config.inputShape)];
    const features = this.addConvBlocks(layers);
    this.flatSize = features[0] * features[1] * features[2];
    layers.push(new Flatten(backend, 'flatten', features));
    this.addClassifier(layers, seed);
    this.setLayers(kind, layers);
    this.initWeights(seed);
  }

  get inputShape(): readonly number[] {
    return this.config.inputShape;
  }

  get inputSize(): number {
    const [c, h, w] = this.config.inputShape;
    return c * h * w;
  }

  /** Classes predicted: fc2's outputs, or the 100 numbers 10·tens + ones of cnn2head. */
  get classCount(): number {
    return this.config.outputSize;
  }

  /** The architecture JSON of docs/weights.md (a weight file's `config`). */
  configJson(): Record<string, unknown> {
    const { padding, channels, fc, dropout } = this.config;
    const json: Record<string, unknown> = { padding, channels: [...channels], fc };
    if (dropout > 0) json.dropout = dropout;
    return json;
  }

  /** conv → pool → ReLU per entry of `channels`; returns the final feature-map shape [C, H, W]. */
  private addConvBlocks(layers: Layer[]): Shape3 {
    const { backend } = this;
    let shape = this.config.inputShape as Shape3;
    this.config.channels.forEach((out, i) => {
      const k = i + 1;
      // The first conv reads data: it needs no input gradient.
      const conv = new Conv2d(backend, `conv${k}`, shape, out, KERNEL, this.config.padding, i > 0);
      const pool = new MaxPool2d(backend, `pool${k}`, conv.outShape);
      const relu = new ShapedActivation(backend, `relu${k}`, 'relu', pool.outShape);
      this.convs.push(conv);
      this.blockEnds.push(relu);
      layers.push(conv, pool, relu);
      shape = [...pool.outShape];
    });
    return shape;
  }

  private addClassifier(layers: Layer[], seed: number): void {
    const { backend } = this;
    const { fc, dropout, outputSize } = this.config;
    const fc1 = new Dense(backend, 'fc1', this.flatSize, fc, true, { kind: 'relu', slope: 0 });
    this.dense.push(fc1);
    layers.push(fc1);
    if (dropout > 0) layers.push(new Dropout(backend, 'dropout', dropout, fc, (seed ^ 0x5bd1e995) | 0));
    if (this.kind === 'cnn') {
      const fc2 = new Dense(backend, 'fc2', fc, outputSize, true);
      this.dense.push(fc2);
      layers.push(fc2);
      return;
    }
    const heads = [new Dense(backend, 'head1', fc, DIGITS, true), new Dense(backend, 'head2', fc, DIGITS, true)];
    this.dense.push(...heads);
    layers.push(new ConcatHeads(backend, 'heads', heads));
  }

  /** He normal (PyTorch kaiming, fan_in) for every weight, biases 0, drawn in layer order from one stream. */
  private initWeights(seed: number): void {
    const rng = new Rng(seed);
    const draw = (p: Param, fanIn: number): void => {
      const std = initStd('he', fanIn, 0);
      const w = new Float64Array(p.value.size);
      for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
      this.backend.write(p.value, w);
    };
    for (const conv of this.convs) {
      draw(conv.weight, conv.fanIn);
      this.backend.fill(conv.bias.value, 0);
    }
    for (const d of this.dense) {
      draw(d.weight, d.inSize);
      this.backend.fill(d.bias.value, 0);
    }
  }
}
