import { describe, expect, it } from 'vitest';
import { CpuBackend, createBackend } from './index';

describe('createBackend', () => {
  it('builds the CPU backend with the requested precision', () => {
    const b = createBackend('cpu', { precision: 'f64' });
    expect(b).toBeInstanceOf(CpuBackend);
    expect(b.name).toBe('cpu');
    expect(b.precision).toBe('f64');
    expect(createBackend('cpu').precision).toBe('f32');
  });

  it('names the unavailable backend', () => {
    expect(() => createBackend('webgl2')).toThrow("backend 'webgl2' is not available in this build (available: cpu)");
  });
});
