import type { FloatArray } from '../backend';

/**
 * Cross-entropies of the two marginals of each row's softmax over a gridRows × gridCols grid of
 * classes (class = r·gridCols + c), as Backend.gridMarginalCrossEntropy: for the label's cell
 * (r*, c*), aux = 2·lse − lse(row r*) − lse(column c*), where each lse is the log-sum-exp of the
 * logits it covers, taken around its own maximum so that a marginal far below the row's maximum
 * does not underflow to log 0. Its gradient is 2·p − [r = r*]·exp(z − lse(row r*)) −
 * [c = c*]·exp(z − lse(column c*)) (p = softmax). ADDS weight/batch times that gradient into
 * dlogits and returns weight·mean aux (the caller adds it to the loss).
 * Labels must already be validated as integers in [0, gridRows·gridCols).
 */
export function gridMarginalCrossEntropyInto(
  logits: FloatArray, labels: FloatArray, dlogits: FloatArray,
  batch: number, gridRows: number, gridCols: number, weight: number,
): number {
  const classes = gridRows * gridCols;
  const scale = weight / batch;
  let total = 0;
  for (let b = 0, o = 0; b < batch; b++, o += classes) {
    const label = labels[b];
    const rowStar = Math.floor(label / gridCols), colStar = label - rowStar * gridCols;
    const lse = logSumExp(logits, o, classes, 1);
    const lseRow = logSumExp(logits, o + rowStar * gridCols, gridCols, 1);
    const lseCol = logSumExp(logits, o + colStar, gridRows, gridCols);
    total += 2 * lse - lseRow - lseCol;
    for (let r = 0, i = o; r < gridRows; r++) {
      for (let c = 0; c < gridCols; c++, i++) {
        const z = logits[i];
        let g = 2 * Math.exp(z - lse);
        if (r === rowStar) g -= Math.exp(z - lseRow);
        if (c === colStar) g -= Math.exp(z - lseCol);
        dlogits[i] += scale * g;
      }
    }
  }
  return weight * (total / batch);
}

/** log Σ exp over `count` values of x from `start`, `stride` apart, around their maximum. */
function logSumExp(x: FloatArray, start: number, count: number, stride: number): number {
  let max = -Infinity;
  for (let k = 0, i = start; k < count; k++, i += stride) if (x[i] > max) max = x[i];
  let sum = 0;
  for (let k = 0, i = start; k < count; k++, i += stride) sum += Math.exp(x[i] - max);
  return max + Math.log(sum);
}
