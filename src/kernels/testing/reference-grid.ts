/**
 * Float64 reference of Backend.gridMarginalCrossEntropy, written from the definition (explicit
 * softmax, marginals as sums of probabilities, the gradient by the quotient rule) rather than from
 * the kernels' log-sum-exp form, so that a shared mistake is unlikely. Row-major arrays.
 */
type Arr = ArrayLike<number>;

export interface GridMarginalRef {
  /** weight · mean over the batch of −log p_row(r*) − log p_col(c*). */
  loss: number;
  /** weight · ∂(mean aux)/∂logits. */
  dlogits: Float64Array;
}

export function gridMarginalCrossEntropyRef(
  logits: Arr, labels: Arr, batch: number, gridRows: number, gridCols: number, weight: number,
): GridMarginalRef {
  const classes = gridRows * gridCols;
  const dlogits = new Float64Array(batch * classes);
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    const row = Array.from({ length: classes }, (_, k) => logits[b * classes + k]);
    const max = Math.max(...row);
    const exps = row.map((z) => Math.exp(z - max));
    const total = exps.reduce((s, e) => s + e, 0);
    const p = exps.map((e) => e / total);
    const rowStar = Math.floor(labels[b] / gridCols), colStar = labels[b] % gridCols;
    let pRow = 0, pCol = 0;
    for (let c = 0; c < gridCols; c++) pRow += p[rowStar * gridCols + c];
    for (let r = 0; r < gridRows; r++) pCol += p[r * gridCols + colStar];
    loss -= Math.log(pRow) + Math.log(pCol);
    // ∂p_row/∂z_k = p_k·([k in row r*] − p_row), likewise for the column.
    for (let k = 0; k < classes; k++) {
      const inRow = Math.floor(k / gridCols) === rowStar ? 1 : 0, inCol = k % gridCols === colStar ? 1 : 0;
      const g = -(p[k] * (inRow - pRow)) / pRow - (p[k] * (inCol - pCol)) / pCol;
      dlogits[b * classes + k] = (weight * g) / batch;
    }
  }
  return { loss: (weight * loss) / batch, dlogits };
}
