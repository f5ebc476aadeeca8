import { describe, expect, it } from 'vitest';
import { WasmBackend } from './index';

/** x over [−100, 100] in small steps plus ± powers of ten down to 1e−30 (the near-zero regime). */
function grid(): number[] {
  const xs: number[] = [];
  for (let v = -100; v <= 100; v += 0.0137) xs.push(Math.fround(v));
  for (let e = -30; e < 2; e += 0.05) xs.push(Math.fround(10 ** e), Math.fround(-(10 ** e)));
  return xs;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

describe('SIMD tanh and sigmoid (assembly/simdmath.as, via activation)', () => {
  const b = new WasmBackend();
  const xs = grid();
  const x = b.tensor([xs.length], xs), y = b.tensor([xs.length]);

  for (const [kind, f] of [['tanh', Math.tanh], ['sigmoid', sigmoid]] as const) {
    it(`${kind}: within 5e-7 relative of float64 from 1e-30 to 100 in magnitude`, () => {
      b.activation(kind, x, y);
      const got = b.readSync(y);
      let worst = 0;
      xs.forEach((v, i) => {
        const want = f(v);
        // Below 1e-30 (sigmoid far left) only the absolute error matters.
        worst = Math.max(worst, Math.abs(got[i] - want) / Math.max(Math.abs(want), 1e-30));
      });
      expect(worst).toBeLessThan(5e-7);
    });
  }

  it('special values: NaN stays NaN, ±Inf saturate, ±0 and subnormals behave', () => {
    const s = b.tensor([6], [NaN, Infinity, -Infinity, 0, -0, 1e-40]), o = b.tensor([6]);
    b.activation('tanh', s, o);
    const t = Array.from(b.readSync(o));
    expect(t[0]).toBeNaN();
    expect(t.slice(1, 4)).toEqual([1, -1, 0]);
    expect(Object.is(t[4], -0)).toBe(true);
    expect(t[5]).toBe(Math.fround(1e-40)); // tanh x = x for a subnormal x
    b.activation('sigmoid', s, o);
    const g = Array.from(b.readSync(o));
    expect(g[0]).toBeNaN();
    expect(g[1]).toBe(1);
    expect(g[2]).toBeLessThan(1e-38);
    expect(g.slice(3)).toEqual([0.5, 0.5, 0.5]);
  });
});
