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

import type { ActivationKind } from './activations';

export type BackendName = 'cpu' | 'webgl2' | 'wasm';

/** The activations the ops take: each declared once in activations/ (one file per activation). */
export type { ActivationKind };

export type FloatArray = Float32Array | Float64Array;

/** PyTorch's LeakyReLU default negative slope: the `slope` of an op that is given none. */
export const DEFAULT_LEAKY_SLOPE = 0.01;

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
  /**
   * out[M,N] = f(x[M,K] · weight[N,K]ᵀ + bias[N]): PyTorch's F.linear followed by the activation,
   * the forward of a dense layer in one op, so a GPU backend applies the bias and the activation
   * while it writes the product instead of in two more passes over it. out must be none of the
   * inputs.
   */
  linear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope?: number): void;
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
  /**
   * Adds the cross-entropies of the two marginals of each row's softmax, with the C classes seen
   * as a gridRows × (C/gridRows) grid (class = r·cols + c): with p = softmax(logits[b]),
   * p_row(r) = Σ_c p(r,c), p_col(c) = Σ_r p(r,c) and the label's cell (r*, c*),
   * aux_b = −log p_row(r*) − log p_col(c*). loss[0] += weight·mean_b aux_b and
   * dlogits += weight·∂(mean aux)/∂logits, so it runs right after softmaxCrossEntropy wrote them.
   * Each log-marginal is its own log-sum-exp of the logits: logits of any magnitude stay finite.
   */
  gridMarginalCrossEntropy(
    logits: Tensor, labels: Tensor, gridRows: number, weight: number, dlogits: Tensor, loss: Tensor,
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

  // ---- convolution (CNN) --------------------------------------------------
  // NCHW, stride 1, square k×k kernels, zero padding `pad` on every side; cross-correlation
  // as PyTorch's Conv2d. Output size Ho = H + 2·pad − k + 1, Wo = W + 2·pad − k + 1.
  /** out[B,O,Ho,Wo] = conv(x[B,C,H,W], weight[O,C,k,k]) + bias[O]. */
  conv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, pad: number): void;
  /** dx[B,C,H,W] = ∂L/∂x given dy[B,O,Ho,Wo] (overwrites dx). */
  conv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, pad: number): void;
  /**
   * dweight[O,C,k,k] (+)= ∂L/∂weight and dbias[O] (+)= Σ_{b,y,x} dy, given the forward input
   * x[B,C,H,W] and dy[B,O,Ho,Wo]; `accumulate` adds into both instead of overwriting.
   */
  conv2dBackwardWeight(
    x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, pad: number, accumulate?: boolean,
  ): void;
  /**
   * Max-pool 2×2 stride 2: out[B,C,⌊H/2⌋,⌊W/2⌋] (odd trailing row/column dropped, as PyTorch).
   * argmax (shape of out, caller-owned) receives each winner's index inside its H×W input plane
   * (y·W + x, PyTorch's return_indices convention; first maximum in row-major window order;
   * NaN wins), so backward needs no recompute.
   */
  maxPool2d(x: Tensor, out: Tensor, argmax: Tensor): void;
  /** dx[B,C,H,W] = 0, then dy scattered to the argmax positions of maxPool2d. */
  maxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor): void;

  // ---- recurrent (GRU) ----------------------------------------------------
  // One direction of one layer of PyTorch's nn.GRU over a padded, time-major batch (see
  // GruForwardArgs). Sequence-level so a GPU backend can loop over steps internally.
  /** Runs the recurrence; fills hAll, cache and hLast. */
  gruForward(args: GruForwardArgs): void;
  /** Backpropagation through time: dxProj = ∂L/∂xProj (overwritten); dwhh, dbhh accumulate. */
  gruBackward(args: GruBackwardArgs): void;
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

// ---- recurrent (GRU) ------------------------------------------------------

/**
 * Arguments of `Backend.gruForward` (an object because eight same-typed tensors in a row are
 * easy to swap; a layer keeps one and reuses it every step). Gate order r, z, n as PyTorch:
 *   r = σ(x_r + W_hr h + b_hr), z = σ(x_z + W_hz h + b_hz),
 *   n = tanh(x_n + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h, h0 = 0,
 * where x = xProj[t] = x_t·W_ihᵀ + b_ih, computed for all steps by ONE matmul of the caller.
 * Time-major: row t·B + b is step t of sequence b, so a [T·B, 3H] matmul output is a valid
 * xProj and a [T·B, H] hAll is a valid input of the next layer's matmul (shapes are checked by
 * element count). Sequence b is real at steps t < lengths[b]; padded steps get zeros in hAll and
 * affect nothing. Forward runs t = 0..len−1; reverse runs t = len−1 down to 0 on the same xProj
 * (no data reversal needed). hLast is PyTorch's packed h_n: the state after step len−1
 * (forward) or after step 0 (reverse); zeros for a length-0 sequence.
 */
export interface GruForwardArgs {
  /** [T,B,3H] (or [T·B,3H]): input projections, blocks r | z | n. */
  xProj: Tensor;
  /** [3H,H]: weight_hh (PyTorch layout). */
  whh: Tensor;
  /** [3H]: bias_hh. */
  bhh: Tensor;
  /** [B]: real steps per sequence, integers in [0, T] stored as floats. */
  lengths: Tensor;
  reverse: boolean;
  /** out [T,B,H] (or [T·B,H]): the state after every step. */
  hAll: Tensor;
  /** out [T,B,GRU_CACHE_GATES·H]: what gruBackward needs; see gruCacheShape. */
  cache: Tensor;
  /** out [B,H]. */
  hLast: Tensor;
}

/** Arguments of `Backend.gruBackward`: the forward's whh, lengths, reverse, hAll and cache. */
export interface GruBackwardArgs {
  whh: Tensor;
  lengths: Tensor;
  reverse: boolean;
  hAll: Tensor;
  cache: Tensor;
  /** [T,B,H]: ∂L/∂hAll (zeros when only hLast feeds the loss); ignored at padded steps. */
  dhAll: Tensor;
  /** [B,H]: ∂L/∂hLast (zeros when only hAll feeds the loss). */
  dhLast: Tensor;
  /** out [T,B,3H]: ∂L/∂xProj, zeros at padded steps. Then dx = dxProj·W_ih, dW_ih = dxProjᵀ·x. */
  dxProj: Tensor;
  /** [3H,H], accumulated into. */
  dwhh: Tensor;
  /** [3H], accumulated into. */
  dbhh: Tensor;
}

/** Values per (step, sequence) in a GRU cache, in units of H: r, z, n, W_hn·h + b_hn. */
export const GRU_CACHE_GATES = 4;

/** Shape of the `cache` tensor of gruForward / gruBackward. */
export function gruCacheShape(steps: number, batch: number, hidden: number): number[] {
  return [steps, batch, GRU_CACHE_GATES * hidden];
}
