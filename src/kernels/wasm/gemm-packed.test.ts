import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { matmulRef } from '../testing/reference';
import { align16 } from './heap';
import { WasmGemm } from './index';

const rng = new Rng(23);
const uniform = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);

// A small K-block (kc 16) puts several K-blocks into each packed B; n off the 8-column tile.
const SHAPES: ReadonlyArray<[number, number, number]> = [[1, 1, 1], [5, 9, 3], [9, 13, 40], [64, 36, 17], [7, 24, 48]];

/** Writes arrays into the gemm's scratch block one after another; returns their byte offsets. */
function place(gemm: WasmGemm, arrays: Float32Array[], extraBytes: number): number[] {
  const sizes = arrays.map((a) => align16(4 * a.length));
  const base = gemm.heap.scratch(sizes.reduce((s, x) => s + x, 0) + extraBytes);
  const offsets: number[] = [];
  let at = base;
  arrays.forEach((a, i) => {
    offsets.push(at);
    gemm.heap.f32.set(a, at >> 2);
    at += sizes[i];
  });
  return [...offsets, at];
}

describe('WasmGemm.runPackedB (a B packed once, reused by many products)', () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`matches float64 and stays valid across reuse: transA=${transA} transB=${transB}`, () => {
        const gemm = new WasmGemm({ fma: 'off', kc: 16 });
        for (const [m, n, k] of SHAPES) {
          const b = uniform(k * n), a1 = uniform(m * k), a2 = uniform(m * k), base = uniform(m * n);
          const packed = gemm.packedBBytes(n, k);
          const [bOff, a1Off, a2Off, cOff, free] = place(gemm, [b, a1, a2, base.slice()], packed + gemm.packedABytes(m, k));
          gemm.packB(bOff, n, k, transB, free);
          const f32 = () => gemm.heap.f32;
          // Scribble over b: the products must read only the packed copy.
          f32().fill(NaN, bOff >> 2, (bOff >> 2) + k * n);
          gemm.runPackedB(a1Off, free, cOff, m, n, k, transA, true, free + packed);
          gemm.runPackedB(a2Off, free, cOff, m, n, k, transA, true, free + packed);
          const got = f32().slice(cOff >> 2, (cOff >> 2) + m * n);
          const p1 = matmulRef(a1, b, m, n, k, transA, transB), p2 = matmulRef(a2, b, m, n, k, transA, transB);
          let worst = 0;
          for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got[i] - (base[i] + p1[i] + p2[i])));
          expect(worst, `${m}×${n}×${k}`).toBeLessThan(1e-5 * Math.sqrt(k));
          gemm.runPackedB(a1Off, free, cOff, m, n, k, transA, false, free + packed);
          const overwritten = f32().slice(cOff >> 2, (cOff >> 2) + m * n);
          for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(overwritten[i] - p1[i]));
          expect(worst, `${m}×${n}×${k} overwrite`).toBeLessThan(1e-5 * Math.sqrt(k));
        }
      });
    }
  }
});
