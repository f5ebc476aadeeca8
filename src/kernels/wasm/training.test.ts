import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend';
import { CpuBackend } from '../cpu';
import { gradcheck } from '../testing/gradcheck';
import { tinyBiGru, tinyCnn, type TinyNet } from '../testing/tiny-nets';
import { WasmBackend } from './index';

/** Loss, every grad after one step, and every param after `steps` updates, as host arrays. */
function train(b: Backend, build: (b: Backend) => TinyNet, steps: number): { loss: number; grads: number[][]; params: number[][] } {
  const net = build(b);
  const read = (t: Parameters<NonNullable<Backend['readSync']>>[0]): number[] => Array.from(b.readSync!(t));
  let loss = NaN;
  let grads: number[][] = [];
  for (let step = 1; step <= steps; step++) {
    const l = read(net.forward())[0];
    net.backward();
    if (step === 1) {
      loss = l;
      grads = net.params.map((p) => read(p.grad));
    }
    net.update(step);
  }
  const params = net.params.map((p) => read(p.value));
  net.dispose();
  return { loss, grads, params };
}

/** Worst |got − want| / max(1, |want|) over matching arrays. */
function worst(got: number[][], want: number[][]): number {
  let w = 0;
  got.forEach((g, k) => g.forEach((v, i) => { w = Math.max(w, Math.abs(v - want[k][i]) / Math.max(1, Math.abs(want[k][i]))); }));
  return w;
}

const NETS: ReadonlyArray<[string, (b: Backend) => TinyNet]> = [
  ['CNN (relu, max-pool, dropout)', (b) => tinyCnn(b, { activation: 'relu', pool: true, dropout: 0.25 })],
  ['CNN (leaky relu, no pool, no dropout)', (b) => tinyCnn(b, { activation: 'leaky_relu', pool: false, dropout: 0 })],
  ['CNN (tanh)', (b) => tinyCnn(b, { activation: 'tanh', pool: true, dropout: 0.5 })],
  ['bidirectional GRU (padded, hLast and hAll)', tinyBiGru],
];

describe('WasmBackend whole training steps agree with the float64 CPU backend', () => {
  for (const [name, build] of NETS) {
    it(`${name}: loss, gradients and 3 optimizer updates within 1e-4`, () => {
      const want = train(new CpuBackend({ precision: 'f64' }), build, 3);
      const got = train(new WasmBackend(), build, 3);
      expect(Math.abs(got.loss - want.loss) / Math.max(1, Math.abs(want.loss))).toBeLessThan(1e-4);
      expect(worst(got.grads, want.grads)).toBeLessThan(1e-4);
      expect(worst(got.params, want.params)).toBeLessThan(1e-4);
      // Not vacuous: the gradients are not all zero.
      expect(want.grads.some((g) => g.some((v) => Math.abs(v) > 1e-3))).toBe(true);
    });
  }

  it('a warm training step allocates no tensors and grows no wasm memory', () => {
    const b = new WasmBackend();
    const nets = [tinyCnn(b, { activation: 'relu', pool: true, dropout: 0.25 }), tinyBiGru(b)];
    const step = (s: number): void => nets.forEach((n) => { n.forward(); n.backward(); n.update(s); });
    step(1);
    const before = b.stats();
    for (let s = 2; s < 5; s++) step(s);
    expect(b.stats()).toEqual(before);
    nets.forEach((n) => n.dispose());
    expect(b.liveTensors()).toBe(0);
  });
});

describe('gradient check on the wasm path (float32 central differences)', () => {
  // Smooth activations and no max-pool: a float32 step h = 1e-2 must not cross a kink. The
  // comparison above ties the relu / max-pool gradients to the float64-checked CPU kernels.
  const smooth: ReadonlyArray<[string, (b: Backend) => TinyNet]> = [
    ['CNN (tanh, direct and im2col convs, dense)', (b) => tinyCnn(b, { activation: 'tanh', pool: false, dropout: 0 })],
    ['bidirectional GRU', tinyBiGru],
  ];
  for (const [name, build] of smooth) {
    it(name, () => {
      const b = new WasmBackend();
      const net = build(b);
      net.forward();
      net.backward();
      const growths = b.stats().wasmMemoryGrowths;
      // Live views of the wasm storage: perturbed in place, valid while memory does not grow.
      const params = net.params.map((p) => ({ name: p.name, values: b.readSync(p.value), grad: Float64Array.from(b.readSync(p.grad)) }));
      const loss = (): number => b.readSync(net.forward())[0];
      const result = gradcheck(loss, params, { eps: 1e-2, rtol: 2e-2, atol: 2e-4, maxChecksPerParam: 12, seed: 3 });
      expect(b.stats().wasmMemoryGrowths).toBe(growths);
      expect(result.checked).toBeGreaterThan(60);
      expect(result.failures).toEqual([]);
      net.dispose();
    });
  }
});
