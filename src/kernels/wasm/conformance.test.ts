import { describe, expect, it } from 'vitest';
import { conformanceCases, runCase, runConformance } from '../testing/conformance';
import { WasmBackend } from './index';

// The shared suite, unchanged: the SIMD matmul is held to the same float32 tolerance as the CPU.
describe('WasmBackend f32 conformance', () => {
  const factory = () => new WasmBackend();
  for (const c of conformanceCases) {
    it(c.name, async () => {
      const maxError = await runCase(factory, c, { tolerance: 1e-4 });
      expect(maxError).toBeLessThanOrEqual(1e-4);
    });
  }

  it('runConformance reports every case as passing', async () => {
    const results = await runConformance(factory);
    expect(results).toHaveLength(conformanceCases.length);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
});
