import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../backend';
import { CpuBackend } from '../../cpu';
import { CONV_PROBLEM, gruProblem } from './conv-gru-gradcheck';
import { opGradcheck } from './op-gradcheck';

// The browser harness runs these against WebGL2; here they run on the float32 CPU backend so a
// problem or harness bug shows up without a browser, and a wrong kernel is shown to fail them.
describe('opGradcheck on the CNN and GRU problems (float32 analytic vs float64 numeric)', () => {
  it('conv → maxpool passes and leaves no tensor behind', async () => {
    const b = new CpuBackend();
    const r = await opGradcheck(b, CONV_PROBLEM);
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(2 * 2 * 5 * 4 + 3 * 2 * 9 + 3);
    expect(Math.abs(r.loss - r.referenceLoss)).toBeLessThan(1e-5);
    expect(b.liveTensors()).toBe(0);
  });

  for (const reverse of [false, true]) {
    it(`gru ${reverse ? 'reverse' : 'forward'} passes`, async () => {
      const b = new CpuBackend();
      const r = await opGradcheck(b, gruProblem(reverse));
      expect(r.failures).toEqual([]);
      expect(r.checked).toBe(12 * 9 + 9 * 3 + 9);
      expect(b.liveTensors()).toBe(0);
    });
  }

  it('fails when the conv weight gradient is wrong', async () => {
    class WrongWeightGrad extends CpuBackend {
      override conv2dBackwardWeight(x: Tensor, dy: Tensor, dw: Tensor, db: Tensor, pad: number, acc?: boolean): void {
        super.conv2dBackwardWeight(x, dy, dw, db, pad, acc);
        this.scale(dw, 1.01, dw);
      }
    }
    const r = await opGradcheck(new WrongWeightGrad(), CONV_PROBLEM);
    expect(new Set(r.failures.map((f) => f.name))).toEqual(new Set(['w']));
  });
});
