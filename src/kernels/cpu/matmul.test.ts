import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { matmulRef } from '../testing/reference';
import { CpuBackend } from './index';

const rng = new Rng(3);
const maxDiff = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  return worst;
};
const uniform = (n: number) => Float64Array.from({ length: n }, () => rng.next() * 2 - 1);

/** Shapes past every blocking edge: MR/NR tiles (8), the M-block (128) and K-blocks (256). */
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 3, 300], [2, 9, 5], [13, 7, 11], [31, 33, 17], [129, 10, 257], [130, 71, 513], [8, 8, 8], [64, 24, 3],
];

describe('CpuBackend.matmul f32 vs float64 reference', () => {
  const b = new CpuBackend();
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`transA=${transA} transB=${transB} on odd shapes`, () => {
        for (const [m, n, k] of SHAPES) {
          const ah = uniform(m * k), bh = uniform(k * n), prior = uniform(m * n);
          const a = b.tensor(transA ? [k, m] : [m, k], ah);
          const bt = b.tensor(transB ? [n, k] : [k, n], bh);
          const out = b.tensor([m, n], prior);
          const want = matmulRef(ah, bh, m, n, k, transA, transB);
          // f32 storage of a dot product of length k: error ~ k·2⁻²⁴ relative to Σ|a·b|
          const tol = 1e-6 * Math.sqrt(k) + 1e-6;
          b.matmul(a, bt, out, { transA, transB, accumulate: true });
          expect(maxDiff(b.readSync(out), want.map((v, i) => v + prior[i]))).toBeLessThan(tol * 4);
          b.matmul(a, bt, out, { transA, transB });
          expect(maxDiff(b.readSync(out), want)).toBeLessThan(tol * 4);
          for (const t of [a, bt, out]) b.dispose(t);
        }
      });
    }
  }

  it('k = 0 gives zeros (or leaves out unchanged when accumulating)', () => {
    const a = b.tensor([3, 0]), w = b.tensor([0, 2]), out = b.tensor([3, 2], [1, 2, 3, 4, 5, 6]);
    b.matmul(a, w, out, { accumulate: true });
    expect(Array.from(b.readSync(out))).toEqual([1, 2, 3, 4, 5, 6]);
    b.matmul(a, w, out);
    expect(Array.from(b.readSync(out))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects mismatched inner dimensions, wrong out shape and aliasing with a clear message', () => {
    const a = b.tensor([4, 3]), w = b.tensor([4, 5]), out = b.tensor([4, 5]);
    expect(() => b.matmul(a, w, out)).toThrow('matmul: inner dimensions differ: a[4,3] · b[4,5] (3 vs 4)');
    expect(() => b.matmul(a, w, out, { transA: true })).toThrow(/out is \[4,5\] but aᵀ\[4,3\] · b\[4,5\] is \[3,5\]/);
    const sq = b.tensor([4, 4]);
    expect(() => b.matmul(sq, sq, sq)).toThrow(/must not be one of the inputs/);
    expect(Array.from(b.readSync(out)).every((v) => v === 0)).toBe(true);
  });

  it('f64 precision matches the reference to ~1e-14', () => {
    const b64 = new CpuBackend({ precision: 'f64' });
    const [m, n, k] = [37, 29, 301];
    const ah = uniform(m * k), bh = uniform(k * n);
    const out = b64.tensor([m, n]);
    b64.matmul(b64.tensor([k, m], ah), b64.tensor([n, k], bh), out, { transA: true, transB: true });
    const want = matmulRef(ah, bh, m, n, k, true, true);
    expect(b64.readSync(out)).toBeInstanceOf(Float64Array);
    expect(maxDiff(b64.readSync(out), want)).toBeLessThan(1e-12);
  });
});
