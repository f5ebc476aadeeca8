import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu';
import { assertGradients, gradcheck, tensorParam } from './gradcheck';

describe('gradcheck', () => {
  // L(x, y) = Σ x_i² · y_i  →  dL/dx = 2·x·y, dL/dy = x²
  const x = new Float64Array([0.3, -1.2, 2]);
  const y = new Float64Array([1.5, 0.5, -0.7]);
  const loss = () => x.reduce((s, v, i) => s + v * v * y[i], 0);

  it('accepts correct gradients and restores every value exactly', () => {
    const before = [...x, ...y];
    const result = assertGradients(loss, [
      { name: 'x', values: x, grad: x.map((v, i) => 2 * v * y[i]) },
      { name: 'y', values: y, grad: x.map((v) => v * v) },
    ]);
    expect(result.checked).toBe(6);
    expect(result.worst!.ratio).toBeLessThan(1);
    expect([...x, ...y]).toEqual(before);
  });

  it('reports the wrong entry of a wrong gradient', () => {
    const wrong = x.map((v, i) => 2 * v * y[i]);
    wrong[1] *= 1.001;
    const result = gradcheck(loss, [{ name: 'x', values: x, grad: wrong }]);
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => [f.name, f.index])).toEqual([['x', 1]]);
    expect(() => assertGradients(loss, [{ name: 'x', values: x, grad: wrong }])).toThrow(/x\[1\]: analytic/);
  });

  it('samples at most maxChecksPerParam entries, deterministically', () => {
    const big = Float64Array.from({ length: 50 }, (_, i) => i / 10);
    const lossBig = () => big.reduce((s, v) => s + Math.sin(v), 0);
    const params = [{ name: 'w', values: big, grad: big.map(Math.cos) }];
    const a = gradcheck(lossBig, params, { maxChecksPerParam: 5, seed: 3 });
    const b = gradcheck(lossBig, params, { maxChecksPerParam: 5, seed: 3 });
    expect(a.checked).toBe(5);
    expect(a.ok).toBe(true);
    expect(a.worst).toEqual(b.worst);
  });

  it('rejects mismatched lengths and float32 tensors', () => {
    expect(() => gradcheck(loss, [{ name: 'x', values: x, grad: [1] }])).toThrow(/3 values but 1 gradients/);
    const b32 = new CpuBackend();
    const t = b32.tensor([2]);
    expect(() => tensorParam(b32, 't', t, t)).toThrow(/float64 backend/);
  });
});
