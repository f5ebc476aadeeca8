import type { ActivationSpec } from './spec';

/** Logistic function without overflow: exp only ever sees a non-positive argument. */
export function sigmoidOf(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The logistic sigmoid, with sigmoid' = y(1 − y) from the output. */
export const sigmoid: ActivationSpec = {
  name: 'sigmoid',
  forward: sigmoidOf,
  derivative: (_x, y) => y * (1 - y),
  derivativeFromOutput: () => true,
  usesSlope: false,
  init: 'xavier',
  glsl: {
    forward: 'sigmoidOf(v)',
    backward: 'd * y * (1.0 - y)',
    functions: `
float sigmoidOf(float v) {
  if (v >= 0.0) return 1.0 / (1.0 + exp(-v));
  float e = exp(v);
  return e / (1.0 + e);
}`,
  },
  loops: {
    forward(x, out, n) {
      for (let i = 0; i < n; i++) out[i] = sigmoidOf(x[i]);
    },
    backward(_x, y, dy, dx, n) {
      for (let i = 0; i < n; i++) { const v = y[i]; dx[i] = dy[i] * v * (1 - v); }
    },
  },
};
