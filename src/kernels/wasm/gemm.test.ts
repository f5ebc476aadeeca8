import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { matmulRef } from '../testing/reference';
import { SOURCE_SHA256 } from './generated/kernels-wasm';
import { WasmBackend, WasmGemm, hasWasmSimd } from './index';

const rng = new Rng(11);
const uniform = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);

/** Worst |got − want| / max(1, |want|) over c against base + op(a)·op(b) in float64. */
function worstError(
  got: Float32Array, base: Float32Array, a: Float32Array, b: Float32Array,
  m: number, n: number, k: number, transA: boolean, transB: boolean,
): number {
  const want = matmulRef(a, b, m, n, k, transA, transB);
  let worst = 0;
  for (let i = 0; i < m * n; i++) {
    const w = base[i] + want[i];
    worst = Math.max(worst, Math.abs(got[i] - w) / Math.max(1, Math.abs(w)));
  }
  return worst;
}

// Odd sizes around the 4×8 tile, K-block (256) and M-block (120) edges, and the MLP's shapes;
// [32, 144, 198] is a conv weight gradient's (dy·colᵀ: full panels, kc % 4 = 2 left to the scalar pack).
const SHAPES: ReadonlyArray<[number, number, number]> = [
  [1, 1, 1], [1, 9, 1], [3, 1, 7], [4, 8, 1], [5, 9, 3], [7, 13, 17], [31, 33, 65],
  [121, 17, 257], [129, 10, 64], [128, 256, 784], [64, 130, 513], [32, 144, 198],
];

describe('WasmGemm', () => {
  it('runs here (Node ≥ 16.4 has SIMD128)', () => {
    expect(hasWasmSimd()).toBe(true);
  });

  it('the generated module is built from the current sources (else run npm run build:wasm)', () => {
    // The hash of scripts/build-wasm.mjs: every assembly/*.as, name and text, in name order.
    const dir = path.resolve(import.meta.dirname, 'assembly');
    const hash = createHash('sha256');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.as')).sort()) {
      hash.update(`${file.slice(0, -3)}\n${readFileSync(path.join(dir, file), 'utf8')}\n`);
    }
    expect(SOURCE_SHA256).toBe(hash.digest('hex'));
  });

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const accumulate of [false, true]) {
        it(`matches float64 on odd shapes: transA=${transA} transB=${transB} accumulate=${accumulate}`, () => {
          const gemm = new WasmGemm({ fma: 'off' });
          for (const [m, n, k] of SHAPES) {
            const a = uniform(m * k), b = uniform(k * n), base = accumulate ? uniform(m * n) : new Float32Array(m * n);
            // Stale values in c must not leak into an overwrite.
            const c = accumulate ? base.slice() : uniform(m * n);
            gemm.run(a, b, c, m, n, k, transA, transB, accumulate);
            expect(worstError(c, base, a, b, m, n, k, transA, transB), `${m}×${n}×${k}`).toBeLessThan(2e-6 * Math.sqrt(k) + 1e-6);
          }
        });
      }
    }
  }

  it('small blocks (kc 5, mc 6) exercise many K- and M-blocks', () => {
    const gemm = new WasmGemm({ kc: 5, mc: 6 });
    const [m, n, k] = [23, 19, 37];
    const a = uniform(m * k), b = uniform(n * k), c = new Float32Array(m * n);
    gemm.run(a, b, c, m, n, k, true, true, false);
    expect(worstError(c, new Float32Array(m * n), a, b, m, n, k, true, true)).toBeLessThan(1e-5);
  });

  it('empty products: k = 0 zeroes or keeps c, m = 0 is a no-op', () => {
    const gemm = new WasmGemm();
    const c = new Float32Array([1, 2, 3, 4, 5, 6]);
    gemm.run(new Float32Array(0), new Float32Array(0), c, 2, 3, 0, false, false, true);
    expect([...c]).toEqual([1, 2, 3, 4, 5, 6]);
    gemm.run(new Float32Array(0), new Float32Array(0), c, 2, 3, 0, false, false, false);
    expect([...c]).toEqual([0, 0, 0, 0, 0, 0]);
    gemm.run(new Float32Array(0), new Float32Array(6), new Float32Array(0), 0, 3, 2, false, false, false);
  });

  it('memory grows to the largest call and then stays put', () => {
    const gemm = new WasmGemm();
    const [m, n, k] = [128, 256, 784];
    const a = uniform(m * k), b = uniform(n * k), c = new Float32Array(m * n);
    gemm.run(a, b, c, m, n, k, false, true, false);
    const grown = gemm.growths;
    expect(grown).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) gemm.run(a, b, c, m, n, k, false, true, i > 0);
    gemm.run(a.subarray(0, 64 * k), b, c.subarray(0, 64 * n), 64, n, k, false, true, false);
    expect(gemm.growths).toBe(grown);
  });

  it('rejects bad block sizes with a clear message', () => {
    expect(() => new WasmGemm({ kc: 0 })).toThrow(/kc must be a positive integer/);
    expect(() => new WasmGemm({ mc: 2.5 })).toThrow(/mc must be a positive integer/);
  });
});

describe('WasmBackend', () => {
  it('matmul errors name the op, as the CPU backend does', () => {
    const b = new WasmBackend();
    const x = b.tensor([2, 3]), w = b.tensor([3, 4]), out = b.tensor([2, 4]);
    b.dispose(w);
    expect(() => b.matmul(x, w, out)).toThrow(/^matmul: tensor #\d+ \[3,4\] was used after dispose/);
    expect(() => b.matmul(x, b.tensor([4, 4]), out)).toThrow(/matmul: inner dimensions differ/);
    expect(() => b.matmul(x, x, x, { transB: true })).toThrow(/out is \[2,3\]/);
  });

  it('rejects float64 and reports fma use', () => {
    expect(() => new WasmBackend({ precision: 'f64' })).toThrow(/float32/);
    expect(new WasmBackend({ fma: 'off' }).usesFma).toBe(false);
  });

  it('a repeated matmul neither allocates tensors nor grows wasm memory', () => {
    const b = new WasmBackend();
    const x = b.tensor([128, 784], uniform(128 * 784)), w = b.tensor([256, 784], uniform(256 * 784));
    const out = b.tensor([128, 256]);
    b.matmul(x, w, out, { transB: true });
    const before = b.stats();
    for (let i = 0; i < 3; i++) b.matmul(x, w, out, { transB: true });
    expect(b.stats()).toEqual(before);
  });
});
