/**
 * "A new activation is one file": SiLU, declared only in testing/silu.ts and registered here,
 * runs on every backend Node has (cpu f64 and f32, wasm without any assembly for it) against
 * its float64 definition, and its backward matches central finite differences.
 */
import { describe, expect, it } from 'vitest';
import type { ActivationKind, Backend } from '../backend';
import { CpuBackend } from '../cpu';
import { Rng } from '../rng';
import { activationCases } from '../testing/conformance-ops';
import { conformanceCases, runCase } from '../testing/conformance';
import { assertGradients, tensorParam } from '../testing/gradcheck';
import { silu } from '../testing/silu';
import { WasmBackend } from '../wasm';
import { activationKinds, activationSpec, hiddenActivationKinds, registerActivation } from './index';

registerActivation(silu);
const SILU = 'silu' as ActivationKind;

const BACKENDS: ReadonlyArray<[string, () => Backend, number]> = [
  ['cpu f64', () => new CpuBackend({ precision: 'f64' }), 1e-12],
  ['cpu f32', () => new CpuBackend({ precision: 'f32' }), 1e-4],
  ['wasm', () => new WasmBackend(), 1e-4],
];

const linearCase = conformanceCases.find((c) => c.name.startsWith('linear = f(x·Wᵀ + b) for every activation'))!;

describe('an activation registered from its own file', () => {
  it('is listed, offered to hidden layers and refused twice under one name', () => {
    expect(activationKinds()).toContain('silu');
    expect(hiddenActivationKinds()).toContain('silu');
    expect(activationSpec(SILU)).toBe(silu);
    expect(() => registerActivation({ ...silu })).toThrow(/'silu' is already registered/);
  });

  for (const [name, makeBackend, tolerance] of BACKENDS) {
    it(`${name}: forward, backward (also in place) and fused into linear match the float64 definition`, async () => {
      for (const c of [...activationCases([SILU]), linearCase]) {
        expect(await runCase(makeBackend, c, { tolerance })).toBeLessThanOrEqual(tolerance);
      }
    });
  }

  it('matches PyTorch at known points (F.silu)', async () => {
    const b = new CpuBackend({ precision: 'f64' });
    const x = b.tensor([4], [-2, 0, 0.5, 3]), y = b.tensor([4]);
    b.activation(SILU, x, y);
    // x·σ(x) at these points, as F.silu gives them in float64.
    const want = [-0.2384058440442351, 0, 0.3112296656009273, 2.8577223804673];
    Array.from(await b.read(y)).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });

  it('backward matches central finite differences (cpu f64)', () => {
    const b = new CpuBackend({ precision: 'f64' });
    const rng = new Rng(3);
    for (const n of [1, 7, 30]) {
      const x = b.tensor([n], Array.from({ length: n }, () => -4 + 8 * rng.next()));
      const w = b.tensor([n], Array.from({ length: n }, () => rng.normal()));
      const y = b.tensor([n]), dx = b.tensor([n]);
      const loss = (): number => {
        b.activation(SILU, x, y);
        const ys = b.readSync(y), ws = b.readSync(w);
        let sum = 0;
        for (let i = 0; i < n; i++) sum += ys[i] * ws[i];
        return sum;
      };
      loss();
      b.activationBackward(SILU, x, y, w, dx);
      expect(assertGradients(loss, [tensorParam(b, 'x', x, dx)]).checked).toBe(n);
    }
  });
});
