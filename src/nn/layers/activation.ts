import type { ActivationKind, Backend } from '../../kernels/backend';
import { ShapedActivation } from './shaped-activation';

/**
 * Elementwise nonlinearity on flat [B, width] activations (dense layers): the one-dimensional case
 * of ShapedActivation. Keeps its input (relu/leaky need it) and output (tanh/sigmoid need it).
 */
export class Activation extends ShapedActivation {
  constructor(backend: Backend, name: string, kind: ActivationKind, /** Values per example. */ readonly width: number, slope = 0.01) {
    super(backend, name, kind, [width], slope);
  }
}
