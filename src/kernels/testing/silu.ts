import { sigmoidOf, type ActivationSpec } from '../activations';

/**
 * SiLU (x·σ(x)) as PyTorch defines it, declared only for tests: the whole of what a new
 * activation needs (no CPU loops, no WASM assembly), registered at run time by the test that
 * proves every backend then runs it.
 */
export const silu: ActivationSpec = {
  name: 'silu',
  forward: (x) => x * sigmoidOf(x),
  derivative: (x) => {
    const s = sigmoidOf(x);
    return s * (1 + x * (1 - s));
  },
  // f' needs x: y = x·σ(x) does not give x back.
  derivativeFromOutput: () => false,
  usesSlope: false,
  init: 'he',
  glsl: {
    forward: 'v * siluSigmoid(v)',
    backward: 'd * siluSigmoid(x) * (1.0 + x * (1.0 - siluSigmoid(x)))',
    functions: `
float siluSigmoid(float v) {
  if (v >= 0.0) return 1.0 / (1.0 + exp(-v));
  float e = exp(v);
  return e / (1.0 + e);
}`,
  },
};
