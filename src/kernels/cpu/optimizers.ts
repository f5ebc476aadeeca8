import type { AdamParams, FloatArray } from '../backend';

/** Plain SGD with coupled L2: p −= lr·(g + wd·p). */
export function sgdUpdate(p: FloatArray, g: FloatArray, n: number, lr: number, wd: number): void {
  for (let i = 0; i < n; i++) p[i] -= lr * (g[i] + wd * p[i]);
}

/**
 * PyTorch SGD with momentum (dampening 0, no Nesterov): v = μ·v + (g + wd·p); p −= lr·v.
 * PyTorch seeds v with the first gradient; starting from v = 0 gives the same first step.
 */
export function momentumUpdate(
  p: FloatArray, g: FloatArray, v: FloatArray, n: number, lr: number, mu: number, wd: number,
): void {
  for (let i = 0; i < n; i++) {
    const vi = mu * v[i] + g[i] + wd * p[i];
    v[i] = vi;
    p[i] -= lr * vi;
  }
}

/**
 * torch.optim.Adam / AdamW, written as PyTorch computes it so float32 runs round alike:
 * denom = √v / √(1−β2ᵗ) + eps; p −= (lr/(1−β1ᵗ))·m/denom. Adam adds wd·p to the gradient (L2);
 * AdamW first shrinks p by (1 − lr·wd).
 */
export function adamUpdate(
  p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, n: number, o: AdamParams,
): void {
  const { lr, beta1, beta2, eps, step, weightDecay, decoupled } = o;
  const biasCorrection1 = 1 - Math.pow(beta1, step);
  const sqrtBiasCorrection2 = Math.sqrt(1 - Math.pow(beta2, step));
  const stepSize = lr / biasCorrection1;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  for (let i = 0; i < n; i++) {
    const pi = p[i] * shrink;
    const gi = g[i] + l2 * p[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - stepSize * mi / (Math.sqrt(vi) / sqrtBiasCorrection2 + eps);
  }
}
