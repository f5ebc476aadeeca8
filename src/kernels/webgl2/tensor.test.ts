import { describe, expect, it } from 'vitest';
import { WebGl2Backend, WebGl2UnavailableError, layoutOf } from './index';

describe('layoutOf', () => {
  it('fills rows of at most 4096 texels, one texel for empty tensors', () => {
    expect(layoutOf(0)).toEqual({ width: 1, height: 1 });
    expect(layoutOf(1001)).toEqual({ width: 1001, height: 1 });
    expect(layoutOf(4096)).toEqual({ width: 4096, height: 1 });
    expect(layoutOf(784 * 256)).toEqual({ width: 4096, height: 49 });
    expect(layoutOf(4097)).toEqual({ width: 4096, height: 2 });
  });
});

describe('WebGl2Backend.create', () => {
  it('rejects with a clear, catchable error where there is no WebGL2 (Node)', async () => {
    const attempt = WebGl2Backend.create();
    await expect(attempt).rejects.toBeInstanceOf(WebGl2UnavailableError);
    await expect(WebGl2Backend.create()).rejects.toThrow(/WebGL2 is not available/);
  });
});
