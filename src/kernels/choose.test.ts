import { describe, expect, it } from 'vitest';
import { chooseCpuBackend } from './choose';

describe('chooseCpuBackend', () => {
  it('picks WebAssembly SIMD where the engine has it (node 20 does)', () => {
    const choice = chooseCpuBackend();
    expect(choice.backend.name).toBe('wasm');
    expect(choice.label).toBe('WebAssembly SIMD');
    expect(choice.fallbackReason).toBeNull();
  });
});
