import type { ActivationSpec } from './spec';

/** PyTorch's ReLU; relu'(0) = 0 (the `x > 0` test). */
export const relu: ActivationSpec = {
  name: 'relu',
  forward: (x) => (x > 0 ? x : 0),
  derivative: (x) => (x > 0 ? 1 : 0),
  // y > 0 exactly when x > 0.
  derivativeFromOutput: () => true,
  usesSlope: false,
  init: 'he',
  glsl: { forward: 'v > 0.0 ? v : 0.0', backward: 'x > 0.0 ? d : 0.0' },
  loops: {
    forward(x, out, n) {
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : 0; }
    },
    backward(x, _y, dy, dx, n) {
      for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
    },
  },
};
