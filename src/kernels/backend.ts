/**
 * The one interface every compute backend implements. `nn` talks only to this.
 *
 * Design rules (so a GPU backend can slot in without touching `nn`):
 * - Tensors are opaque handles; data leaves a backend only through `read` (async: a GPU
 *   read-back is a fence + pixel-pack buffer) or `readSync` on backends that can.
 * - Every op writes into an `out` tensor the caller owns. Layers allocate their buffers once
 *   per batch shape and reuse them every step, so a training step allocates nothing.
 * - Shapes are row-major. A "matrix" op treats a tensor as [rows, cols] = [shape[0], size/shape[0]]
 *   unless stated.
 * - Integer data (class labels, masks) travels as float values: exact up to 2^24.
 */

export type BackendName = 'cpu' | 'webgl2' | 'wasm';

export type ActivationKind = 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'identity';

export type FloatArray = Float32Array | Float64Array;

export interface Tensor {
  readonly shape: readonly number[];
  readonly size: number;
  /** Unique per live allocation; lets backends keep side tables and tests detect leaks. */
  readonly id: number;
}

export interface MatmulOptions {
  /** Use aᵀ: a is stored [K, M]. */
  transA?: boolean;
  /** Use bᵀ: b is stored [N, K]. */
  transB?: boolean;
  /** out += result instead of out = result (gradient accumulation). */
  accumulate?: boolean;
}

export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step count, for bias correction. */
  step: number;
  weightDecay: number;
  /** true: AdamW (decoupled decay, param *= 1 - lr·wd); false: L2 added to the gradient. */
  decoupled: boolean;
}

export interface Backend {
  readonly name: BackendName;
  /** 'f64' only on the CPU backend, for gradient checks. */
  readonly precision: 'f32' | 'f64';

  // ---- memory -------------------------------------------------------------
  /** A tensor of `shape`, zero-filled unless `data` is given. Reuses pooled storage. */
  tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor;
  /** Returns storage to the pool. Using `t` afterwards is an error. */
  dispose(t: Tensor): void;
  write(t: Tensor, data: ArrayLike<number>): void;
  read(t: Tensor): Promise<FloatArray>;
  /** Synchronous read where the backend can (CPU); undefined on GPU backends. */
  readSync?(t: Tensor): FloatArray;
  /** Number of live (not disposed) tensors: leak tests watch this stay flat. */
  liveTensors(): number;

  // ---- linear algebra -----------------------------------------------------
  /** out[M,N] (+)= op(a)[M,K] · op(b)[K,N]. a, b, out are 2-D. */
  matmul(a: Tensor, b: Tensor, out: Tensor, opts?: MatmulOptions): void;
  /** out[M,N] = x[M,N] + bias[N] broadcast over rows. out may be x. */
  addRowVector(x: Tensor, bias: Tensor, out: Tensor): void;
  /** out[N] (+)= Σ_rows x[M,N]. */
  sumRows(x: Tensor, out: Tensor, accumulate?: boolean): void;

  // ---- elementwise --------------------------------------------------------
  /** out = f(x). out may be x. */
  activation(kind: ActivationKind, x: Tensor, out: Tensor, slope?: number): void;
  /**
   * dx = dy ⊙ f'(·). Needs x (pre-activation) for relu/leaky_relu and y (output) for
   * tanh/sigmoid; pass both, a backend uses what it needs. dx may be dy.
   */
  activationBackward(
    kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope?: number,
  ): void;
  /** out = alpha·x. out may be x. */
  scale(x: Tensor, alpha: number, out: Tensor): void;
  /** y += alpha·x. */
  axpy(alpha: number, x: Tensor, y: Tensor): void;
  /** out = a ⊙ b. */
  mul(a: Tensor, b: Tensor, out: Tensor): void;
  fill(t: Tensor, value: number): void;
  copy(src: Tensor, dst: Tensor): void;

  // ---- losses and metrics -------------------------------------------------
  /**
   * Mean softmax cross-entropy over the batch with optional label smoothing ε
   * (target = (1-ε)·onehot + ε/C, as PyTorch). logits [B,C]; labels [B] (class indices);
   * probs [B,C] = softmax; dlogits [B,C] = (probs − target)/B; loss [1].
   */
  softmaxCrossEntropy(
    logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, smoothing: number,
  ): void;
  /** out[B] = index of the row maximum of x[B,C] (first on ties). */
  argmaxRows(x: Tensor, out: Tensor): void;
  /** out[1] = Σ x². */
  sumSquares(x: Tensor, out: Tensor): void;

  // ---- regularization -----------------------------------------------------
  /**
   * Inverted dropout: mask = keep ? 1/(1-p) : 0 with keep decided by a counter-based hash
   * of (seed, index), so every backend draws the same mask; out = x ⊙ mask.
   */
  dropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void;

  // ---- optimizer updates (in place on param and state) -------------------
  /** p -= lr·(g + wd·p). */
  sgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void;
  /** PyTorch SGD momentum: v = μ·v + (g + wd·p); p -= lr·v. */
  momentumStep(
    param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number,
  ): void;
  /** PyTorch Adam / AdamW. */
  adamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void;
}

/** 32-bit counter hash → uniform [0,1). Shared by all backends so dropout masks agree. */
export function hashUniform(seed: number, index: number): number {
  let h = (Math.imul(index, 0x9e3779b1) ^ Math.imul(seed | 0, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** [rows, cols] view of a tensor: first dimension × the rest. */
export function rowsCols(t: Tensor): [number, number] {
  const rows = t.shape.length === 0 ? 1 : t.shape[0];
  return [rows, rows === 0 ? 0 : t.size / rows];
}
