import type { Backend } from '../kernels/backend';
import type { Param } from './types';

/** What every model's zeroGrad does: zero each parameter's gradient before a backward pass. */
export function zeroGrads(backend: Backend, params: readonly Param[]): void {
  for (const p of params) backend.fill(p.grad, 0);
}

/** Trainable numbers in a parameter list. */
export function countParameters(params: readonly Param[]): number {
  let n = 0;
  for (const p of params) n += p.value.size;
  return n;
}

/** A parameter with its value and gradient tensors of `shape` (zeros until initialized). */
export function newParam(backend: Backend, name: string, shape: number[], decay: boolean): Param {
  return { name, value: backend.tensor(shape), grad: backend.tensor(shape), decay };
}

/** Frees the value and gradient of each parameter. */
export function disposeParams(backend: Backend, params: readonly Param[]): void {
  for (const p of params) {
    backend.dispose(p.value);
    backend.dispose(p.grad);
  }
}
