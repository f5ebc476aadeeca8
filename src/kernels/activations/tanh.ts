import type { ActivationSpec } from './spec';

/** tanh, with tanh' = 1 − y² from the output. */
export const tanh: ActivationSpec = {
  name: 'tanh',
  forward: (x) => Math.tanh(x),
  derivative: (_x, y) => 1 - y * y,
  derivativeFromOutput: () => true,
  usesSlope: false,
  init: 'xavier',
  glsl: {
    forward: 'tanhOf(v)',
    backward: 'd * (1.0 - y * y)',
    // exp only sees a non-positive argument: no overflow to NaN on huge inputs.
    functions: `
float tanhOf(float v) {
  float t = exp(-2.0 * abs(v));
  float r = (1.0 - t) / (1.0 + t);
  return v < 0.0 ? -r : r;
}`,
  },
  loops: {
    forward(x, out, n) {
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
    },
    backward(_x, y, dy, dx, n) {
      for (let i = 0; i < n; i++) { const v = y[i]; dx[i] = dy[i] * (1 - v * v); }
    },
  },
};
