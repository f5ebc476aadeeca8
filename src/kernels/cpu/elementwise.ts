import type { ActivationKind, FloatArray } from '../backend';

/** Logistic function without overflow: exp only ever sees a non-positive argument. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** out = f(x); out may alias x. */
export function activationForward(
  kind: ActivationKind, x: FloatArray, out: FloatArray, n: number, slope: number,
): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : 0; }
      return;
    case 'leaky_relu':
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : v * slope; }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]);
      return;
    case 'identity':
      if (out !== x) out.set(x.subarray(0, n));
      return;
  }
}

/**
 * dx = dy ⊙ f'. Derivatives follow PyTorch: relu'(0) = 0 and leaky'(0) = slope (the `x > 0`
 * test), tanh' = 1 − y², sigmoid' = y(1 − y) from the saved output y. dx may alias dy.
 */
export function activationBackward(
  kind: ActivationKind, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray,
  n: number, slope: number,
): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
      return;
    case 'leaky_relu':
      for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * slope;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) { const v = y[i]; dx[i] = dy[i] * (1 - v * v); }
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) { const v = y[i]; dx[i] = dy[i] * v * (1 - v); }
      return;
    case 'identity':
      if (dx !== dy) dx.set(dy.subarray(0, n));
      return;
  }
}

export function scaleInto(x: FloatArray, alpha: number, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = alpha * x[i];
}

export function axpyInto(alpha: number, x: FloatArray, y: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
}

export function mulInto(a: FloatArray, b: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}
