import { activationSpec, type ActivationKind } from '../activations';
import type { FloatArray } from '../backend';

/** out = f(x); out may alias x. An activation without its own loop runs its scalar definition. */
export function activationForward(
  kind: ActivationKind, x: FloatArray, out: FloatArray, n: number, slope: number,
): void {
  const spec = activationSpec(kind);
  if (spec.loops !== undefined) {
    spec.loops.forward(x, out, n, slope);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = spec.forward(x[i], slope);
}

/** dx = dy ⊙ f'(x, y), f' as PyTorch's autograd takes it (see each ActivationSpec). dx may alias dy. */
export function activationBackward(
  kind: ActivationKind, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray,
  n: number, slope: number,
): void {
  const spec = activationSpec(kind);
  if (spec.loops !== undefined) {
    spec.loops.backward(x, y, dy, dx, n, slope);
    return;
  }
  for (let i = 0; i < n; i++) dx[i] = dy[i] * spec.derivative(x[i], y[i], slope);
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
