import type { ActivationKind, Backend, Tensor } from '../kernels/backend';

/** A trainable tensor with its gradient, named as PyTorch's state_dict names it (e.g. 'fc1.weight'). */
export interface Param {
  name: string;
  value: Tensor;
  grad: Tensor;
  /** false for biases: L2 / weight decay applies only to weights (the seed recipes' convention). */
  decay: boolean;
}

/** Host-side copy of a named tensor: what io writes to files and what import reads back. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

export type StateDict = Map<string, NamedArray>;

export type ModelKind = 'mlp' | 'cnn' | 'cnn2head' | 'rnn';

export interface MlpConfig {
  hidden: number[];
  activation: Exclude<ActivationKind, 'identity'>;
  /** LeakyReLU negative slope (PyTorch default 0.01). */
  leaky_slope?: number;
  /** Input size; 784 for MNIST. Not part of the A1 config JSON (it is in fc1's shape). */
  inputSize?: number;
  /** Number of classes; 10 for MNIST. */
  outputSize?: number;
  /** Dropout after each hidden activation (training only); 0 = none. */
  dropout?: number;
}

/**
 * The seed CNN family (docs/weights.md, `cnn` / `cnn2head`): per entry of `channels` a 3×3 convolution
 * (stride 1, zero padding `padding`), ReLU and 2×2 max-pool; then flatten, fc1 (`fc` units), ReLU,
 * dropout (training only) and fc2 — or, for cnn2head, two 10-way heads.
 */
export interface CnnConfig {
  padding: number;
  channels: number[];
  fc: number;
  /** Dropout after fc1's ReLU (training only); 0 = none. */
  dropout?: number;
  /** Per-example input [C, H, W]; [1, 28, 56] for paired MNIST. Not part of the A1 config JSON. */
  inputShape?: number[];
  /** Classes of `cnn` (fc2's outputs); 100 for paired MNIST. cnn2head always has 10 + 10 outputs. */
  outputSize?: number;
}

/**
 * docs/weights.md, `rnn`: a bidirectional GRU (nn.GRU(3, hidden, layers, bidirectional=True)) over the
 * step inputs (dx/s, dy/s, p) of a drawing, then `fc` on the top layer's two final states.
 */
export interface RnnConfig {
  hidden: number;
  layers: number;
  /** Points kept per drawing (the longest sequence a batch pads to). */
  max_len: number;
  /** s in the step input (dx/s, dy/s, p). */
  delta_scale: number;
  /** Dropout between GRU layers (training only), as nn.GRU's `dropout`; 0 = none. */
  dropout?: number;
  /** Dropout on the two final states the classifier reads (training only); 0 = none. */
  head_dropout?: number;
  /** Number of classes (fc's outputs); 10 by default. Not part of the A1 config JSON. */
  outputSize?: number;
}

/**
 * Per-input standardization kept with a model and saved as `norm.mean` / `norm.std` (docs/weights.md):
 * x = (pixels/255 − mean) / std. Host arrays, one value per input element.
 */
export interface InputNorm {
  mean: Float32Array;
  std: Float32Array;
}

/**
 * What a forward pass reads. Image models: `input` [B, ...inputShape] (normalized floats).
 * Sequence models: `input` time-major [T·B, features] and `lengths` [B], the real steps of each
 * sequence. A training batch and a PackedSequences are both ModelBatches.
 */
export interface ModelBatch {
  input: Tensor;
  lengths?: Tensor | null;
}

/**
 * Every model is a stack of layers owning their forward/backward; the model exposes only this.
 * What depends on its kind (input layout, classes, loss, description) is its kind's spec
 * (src/nn/models/registry.ts), read from `kind` and `config`.
 */
export interface Model {
  readonly kind: ModelKind;
  /** The resolved architecture, as its kind's spec reads it. */
  readonly config: object;
  readonly backend: Backend;
  readonly params: Param[];
  /** Input standardization applied by batching; absent/null means x = pixels/255. */
  norm?: InputNorm | null;
  /** Logits [B, C]; the returned tensor is owned by the model and valid until the next forward. */
  forward(batch: ModelBatch, training: boolean): Tensor;
  /** Given dLoss/dLogits, accumulates into every param.grad (call zeroGrad first). */
  backward(dlogits: Tensor): void;
  zeroGrad(): void;
  parameterCount(): number;
  /** The architecture JSON of docs/weights.md (a weight file's `config`). */
  configJson(): Record<string, unknown>;
  /** Frees every tensor the model owns. */
  dispose(): void;
}
