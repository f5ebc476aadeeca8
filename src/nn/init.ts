import { activationSpec, type InitFamily } from '../kernels/activations';
import type { ActivationKind, Backend } from '../kernels/backend';
import { Rng } from '../kernels/rng';
import type { Dense } from './layers/dense';

export type InitScheme = InitFamily;

/** He (Kaiming normal, fan_in) for the ReLU family, Xavier/Glorot normal for saturating units: each activation says which. */
export function initSchemeFor(activation: ActivationKind): InitScheme {
  return activationSpec(activation).init;
}

/**
 * Standard deviation of the normal a weight [fanOut, fanIn] is drawn from.
 * He uses PyTorch's kaiming gain √(2/(1+a²)) (a = leaky slope, 0 for relu); Xavier uses gain 1.
 */
export function initStd(scheme: InitScheme, fanIn: number, fanOut: number, leakySlope = 0): number {
  if (scheme === 'xavier') return Math.sqrt(2 / (fanIn + fanOut));
  return Math.sqrt(2 / ((1 + leakySlope * leakySlope) * fanIn));
}

/**
 * Draws every layer's weights in order from one seeded stream (biases 0), so the same seed gives
 * bit-identical weights on every run and platform.
 */
export function initDenseLayers(
  backend: Backend,
  layers: readonly Dense[],
  activation: ActivationKind,
  seed: number,
  leakySlope = 0,
): void {
  const rng = new Rng(seed);
  const scheme = initSchemeFor(activation);
  const slope = activationSpec(activation).usesSlope ? leakySlope : 0;
  for (const layer of layers) {
    const std = initStd(scheme, layer.inSize, layer.outSize, slope);
    const w = new Float64Array(layer.inSize * layer.outSize);
    for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
    backend.write(layer.weight.value, w);
    backend.fill(layer.bias.value, 0);
  }
}
