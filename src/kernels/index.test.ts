import { describe, expect, it } from 'vitest';
import { CpuBackend, WasmBackend, WebGl2UnavailableError, createBackend, type BackendName } from './index';

describe('createBackend', () => {
  it('builds the CPU backend with the requested precision', () => {
    const b = createBackend('cpu', { precision: 'f64' });
    expect(b).toBeInstanceOf(CpuBackend);
    expect(b.name).toBe('cpu');
    expect(b.precision).toBe('f64');
    expect(createBackend('cpu').precision).toBe('f32');
  });

  it('names the unavailable backend', () => {
    expect(() => createBackend('tpu' as BackendName)).toThrow("backend 'tpu' is not available in this build (available: cpu, webgl2, wasm)");
  });

  it('builds the wasm backend (float32 only)', () => {
    const b = createBackend('wasm');
    expect(b).toBeInstanceOf(WasmBackend);
    expect(b.name).toBe('wasm');
    expect(b.precision).toBe('f32');
    expect(() => createBackend('wasm', { precision: 'f64' })).toThrow(/float32/);
  });

  it('webgl2 throws a catchable WebGl2UnavailableError where there is no WebGL2 (Node)', () => {
    expect(() => createBackend('webgl2')).toThrow(WebGl2UnavailableError);
    expect(() => createBackend('webgl2')).toThrow(/WebGL2 is not available/);
  });
});
