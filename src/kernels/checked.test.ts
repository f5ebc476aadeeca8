import { describe, expect, it } from 'vitest';
import type { FloatArray, Tensor } from './backend';
import { CpuBackend } from './cpu';

/** The CPU backend, noting which kernels the facade let through and with what dimensions. */
class RecordingBackend extends CpuBackend {
  readonly kernelCalls: string[] = [];
  /** false: answer like a GPU backend whose labels were computed on the device. */
  labelsOnHost = true;

  protected override runMatmul(
    a: Tensor, b: Tensor, out: Tensor, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean,
  ): void {
    this.kernelCalls.push(`matmul m=${m} n=${n} k=${k}`);
    super.runMatmul(a, b, out, m, n, k, transA, transB, accumulate);
  }

  protected override runSoftmaxCrossEntropy(
    logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, rows: number, classes: number, smoothing: number,
  ): void {
    this.kernelCalls.push(`softmaxCrossEntropy ${rows}×${classes}`);
    if (this.labelsOnHost) super.runSoftmaxCrossEntropy(logits, labels, probs, dlogits, loss, rows, classes, smoothing);
  }

  protected override hostValues(t: Tensor, op: string): FloatArray | undefined {
    const values = super.hostValues(t, op);
    return this.labelsOnHost ? values : undefined;
  }
}

describe('CheckedBackend', () => {
  it('hands the kernel the dimensions of the product it checked', () => {
    const b = new RecordingBackend();
    const a = b.tensor([3, 2], [1, 2, 3, 4, 5, 6]), w = b.tensor([3, 4]), out = b.tensor([2, 4]);
    b.matmul(a, w, out, { transA: true });
    expect(b.kernelCalls).toEqual(['matmul m=2 n=4 k=3']);
  });

  it('stops a bad call before any kernel runs, in the one wording', () => {
    const b = new RecordingBackend();
    const a = b.tensor([2, 3]), w = b.tensor([2, 4]), out = b.tensor([2, 4]);
    expect(() => b.matmul(a, w, out)).toThrow('matmul: inner dimensions differ: a[2,3] · b[2,4] (3 vs 2)');
    const logits = b.tensor([1, 3]), labels = b.tensor([1], [7]), probs = b.tensor([1, 3]), d = b.tensor([1, 3]), loss = b.tensor([1]);
    expect(() => b.softmaxCrossEntropy(logits, labels, probs, d, loss, 0)).toThrow('softmaxCrossEntropy: label 7 at row 0 is not a class index in [0, 3)');
    expect(b.kernelCalls).toEqual([]);
  });

  it('checks label values only where the host holds them (a GPU would need a read-back)', () => {
    const b = new RecordingBackend();
    b.labelsOnHost = false;
    const logits = b.tensor([1, 3]), labels = b.tensor([1], [7]), probs = b.tensor([1, 3]), d = b.tensor([1, 3]), loss = b.tensor([1]);
    b.softmaxCrossEntropy(logits, labels, probs, d, loss, 0);
    expect(b.kernelCalls).toEqual(['softmaxCrossEntropy 1×3']);
  });

  it('holds every backend to the aliasing rules (once only WebGL2 checked these)', () => {
    const b = new CpuBackend();
    const x = b.tensor([2, 3]), out = b.tensor([2, 3]);
    expect(() => b.dropout(x, x, out, 0.5, 1)).toThrow('dropout: mask must be its own tensor');
    // x, dy and the weight all [1,1,3,3] (3×3 kernel, padding 1): only the aliasing is wrong.
    const img = b.tensor([1, 1, 3, 3]), dy = b.tensor([1, 1, 3, 3]), dbias = b.tensor([1]);
    expect(() => b.conv2dBackwardWeight(img, dy, dy, dbias, 1)).toThrow('conv2dBackwardWeight: gradients must not be written into x or dy');
  });
});
