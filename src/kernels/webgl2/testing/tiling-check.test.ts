import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../cpu';
import { DropsRowsPast16, tiledLinearChecks, tiledMatmulChecks } from './tiling-check';

// The browser harness (e2e/webgl2-rows.spec.ts) runs this on WebGL2 with and without tiling;
// here it runs on the CPU, where both sides must agree exactly and a broken side must show.
describe('tiledMatmulChecks', () => {
  it('finds no difference between two CPU backends and leaves no tensor behind', async () => {
    const a = new CpuBackend(), b = new CpuBackend();
    const results = await tiledMatmulChecks(a, b);
    expect(results).toHaveLength(4 * 4 * 2);
    for (const r of results) {
      expect(r.maxDiff, r.name).toBe(0);
      expect(r.maxAbs, r.name).toBeGreaterThan(0.1);
    }
    expect(a.liveTensors() + b.liveTensors()).toBe(0);
  });

  it('compares linear on every shape', async () => {
    const a = new CpuBackend(), b = new CpuBackend();
    const results = await tiledLinearChecks(a, b);
    expect(results.map((r) => r.name)).toContain('linear relu [45x10]·[7x10]ᵀ');
    for (const r of results) {
      expect(r.maxDiff, r.name).toBe(0);
      expect(r.maxAbs, r.name).toBeGreaterThan(0.1);
    }
    expect(a.liveTensors() + b.liveTensors()).toBe(0);
  });

  it('shows a matmul that loses rows', async () => {
    const results = await tiledMatmulChecks(new DropsRowsPast16(), new CpuBackend());
    const failing = results.filter((r) => r.maxDiff > 1e-3).map((r) => r.name);
    expect(failing).toContain('matmul [45x10]·[10x7]');
    expect(failing).toContain('matmul [40x130]·[130x33] transA transB');
    expect(failing.some((n) => n.startsWith('matmul [6x10]'))).toBe(false);
  });
});
