import type { ActivationSpec } from './spec';

/** No nonlinearity: a Dense layer's default (its output is the affine map itself). */
export const identity: ActivationSpec = {
  name: 'identity',
  forward: (x) => x,
  derivative: () => 1,
  derivativeFromOutput: () => true,
  usesSlope: false,
  init: 'he',
  glsl: { forward: 'v', backward: 'd' },
  loops: {
    forward(x, out, n) {
      if (out !== x) out.set(x.subarray(0, n));
    },
    backward(_x, _y, dy, dx, n) {
      if (dx !== dy) dx.set(dy.subarray(0, n));
    },
  },
};
