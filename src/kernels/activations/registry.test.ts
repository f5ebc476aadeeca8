import { describe, expect, it } from 'vitest';
import { checkKind } from '../validate';
import { activationDerivRef, activationRef } from '../testing/reference';
import { activationKinds, activationSpec, hiddenActivationKinds, type ActivationKind } from './index';

const POINTS = [-3.5, -1, -0.25, 0, 0.3, 1, 2.75];
const SLOPE = 0.2;

describe('activation registry', () => {
  it('holds the built-in activations; hidden layers get all but the identity', () => {
    expect(activationKinds()).toEqual(expect.arrayContaining(['relu', 'leaky_relu', 'tanh', 'sigmoid', 'identity']));
    expect(hiddenActivationKinds()).toEqual(activationKinds().filter((k) => k !== 'identity'));
  });

  it('refuses an unknown kind naming the known ones', () => {
    expect(() => checkKind('swish' as ActivationKind)).toThrow(/unknown activation 'swish' \(expected relu, leaky_relu, tanh, sigmoid, identity/);
  });

  for (const kind of activationKinds()) {
    const spec = activationSpec(kind);
    it(`${kind}: its scalar definition, derivative and loops agree with the reference`, () => {
      for (const x of POINTS) {
        const y = spec.forward(x, SLOPE);
        expect(y).toBeCloseTo(activationRef(kind, x, SLOPE), 14);
        expect(spec.derivative(x, y, SLOPE)).toBeCloseTo(activationDerivRef(kind, x, SLOPE), 14);
        if (spec.derivativeFromOutput(SLOPE)) expect(spec.derivative(y, y, SLOPE)).toBeCloseTo(spec.derivative(x, y, SLOPE), 14);
      }
      if (spec.loops === undefined) return;
      const xs = Float64Array.from(POINTS), out = new Float64Array(xs.length), dx = new Float64Array(xs.length);
      const dy = xs.map((_, i) => i - 2);
      spec.loops.forward(xs, out, xs.length, SLOPE);
      spec.loops.backward(xs, out, dy, dx, xs.length, SLOPE);
      xs.forEach((x, i) => {
        expect(out[i]).toBe(spec.forward(x, SLOPE));
        expect(dx[i]).toBeCloseTo(dy[i] * spec.derivative(x, out[i], SLOPE), 14);
      });
    });
  }

  it('a negative leaky slope cannot take its derivative from the output', () => {
    expect(activationSpec('leaky_relu').derivativeFromOutput(-0.1)).toBe(false);
    expect(activationSpec('leaky_relu').derivative(-2, 0.2, -0.1)).toBe(-0.1);
  });

  it('saturating units init with Xavier, the ReLU family with He', () => {
    const initOf = (k: ActivationKind): string => activationSpec(k).init;
    expect(['relu', 'leaky_relu', 'tanh', 'sigmoid'].map((k) => initOf(k as ActivationKind))).toEqual(['he', 'he', 'xavier', 'xavier']);
  });
});
