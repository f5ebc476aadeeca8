import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu';
import { WasmHeap } from './heap';
import { WasmBackend } from './index';

describe('WasmHeap', () => {
  const heapOf = (): WasmHeap => new WasmHeap(new WebAssembly.Memory({ initial: 1 }), 100);

  it('hands out 16-aligned blocks above the base and recycles them by exact size', () => {
    const heap = heapOf();
    const a = heap.alloc(10), b = heap.alloc(40);
    expect(a % 16).toBe(0);
    expect(a).toBeGreaterThanOrEqual(100);
    expect(b).toBeGreaterThanOrEqual(a + 16);
    heap.release(a, 10);
    expect(heap.alloc(40)).not.toBe(a); // another size class: carved fresh
    expect(heap.alloc(12)).toBe(a); // same 16-byte class: recycled
    expect(heap.carved).toBe(3);
  });

  it('grows memory geometrically and rebuilds its view after a grow', () => {
    const heap = heapOf();
    const before = heap.f32;
    heap.alloc(3 * 65536);
    expect(heap.growths).toBe(1);
    expect(heap.byteLength()).toBeGreaterThanOrEqual(4 * 65536);
    expect(before.length).toBe(0); // the old view was detached
    expect(heap.f32.length).toBe(heap.byteLength() / 4);
  });

  it('keeps one scratch block, replaced only by a larger request', () => {
    const heap = heapOf();
    const s = heap.scratch(1000);
    expect(heap.scratch(500)).toBe(s);
    expect(heap.scratch(1000)).toBe(s);
    const bigger = heap.scratch(2000);
    expect(bigger).not.toBe(s);
    expect(heap.scratch(1500)).toBe(bigger);
  });

  it('says clearly when the engine refuses more memory', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    expect(() => heap.alloc(5 * 65536)).toThrow(/out of WebAssembly memory: needs 1 MiB/);
  });
});

describe('WasmBackend storage in wasm memory', () => {
  it('tensor data survives memory growth; readSync returns a fresh live view', () => {
    const b = new WasmBackend();
    const t = b.tensor([3], [1, 2, 3]);
    const early = b.readSync(t);
    const big = b.tensor([4, 1 << 20]); // 16 MiB: forces a grow
    expect(b.stats().wasmMemoryGrowths).toBeGreaterThan(0);
    expect(early.length).toBe(0); // detached by the grow, as documented
    expect(Array.from(b.readSync(t))).toEqual([1, 2, 3]);
    b.scale(t, 2, t);
    expect(Array.from(b.readSync(t))).toEqual([2, 4, 6]);
    b.dispose(big);
    b.dispose(t);
  });

  it('writes through a readSync view reach the kernels (what gradient checks rely on)', () => {
    const b = new WasmBackend();
    const x = b.tensor([2], [1, 1]), y = b.tensor([2]);
    b.readSync(x)[1] = -3;
    b.activation('relu', x, y);
    expect(Array.from(b.readSync(y))).toEqual([1, 0]);
  });

  it('reuses disposed storage: a repeated allocation pattern carves nothing new', () => {
    const b = new WasmBackend();
    const cycle = (): void => {
      const ts = [b.tensor([7, 5]), b.tensor([1001]), b.tensor([0])];
      ts.forEach((t) => b.dispose(t));
    };
    cycle();
    const { allocations } = b.stats();
    for (let i = 0; i < 3; i++) cycle();
    expect(b.stats().allocations).toBe(allocations);
    expect(b.liveTensors()).toBe(0);
  });

  it('reused storage starts zeroed, and stale or foreign handles fail with clear messages', () => {
    const b = new WasmBackend();
    const t = b.tensor([4], [1, 2, 3, 4]);
    b.dispose(t);
    expect(Array.from(b.readSync(b.tensor([4])))).toEqual([0, 0, 0, 0]);
    expect(() => b.readSync(t)).toThrow(/^readSync: tensor #\d+ \[4\] was used after dispose/);
    expect(() => b.scale(t, 2, t)).toThrow(/^scale: tensor #\d+ \[4\] was used after dispose/);
    const foreign = new CpuBackend().tensor([4]);
    expect(() => b.activation('relu', foreign, foreign)).toThrow(/does not belong to this wasm backend/);
  });
});
