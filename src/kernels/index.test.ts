import { describe, expect, it } from 'vitest';
import { CpuBackend, WebGl2UnavailableError, createBackend } from './index';

describe('createBackend', () => {
  it('builds the CPU backend with the requested precision', () => {
    const b = createBackend('cpu', { precision: 'f64' });
    expect(b).toBeInstanceOf(CpuBackend);
    expect(b.name).toBe('cpu');
    expect(b.precision).toBe('f64');
    expect(createBackend('cpu').precision).toBe('f32');
  });

  it('names the unavailable backend', () => {
    expect(() => createBackend('wasm')).toThrow("backend 'wasm' is not available in this build (available: cpu, webgl2)");
  });

  it('webgl2 throws a catchable WebGl2UnavailableError where there is no WebGL2 (Node)', () => {
    expect(() => createBackend('webgl2')).toThrow(WebGl2UnavailableError);
    expect(() => createBackend('webgl2')).toThrow(/WebGL2 is not available/);
  });
});
