import type { FloatArray } from '../backend';

/**
 * Mean softmax cross-entropy over `rows` examples with label smoothing ε, as PyTorch's
 * CrossEntropyLoss(label_smoothing=ε): target = (1−ε)·onehot + ε/C. Writes probs = softmax,
 * dlogits = (probs − target)/rows, returns the loss. Uses log-sum-exp around the row maximum,
 * so logits of any magnitude stay finite: loss_r = lse − (1−ε)·z_y − (ε/C)·Σ z.
 * Labels must already be validated as integers in [0, C).
 */
export function softmaxCrossEntropyInto(
  logits: FloatArray, labels: FloatArray, probs: FloatArray, dlogits: FloatArray,
  rows: number, classes: number, smoothing: number,
): number {
  const offTarget = smoothing / classes;
  const onTarget = 1 - smoothing + offTarget;
  const invRows = 1 / rows;
  let total = 0;
  for (let r = 0, o = 0; r < rows; r++, o += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (logits[o + c] > max) max = logits[o + c];
    let sumExp = 0;
    let sumLogits = 0;
    for (let c = 0; c < classes; c++) {
      const z = logits[o + c];
      const e = Math.exp(z - max);
      probs[o + c] = e;
      sumExp += e;
      sumLogits += z;
    }
    const lse = max + Math.log(sumExp);
    const label = labels[r];
    total += lse - (1 - smoothing) * logits[o + label] - offTarget * sumLogits;
    const invSum = 1 / sumExp;
    for (let c = 0; c < classes; c++) {
      const p = probs[o + c] * invSum;
      probs[o + c] = p;
      dlogits[o + c] = (p - (c === label ? onTarget : offTarget)) * invRows;
    }
  }
  return total * invRows;
}
