import type { ConformanceCase } from './conformance-util';
import { gridMarginalCrossEntropyRef } from './reference-grid';

/** [batch, grid rows, grid columns]: batch 1, a row or column of one, the paired digits' 10×10. */
const GRID_SHAPES: ReadonlyArray<[number, number, number]> = [[1, 1, 4], [3, 5, 1], [4, 2, 3], [7, 10, 10], [33, 10, 10]];

/** gridMarginalCrossEntropy against the float64 reference: it adds into dlogits and loss. */
export const gridCases: ConformanceCase[] = [
  {
    name: 'gridMarginalCrossEntropy adds w·(marginal cross-entropies) and their gradient',
    async run(ctx) {
      for (const [batch, gridRows, gridCols] of GRID_SHAPES) {
        const classes = gridRows * gridCols;
        const [logits, zh] = ctx.random([batch, classes], -6, 6);
        const yh = ctx.labels(batch, classes);
        const [dlogits, dh] = ctx.random([batch, classes]);
        const loss = ctx.tensor([1], [0.75]);
        ctx.backend.gridMarginalCrossEntropy(logits, ctx.tensor([batch], yh), gridRows, 0.6, dlogits, loss);
        const want = gridMarginalCrossEntropyRef(zh, yh, batch, gridRows, gridCols, 0.6);
        const label = `${batch}×(${gridRows}×${gridCols})`;
        await ctx.expectClose(`loss ${label}`, loss, [0.75 + want.loss]);
        await ctx.expectClose(`dlogits ${label}`, dlogits, want.dlogits.map((g, i) => dh[i] + g));
      }
    },
  },
  {
    name: 'gridMarginalCrossEntropy stays finite on huge logits and rejects bad labels and grids',
    async run(ctx) {
      // Row 0's label cell sits 2000 below the maximum: a marginal taken from probabilities would be log 0.
      const zh = [1000, -1000, 999, 0, -5e4, 5e4, 3, -3, 20, 21, -20, 0];
      const yh = [1, 3];
      const logits = ctx.tensor([2, 6], zh), labels = ctx.tensor([2], yh);
      const dlogits = ctx.tensor([2, 6]), loss = ctx.tensor([1]);
      ctx.backend.gridMarginalCrossEntropy(logits, labels, 3, 1, dlogits, loss);
      const want = gridMarginalCrossEntropyLogSpace(zh, yh, 2, 3, 2);
      await ctx.expectClose('huge logits loss', loss, [want], 1e-4);
      const grads = await ctx.read(dlogits);
      if (!grads.every(Number.isFinite)) throw new Error(`huge logits: dlogits not finite: ${Array.from(grads).join(', ')}`);
      const bad = ctx.tensor([2], [0, 6]);
      ctx.expectThrow('label out of range', () => ctx.backend.gridMarginalCrossEntropy(logits, bad, 3, 1, dlogits, loss),
        /gridMarginalCrossEntropy: label 6 at row 1 is not a class index in \[0, 6\)/);
      ctx.expectThrow('grid rows not dividing', () => ctx.backend.gridMarginalCrossEntropy(logits, labels, 4, 1, dlogits, loss), /grid rows/);
    },
  },
];

/** The loss in log space (the probabilities of the huge-logit rows underflow in the reference). */
function gridMarginalCrossEntropyLogSpace(z: number[], y: number[], batch: number, gridRows: number, gridCols: number): number {
  const lse = (v: number[]) => {
    const m = Math.max(...v);
    return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
  };
  const classes = gridRows * gridCols;
  let total = 0;
  for (let b = 0; b < batch; b++) {
    const row = z.slice(b * classes, (b + 1) * classes);
    const r = Math.floor(y[b] / gridCols), c = y[b] % gridCols;
    const inRow = row.filter((_, k) => Math.floor(k / gridCols) === r), inCol = row.filter((_, k) => k % gridCols === c);
    total += 2 * lse(row) - lse(inRow) - lse(inCol);
  }
  return total / batch;
}
