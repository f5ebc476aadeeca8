import type { ActivationKind, Backend, MatmulOptions, Tensor } from './backend';

const X_TIMES_W_T: MatmulOptions = Object.freeze({ transB: true });

/**
 * backend.linear as its three parts (matmul, bias, activation in place): what the CPU backends
 * run, where a fused loop would save little next to the product itself. The arguments are
 * checked already (CheckedBackend.linear).
 */
export function linearByParts(
  backend: Backend, x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope: number,
): void {
  backend.matmul(x, weight, out, X_TIMES_W_T);
  backend.addRowVector(out, bias, out);
  if (activation !== 'identity') backend.activation(activation, out, out, slope);
}
