import { describe, expect, it } from 'vitest';
import { conformanceCases, runCase, runConformance } from '../testing/conformance';
import { CpuBackend } from './index';

for (const precision of ['f32', 'f64'] as const) {
  describe(`CpuBackend ${precision} conformance`, () => {
    const factory = () => new CpuBackend({ precision });
    for (const c of conformanceCases) {
      it(c.name, async () => {
        const maxError = await runCase(factory, c, { tolerance: precision === 'f64' ? 1e-12 : 1e-4 });
        expect(maxError).toBeLessThanOrEqual(precision === 'f64' ? 1e-12 : 1e-4);
      });
    }
  });
}

describe('runConformance', () => {
  it('reports every case and flags a broken backend', async () => {
    const good = await runConformance(() => new CpuBackend());
    expect(good).toHaveLength(conformanceCases.length);
    expect(good.filter((r) => !r.ok)).toEqual([]);

    // A backend whose matmul forgets the transpose flags must fail exactly the transposed cases.
    class Broken extends CpuBackend {
      override matmul(...args: Parameters<CpuBackend['matmul']>): void {
        super.matmul(args[0], args[1], args[2], { accumulate: args[3]?.accumulate });
      }
    }
    const bad = await runConformance(() => new Broken());
    const failed = bad.filter((r) => !r.ok).map((r) => r.name);
    expect(failed).toEqual(expect.arrayContaining([expect.stringMatching(/matmul aᵀ·bᵀ/)]));
    expect(failed.some((n) => n.includes('matmul a·b '))).toBe(false);
  });
});
