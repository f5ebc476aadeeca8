import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { assertGradients, tensorParam } from '../testing/gradcheck';
import { CpuBackend } from './index';

const b = new CpuBackend({ precision: 'f64' });
const rng = new Rng(11);

describe('gridMarginalCrossEntropy', () => {
  it('matches float64 central differences of its own loss', () => {
    for (const [batch, gridRows, gridCols] of [[1, 2, 2], [3, 3, 4], [5, 10, 10]]) {
      const classes = gridRows * gridCols;
      const logits = b.tensor([batch, classes], Array.from({ length: batch * classes }, () => 8 * rng.next() - 4));
      const labels = b.tensor([batch], Array.from({ length: batch }, () => rng.int(classes)));
      const dlogits = b.tensor([batch, classes]), loss = b.tensor([1]);
      const lossOf = () => {
        b.fill(dlogits, 0);
        b.fill(loss, 0);
        b.gridMarginalCrossEntropy(logits, labels, gridRows, 0.7, dlogits, loss);
        return b.readSync(loss)[0];
      };
      expect(lossOf()).toBeGreaterThan(0);
      assertGradients(lossOf, [tensorParam(b, 'logits', logits, dlogits)]);
    }
  });

  it('is 0 with a 0 gradient when the label holds all the probability', () => {
    const logits = b.tensor([1, 4], [-100, 100, -100, -100]), labels = b.tensor([1], [1]);
    const dlogits = b.tensor([1, 4], [1, 2, 3, 4]), loss = b.tensor([1], [5]);
    b.gridMarginalCrossEntropy(logits, labels, 2, 1, dlogits, loss);
    expect(b.readSync(loss)[0]).toBeCloseTo(5, 12);
    Array.from(b.readSync(dlogits)).forEach((g, i) => expect(g).toBeCloseTo(i + 1, 12));
  });

  it('rejects bad labels, grids and weights naming the op', () => {
    const logits = b.tensor([2, 6]), dlogits = b.tensor([2, 6]), loss = b.tensor([1]);
    const op = (labels: number[], gridRows: number, weight = 1, out = dlogits) =>
      () => b.gridMarginalCrossEntropy(logits, b.tensor([labels.length], labels), gridRows, weight, out, loss);
    expect(op([0, 6], 2)).toThrow('gridMarginalCrossEntropy: label 6 at row 1 is not a class index in [0, 6)');
    expect(op([0.5, 1], 2)).toThrow('gridMarginalCrossEntropy: label 0.5 at row 0 is not a class index in [0, 6)');
    expect(op([0], 2)).toThrow('gridMarginalCrossEntropy: labels [1] must hold one label per row of logits [2,6]');
    expect(op([0, 1], 4)).toThrow('gridMarginalCrossEntropy: grid rows must be a whole number ≥ 1 that divides the 6 classes, got 4');
    expect(op([0, 1], 2, NaN)).toThrow('gridMarginalCrossEntropy: weight must be a finite number, got NaN');
    expect(op([0, 1], 2, 1, logits)).toThrow('gridMarginalCrossEntropy: dlogits must not be the logits');
  });
});
