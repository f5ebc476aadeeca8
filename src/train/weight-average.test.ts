import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../kernels/cpu';
import { newParam } from '../nn/params';
import { WeightAverage } from './weight-average';

describe('WeightAverage', () => {
  it('averages the weights with a warmed-up decay and swaps them in and out', () => {
    const backend = new CpuBackend({ precision: 'f64' });
    const p = newParam(backend, 'w', [2], true);
    const avg = new WeightAverage(backend, [p], 0.5);
    const values = [[1, 2], [3, 6], [5, 10]];
    // Expected, by the rule: first update copies; then d = min(0.5, (1 + n) / (10 + n)).
    let expected = values[0].slice();
    values.forEach((v, n) => {
      backend.write(p.value, v);
      avg.update();
      if (n > 0) {
        const d = Math.min(0.5, (1 + n) / (10 + n));
        expected = expected.map((e, i) => d * e + (1 - d) * v[i]);
      }
    });
    avg.swapIn();
    expect(Array.from(backend.readSync(p.value))).toEqual(expected.map((e) => expect.closeTo(e, 12)));
    avg.swapIn(); // twice is once: the trained weights stay safe
    avg.swapOut();
    expect(Array.from(backend.readSync(p.value))).toEqual([5, 10]);
    avg.dispose();
  });

  it('leaves the model alone before the first update and refuses a decay outside (0, 1)', () => {
    const backend = new CpuBackend();
    const p = newParam(backend, 'w', [1], true);
    backend.write(p.value, [7]);
    const avg = new WeightAverage(backend, [p], 0.9);
    avg.swapIn();
    avg.swapOut();
    expect(Array.from(backend.readSync(p.value))).toEqual([7]);
    expect(() => new WeightAverage(backend, [p], 1)).toThrow(/decay/);
  });
});
