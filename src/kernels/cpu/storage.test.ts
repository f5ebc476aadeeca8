import { describe, expect, it } from 'vitest';
import { CpuBackend } from './index';

describe('CpuBackend memory', () => {
  it('reuses pooled storage: a warm training-like step allocates nothing', () => {
    const b = new CpuBackend();
    const x = b.tensor([33, 50]), w = b.tensor([20, 50]), bias = b.tensor([20]);
    const step = () => {
      // per-step temporaries, as a layer that does not cache its buffers would make them
      const h = b.tensor([33, 20]), dh = b.tensor([33, 20]), dw = b.tensor([20, 50]), dx = b.tensor([33, 50]);
      b.matmul(x, w, h, { transB: true });
      b.addRowVector(h, bias, h);
      b.activation('relu', h, h);
      b.fill(dh, 1);
      b.matmul(dh, x, dw, { transA: true });
      b.matmul(dh, w, dx);
      for (const t of [h, dh, dw, dx]) b.dispose(t);
    };
    step();
    const warm = b.stats();
    for (let i = 0; i < 20; i++) step();
    const after = b.stats();
    expect(after.allocations).toBe(warm.allocations);
    expect(after.scratchGrowths).toBe(warm.scratchGrowths);
    expect(after.live).toBe(3);
    expect(b.liveTensors()).toBe(3);
  });

  it('re-zeroes reused storage and gives each live tensor a fresh id', () => {
    const b = new CpuBackend();
    const t = b.tensor([2, 2], [1, 2, 3, 4]);
    const firstId = t.id;
    b.dispose(t);
    const u = b.tensor([4]);
    expect(u.id).not.toBe(firstId);
    expect(Array.from(b.readSync(u))).toEqual([0, 0, 0, 0]);
  });

  it('readSync is the live storage; read is a copy', async () => {
    const b = new CpuBackend();
    const t = b.tensor([3], [1, 2, 3]);
    const live = b.readSync(t);
    const copy = await b.read(t);
    b.scale(t, 2, t);
    expect(Array.from(live)).toEqual([2, 4, 6]);
    expect(Array.from(copy)).toEqual([1, 2, 3]);
    expect(live).toBeInstanceOf(Float32Array);
    const b64 = new CpuBackend({ precision: 'f64' });
    expect(b64.readSync(b64.tensor([1]))).toBeInstanceOf(Float64Array);
  });

  it('throws clear errors on use after dispose, foreign tensors and bad shapes', () => {
    const b = new CpuBackend();
    const other = new CpuBackend();
    const t = b.tensor([2, 3]);
    b.dispose(t);
    expect(() => b.readSync(t)).toThrow('readSync: tensor #1 [2,3] was used after dispose');
    expect(() => b.fill(t, 1)).toThrow(/after dispose/);
    expect(() => b.dispose(t)).toThrow(/after dispose/);
    expect(() => b.copy(other.tensor([1]), b.tensor([1]))).toThrow(/does not belong to this CPU backend/);
    expect(() => b.tensor([2.5])).toThrow(/non-negative integers/);
    expect(() => b.tensor([2], [1, 2, 3])).toThrow('tensor data has 3 values but shape [2] needs 2');
    expect(() => b.write(b.tensor([2]), [1])).toThrow(/holds 2 values, got 1/);
    expect(() => new CpuBackend({ precision: 'f16' as 'f32' })).toThrow(/precision/);
  });

  it('a failed op leaves its output untouched', () => {
    const b = new CpuBackend();
    const out = b.tensor([2, 2], [1, 2, 3, 4]);
    const logits = b.tensor([2, 2], [0, 1, 2, 3]);
    const labels = b.tensor([2], [0, 7]);
    expect(() => b.softmaxCrossEntropy(logits, labels, out, b.tensor([2, 2]), b.tensor([1]), 0))
      .toThrow('softmaxCrossEntropy: label 7 at row 1 is not a class index in [0, 2)');
    expect(Array.from(b.readSync(out))).toEqual([1, 2, 3, 4]);
  });
});
