import type { Backend } from '../../kernels/backend';
import type { Param } from '../types';

export interface ParamGradcheck {
  /** Worst relative error over every parameter element. */
  worst: number;
  checked: number;
}

/**
 * Analytic gradients (already in `params[k].grad`) against central differences of `lossValue` for
 * every element of every parameter, in float64 on a CPU backend. The relative error's denominator is
 * floored at 1e-3: the losses are O(1), so differences carry ~1e-10 of rounding noise, which must not
 * count as relative error on near-zero gradients.
 */
export function checkParamGradients(backend: Backend, params: readonly Param[], lossValue: () => number, eps: number): ParamGradcheck {
  const analytic = params.map((p) => Float64Array.from(backend.readSync!(p.grad)));
  let worst = 0, checked = 0;
  params.forEach((p, k) => {
    const value = Float64Array.from(backend.readSync!(p.value));
    for (let i = 0; i < value.length; i++) {
      const orig = value[i];
      value[i] = orig + eps;
      backend.write(p.value, value);
      const up = lossValue();
      value[i] = orig - eps;
      backend.write(p.value, value);
      const down = lossValue();
      value[i] = orig;
      backend.write(p.value, value);
      const numeric = (up - down) / (2 * eps);
      const err = Math.abs(numeric - analytic[k][i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[k][i]));
      worst = Math.max(worst, err);
      checked++;
    }
  });
  return { worst, checked };
}
