/**
 * Deliberately naive float64 reference implementations of every Backend op, written from the
 * textbook / PyTorch-doc formulas rather than from the fast kernels, so that a shared mistake
 * is unlikely. Used by the conformance suite and the CPU tests. Arrays are row-major.
 */
import { activationSpec } from '../activations';
import { hashUniform, type ActivationKind, type AdamParams } from '../backend';

type Arr = ArrayLike<number>;

/** op(a)[m,k] · op(b)[k,n] with a stored [m,k] ([k,m] if transA) and b [k,n] ([n,k] if transB). */
export function matmulRef(
  a: Arr, b: Arr, m: number, n: number, k: number, transA = false, transB = false,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p];
        const bv = transB ? b[j * k + p] : b[p * n + j];
        s += av * bv;
      }
      out[i * n + j] = s;
    }
  }
  return out;
}

export function addRowVectorRef(x: Arr, bias: Arr, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = x[r * cols + c] + bias[c];
  return out;
}

export function sumRowsRef(x: Arr, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out[c] += x[r * cols + c];
  return out;
}

/**
 * f(v), written here apart from the kernels for the built-in activations; any other registered
 * activation is checked against its own float64 definition (its derivative by finite differences).
 */
export function activationRef(kind: ActivationKind, v: number, slope = 0.01): number {
  switch (kind) {
    case 'relu': return Math.max(0, v);
    case 'leaky_relu': return v >= 0 ? v : slope * v;
    case 'tanh': return Math.tanh(v);
    case 'sigmoid': return 1 / (1 + Math.exp(-v));
    case 'identity': return v;
    default: return activationSpec(kind).forward(v, slope);
  }
}

/** f'(x) with PyTorch's convention at the kink (derivative taken from the x ≤ 0 side). */
export function activationDerivRef(kind: ActivationKind, x: number, slope = 0.01): number {
  switch (kind) {
    case 'relu': return x > 0 ? 1 : 0;
    case 'leaky_relu': return x > 0 ? 1 : slope;
    case 'tanh': return 1 - Math.tanh(x) ** 2;
    case 'sigmoid': { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); }
    case 'identity': return 1;
    default: {
      const spec = activationSpec(kind);
      return spec.derivative(x, spec.forward(x, slope), slope);
    }
  }
}

export interface SoftmaxCeRef { loss: number; probs: Float64Array; dlogits: Float64Array }

/** Mean cross-entropy against target = (1−ε)·onehot + ε/C, via explicit softmax and log. */
export function softmaxCrossEntropyRef(
  logits: Arr, labels: Arr, rows: number, classes: number, smoothing: number,
): SoftmaxCeRef {
  const probs = new Float64Array(rows * classes);
  const dlogits = new Float64Array(rows * classes);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: classes }, (_, c) => logits[r * classes + c]);
    const max = Math.max(...row);
    const exps = row.map((z) => Math.exp(z - max));
    const total = exps.reduce((s, e) => s + e, 0);
    for (let c = 0; c < classes; c++) {
      const p = exps[c] / total;
      const target = (c === labels[r] ? 1 - smoothing : 0) + smoothing / classes;
      probs[r * classes + c] = p;
      dlogits[r * classes + c] = (p - target) / rows;
      loss -= target * (row[c] - max - Math.log(total));
    }
  }
  return { loss: loss / rows, probs, dlogits };
}

export function argmaxRowsRef(x: Arr, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (x[r * cols + c] > x[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

export function dropoutMaskRef(n: number, p: number, seed: number): Float64Array {
  const mask = new Float64Array(n);
  for (let i = 0; i < n; i++) mask[i] = hashUniform(seed, i) >= p ? (p >= 1 ? 0 : 1 / (1 - p)) : 0;
  return mask;
}

/** One torch.optim.SGD step (momentum 0). Mutates p. */
export function sgdRef(p: Float64Array, g: Arr, lr: number, wd: number): void {
  for (let i = 0; i < p.length; i++) p[i] -= lr * (g[i] + wd * p[i]);
}

/** One torch.optim.SGD step with momentum: buf = g' on the first step, μ·buf + g' after. */
export function momentumRef(
  p: Float64Array, g: Arr, buf: Float64Array, first: boolean, lr: number, mu: number, wd: number,
): void {
  for (let i = 0; i < p.length; i++) {
    const d = g[i] + wd * p[i];
    buf[i] = first ? d : mu * buf[i] + d;
    p[i] -= lr * buf[i];
  }
}

/** One Adam/AdamW step in the paper's form: p −= lr·m̂/(√v̂ + eps). Mutates p, m, v. */
export function adamRef(p: Float64Array, g: Arr, m: Float64Array, v: Float64Array, o: AdamParams): void {
  for (let i = 0; i < p.length; i++) {
    let grad = g[i];
    if (o.decoupled) p[i] -= o.lr * o.weightDecay * p[i];
    else grad += o.weightDecay * p[i];
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * grad;
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * grad * grad;
    const mHat = m[i] / (1 - o.beta1 ** o.step);
    const vHat = v[i] / (1 - o.beta2 ** o.step);
    p[i] -= (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
  }
}
