/**
 * Optimizer steps against closed forms of PyTorch's update rules over several steps.
 * With a constant gradient g these have short exact answers, independent of any implementation.
 */
import { describe, expect, it } from 'vitest';
import type { AdamParams } from '../backend';
import { CpuBackend } from './index';

const b = new CpuBackend({ precision: 'f64' });
const g = [0.5, -2, 1e-3];
const p0 = [1, -1, 0.25];

function steps(n: number, update: (p: ReturnType<CpuBackend['tensor']>, grad: ReturnType<CpuBackend['tensor']>, step: number) => void): number[] {
  const p = b.tensor([3], p0), grad = b.tensor([3], g);
  for (let s = 1; s <= n; s++) update(p, grad, s);
  return Array.from(b.readSync(p));
}

describe('optimizer steps (PyTorch formulas)', () => {
  it('SGD: p −= lr·(g + wd·p) compounds as p·(1−lr·wd)ⁿ − …', () => {
    const [lr, wd] = [0.1, 0.2];
    const got = steps(3, (p, grad) => b.sgdStep(p, grad, lr, wd));
    // fixed point of p ← p(1 − lr·wd) − lr·g is −g/wd
    const r = 1 - lr * wd;
    got.forEach((v, i) => expect(v).toBeCloseTo(r ** 3 * (p0[i] + g[i] / wd) - g[i] / wd, 12));
  });

  it('SGD momentum: v = 1, 1.9, 2.71 × g for μ = 0.9', () => {
    const v = b.tensor([3]);
    const got = steps(3, (p, grad) => b.momentumStep(p, grad, v, 0.01, 0.9, 0));
    got.forEach((val, i) => expect(val).toBeCloseTo(p0[i] - 0.01 * (1 + 1.9 + 2.71) * g[i], 12));
    Array.from(b.readSync(v)).forEach((val, i) => expect(val).toBeCloseTo(2.71 * g[i], 12));
  });

  it('SGD momentum with weight decay: first step uses g + wd·p', () => {
    const v = b.tensor([3]);
    const got = steps(1, (p, grad) => b.momentumStep(p, grad, v, 0.1, 0.9, 0.5));
    got.forEach((val, i) => expect(val).toBeCloseTo(p0[i] - 0.1 * (g[i] + 0.5 * p0[i]), 12));
  });

  const adam = (step: number, decoupled: boolean, weightDecay: number): AdamParams =>
    ({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, weightDecay, decoupled });

  it('Adam: bias correction makes m̂ = g, v̂ = g², so each step moves lr·g/(|g| + eps)', () => {
    const m = b.tensor([3]), v = b.tensor([3]);
    const got = steps(4, (p, grad, s) => b.adamStep(p, grad, m, v, adam(s, false, 0)));
    got.forEach((val, i) => expect(val).toBeCloseTo(p0[i] - 4 * 0.01 * g[i] / (Math.abs(g[i]) + 1e-8), 10));
    Array.from(b.readSync(m)).forEach((val, i) => expect(val).toBeCloseTo((1 - 0.9 ** 4) * g[i], 12));
    Array.from(b.readSync(v)).forEach((val, i) => expect(val).toBeCloseTo((1 - 0.999 ** 4) * g[i] ** 2, 12));
  });

  it('AdamW: decay is decoupled, p ← p(1 − lr·wd) − lr·g/(|g| + eps)', () => {
    const m = b.tensor([3]), v = b.tensor([3]);
    const wd = 0.1;
    const got = steps(3, (p, grad, s) => b.adamStep(p, grad, m, v, adam(s, true, wd)));
    got.forEach((val, i) => {
      let p = p0[i];
      for (let s = 0; s < 3; s++) p = p * (1 - 0.01 * wd) - 0.01 * g[i] / (Math.abs(g[i]) + 1e-8);
      expect(val).toBeCloseTo(p, 10);
    });
  });

  it('Adam with coupled L2: first step sees g + wd·p, whose sign sets the move', () => {
    const m = b.tensor([3]), v = b.tensor([3]);
    const got = steps(1, (p, grad, s) => b.adamStep(p, grad, m, v, adam(s, false, 10)));
    got.forEach((val, i) => {
      const gi = g[i] + 10 * p0[i];
      expect(val).toBeCloseTo(p0[i] - 0.01 * gi / (Math.abs(gi) + 1e-8), 10);
    });
  });

  it('rejects a 0-based step and out-of-range betas', () => {
    const p = b.tensor([3]), m = b.tensor([3]), v = b.tensor([3]);
    expect(() => b.adamStep(p, p, m, v, adam(0, false, 0))).toThrow(/step must be an integer ≥ 1/);
    expect(() => b.adamStep(p, p, m, v, { ...adam(1, false, 0), beta2: 1 })).toThrow(/beta2/);
    expect(() => b.sgdStep(p, b.tensor([4]), 0.1, 0)).toThrow(/same number of elements/);
  });
});
