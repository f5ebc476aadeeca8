import { describe, expect, it } from 'vitest';
import type { Tensor } from '../backend';
import { CpuBackend } from '../cpu';
import { Rng } from '../rng';
import { WasmBackend } from './index';

const rng = new Rng(5);
const uniform = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);

function worstRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  return worst;
}

/** Outputs [y, dx, dw, db] per backend of the comparison in progress. */
const results = new Map<object, number[][]>();

interface Layer { batch: number; inC: number; h: number; w: number; outC: number; k: number; pad: number }

/** Runs all three conv ops on both backends with the same data; returns the worst error. */
function compareLayer(l: Layer, wasm: WasmBackend): number {
  const cpu = new CpuBackend({ precision: 'f64' });
  const outH = l.h + 2 * l.pad - l.k + 1, outW = l.w + 2 * l.pad - l.k + 1;
  const shapes = { x: [l.batch, l.inC, l.h, l.w], w: [l.outC, l.inC, l.k, l.k], b: [l.outC], y: [l.batch, l.outC, outH, outW] };
  const data = { x: uniform(l.batch * l.inC * l.h * l.w), w: uniform(l.outC * l.inC * l.k * l.k), b: uniform(l.outC) };
  const dyData = uniform(l.batch * l.outC * outH * outW), dwBase = uniform(l.outC * l.inC * l.k * l.k), dbBase = uniform(l.outC);
  let worst = 0;
  for (const be of [cpu, wasm] as const) {
    const t = (shape: number[], d?: ArrayLike<number>): Tensor => be.tensor(shape, d);
    const x = t(shapes.x, data.x), w = t(shapes.w, data.w), b = t(shapes.b, data.b), y = t(shapes.y), dy = t(shapes.y, dyData);
    const dx = t(shapes.x), dw = t(shapes.w, dwBase), db = t(shapes.b, dbBase);
    be.conv2d(x, w, b, y, l.pad);
    be.conv2dBackwardInput(dy, w, dx, l.pad);
    be.conv2dBackwardWeight(x, dy, dw, db, l.pad, true);
    const outs = [y, dx, dw, db].map((o) => Array.from(be.readSync(o)));
    results.set(be, outs);
    for (const o of [x, w, b, y, dy, dx, dw, db]) be.dispose(o);
  }
  const [want, got] = [results.get(cpu)!, results.get(wasm)!];
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, worstRelative(got[i], want[i]));
  results.clear();
  return worst;
}

describe('WasmBackend convolution (all in wasm memory)', () => {
  it('matches the f64 CPU kernels across batch groups, including a partial last group', () => {
    const wasm = new WasmBackend();
    // 16×14×28 → 32: 2 items per 1 MiB group, so batch 5 runs 2 + 2 + 1.
    expect(compareLayer({ batch: 5, inC: 16, h: 14, w: 28, outC: 32, k: 3, pad: 1 }, wasm)).toBeLessThan(1e-4);
    // C = 1 (the seed CNN's first layer), a 5×5 kernel without padding, and padding wider than the kernel.
    expect(compareLayer({ batch: 3, inC: 1, h: 28, w: 56, outC: 16, k: 3, pad: 1 }, wasm)).toBeLessThan(1e-4);
    expect(compareLayer({ batch: 2, inC: 3, h: 9, w: 7, outC: 5, k: 5, pad: 0 }, wasm)).toBeLessThan(1e-4);
    expect(compareLayer({ batch: 2, inC: 2, h: 3, w: 5, outC: 3, k: 3, pad: 3 }, wasm)).toBeLessThan(1e-4);
    // GEMM path with patches packed straight into the GEMM's layout: K = 288 in two K-blocks,
    // 30 outputs per image (a part-filled last column panel), padding wider than the kernel.
    expect(compareLayer({ batch: 2, inC: 32, h: 5, w: 6, outC: 5, k: 3, pad: 1 }, wasm)).toBeLessThan(1e-4);
    expect(compareLayer({ batch: 2, inC: 5, h: 3, w: 5, outC: 3, k: 3, pad: 3 }, wasm)).toBeLessThan(1e-4);
    // Direct 3×3 path with output widths that are not a multiple of the 4 SIMD lanes.
    expect(compareLayer({ batch: 3, inC: 3, h: 6, w: 7, outC: 4, k: 3, pad: 1 }, wasm)).toBeLessThan(1e-4);
  });

  it('grows no memory and allocates no tensors once warm', () => {
    const b = new WasmBackend();
    const x = b.tensor([6, 16, 14, 28], uniform(6 * 16 * 14 * 28)), w = b.tensor([32, 16, 3, 3], uniform(32 * 144));
    const bias = b.tensor([32]), y = b.tensor([6, 32, 14, 28]), dx = b.tensor([6, 16, 14, 28]);
    const dw = b.tensor([32, 16, 3, 3]), db = b.tensor([32]);
    const step = (): void => {
      b.conv2d(x, w, bias, y, 1);
      b.conv2dBackwardInput(y, w, dx, 1);
      b.conv2dBackwardWeight(x, y, dw, db, 1);
    };
    step();
    const before = b.stats();
    for (let i = 0; i < 3; i++) step();
    const after = b.stats();
    expect(after.wasmMemoryGrowths).toBe(before.wasmMemoryGrowths);
    expect(after.allocations).toBe(before.allocations);
    expect(after.scratchGrowths).toBe(before.scratchGrowths);
  });

  it('rejects mismatched shapes with the CPU backend’s message', () => {
    const b = new WasmBackend();
    const x = b.tensor([1, 2, 5, 5]), w = b.tensor([4, 3, 3, 3]), bias = b.tensor([4]), y = b.tensor([1, 4, 5, 5]);
    expect(() => b.conv2d(x, w, bias, y, 1)).toThrow(/expects 3 input channels but the input \[1,2,5,5\] has 2/);
  });
});
