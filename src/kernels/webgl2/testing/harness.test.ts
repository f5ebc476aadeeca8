import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../cpu';
import { denseGradcheck } from './dense-gradcheck';
import { runMlpSteps } from './mlp-steps';

// The browser harness runs these against WebGL2; here they run on the CPU so a harness bug
// shows up without a browser, and a broken kernel is shown to make them fail.
describe('denseGradcheck (float32 analytic vs float64 numeric)', () => {
  it('passes on the float32 CPU backend and leaves no tensor behind', async () => {
    const b = new CpuBackend();
    const result = await denseGradcheck(b);
    expect(result.failures).toEqual([]);
    expect(result.checked).toBe(5 * 7 + 7 * 6 + 6 + 6 * 4 + 4);
    expect(Math.abs(result.loss - result.referenceLoss)).toBeLessThan(1e-5);
    expect(b.liveTensors()).toBe(0);
  });

  it('fails when a backward kernel is wrong', async () => {
    class WrongBiasGrad extends CpuBackend {
      override sumRows(x: Parameters<CpuBackend['sumRows']>[0], out: Parameters<CpuBackend['sumRows']>[1]): void {
        super.sumRows(x, out);
        this.scale(out, 1.01, out);
      }
    }
    const result = await denseGradcheck(new WrongBiasGrad());
    expect(result.ok).toBe(false);
    expect(new Set(result.failures.map((f) => f.name))).toEqual(new Set(['b1', 'b2']));
  });
});

describe('runMlpSteps', () => {
  it('trains the fixed batch and keeps the live tensor count flat', async () => {
    const b = new CpuBackend();
    const report = await runMlpSteps(b, { steps: 300, readEvery: 100 });
    expect(report.losses).toHaveLength(4);
    expect(report.losses[3]).toBeLessThan(report.losses[0] * 0.1);
    expect(report.last).toEqual(report.first);
    expect(b.liveTensors()).toBe(0);
  });
});
