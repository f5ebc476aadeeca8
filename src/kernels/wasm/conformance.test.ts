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

// A BiGRU run's per-shape buffers take gigabytes, and there a byte offset no longer fits the signed
// 32 bits of JS bitwise operators (`offset >> 2` went negative: the GRU read its lengths from the
// wrong place, copies and fills hit other memory). The reserve is address space, not touched memory.
describe('WasmBackend f32 conformance with every tensor past 2 GiB of linear memory', () => {
  const reserveBytes = 2 ** 31 + 4096;
  let shared: WasmBackend | null = null;
  const factory = () => (shared ??= new WasmBackend({ reserveBytes }));

  it('puts tensors past 2 GiB', () => {
    const backend = factory();
    const t = backend.tensor([4], [1, 2, 3, 4]);
    expect(backend.memoryBytes()).toBeGreaterThan(2 ** 31);
    expect(Array.from(backend.readSync(t))).toEqual([1, 2, 3, 4]);
    backend.dispose(t);
  });

  for (const c of conformanceCases) {
    it(c.name, async () => {
      const maxError = await runCase(factory, c, { tolerance: 1e-4 });
      expect(maxError).toBeLessThanOrEqual(1e-4);
    });
  }
});
