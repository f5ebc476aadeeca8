import type { ActivationSpec } from './spec';

/** PyTorch's LeakyReLU(negative_slope); its derivative at 0 is the slope (the `x > 0` test). */
export const leakyRelu: ActivationSpec = {
  name: 'leaky_relu',
  forward: (x, slope) => (x > 0 ? x : x * slope),
  derivative: (x, _y, slope) => (x > 0 ? 1 : slope),
  // A negative slope flips the sign, so y > 0 no longer tells x > 0.
  derivativeFromOutput: (slope) => slope >= 0,
  usesSlope: true,
  init: 'he',
  glsl: { forward: 'v > 0.0 ? v : v * u_slope', backward: 'x > 0.0 ? d : d * u_slope' },
  loops: {
    forward(x, out, n, slope) {
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : v * slope; }
    },
    backward(x, _y, dy, dx, n, slope) {
      for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * slope;
    },
  },
};
