import { describe, expect, it } from 'vitest';
import type { ActivationKind } from '../../kernels/backend';
import { CpuBackend } from '../../kernels/cpu';
import { Rng } from '../../kernels/rng';
import { Activation } from './activation';
import { Dense } from './dense';

const IN = 6, OUT = 5, BATCH = 4;

/** Forward output, dx, dW and db of a layer stack on fixed inputs and upstream gradient. */
function run(kind: ActivationKind, slope: number, fused: boolean): Float64Array[] {
  const backend = new CpuBackend({ precision: 'f64' });
  const rng = new Rng(3);
  const dense = new Dense(backend, 'fc', IN, OUT, true, fused ? { kind, slope } : undefined);
  const act = fused ? null : new Activation(backend, 'act', kind, OUT, slope);
  backend.write(dense.weight.value, Array.from({ length: IN * OUT }, () => rng.normal()));
  backend.write(dense.bias.value, Array.from({ length: OUT }, () => rng.normal()));
  const x = backend.tensor([BATCH, IN], Array.from({ length: BATCH * IN }, () => rng.normal()));
  const dy = backend.tensor([BATCH, OUT], Array.from({ length: BATCH * OUT }, () => rng.normal()));
  const z = dense.forward(x);
  const y = act ? act.forward(z) : z;
  const dx = dense.backward(act ? act.backward(dy) : dy)!;
  const read = (t: typeof x): Float64Array => Float64Array.from(backend.readSync!(t));
  return [read(y), read(dx), read(dense.weight.grad), read(dense.bias.grad)];
}

describe('Dense with a fused activation', () => {
  const cases: [ActivationKind, number][] = [['relu', 0], ['leaky_relu', 0.1], ['leaky_relu', 0], ['tanh', 0], ['sigmoid', 0]];
  for (const [kind, slope] of cases) {
    it(`${kind}${kind === 'leaky_relu' ? ` (slope ${slope})` : ''}: same output and gradients as Dense then Activation`, () => {
      const fused = run(kind, slope, true), separate = run(kind, slope, false);
      for (let i = 0; i < fused.length; i++) {
        expect(fused[i].length).toBe(separate[i].length);
        fused[i].forEach((v, j) => expect(v).toBeCloseTo(separate[i][j], 12));
      }
      // The inputs straddle zero, so relu's mask really cut some gradients.
      if (kind === 'relu') expect(fused[0].some((v) => v === 0)).toBe(true);
    });
  }

  it('refuses a leaky relu with a negative slope, whose derivative cannot be read off the output', () => {
    expect(Dense.canFuse('leaky_relu', -0.1)).toBe(false);
    expect(() => new Dense(new CpuBackend(), 'fc', 2, 2, true, { kind: 'leaky_relu', slope: -0.1 })).toThrow(/cannot be fused/);
  });
});
