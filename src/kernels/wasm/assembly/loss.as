// AssemblyScript source (compiled by scripts/build-wasm.mjs with the other kernels into one module).
//
// Mean softmax cross-entropy with label smoothing ε, as src/kernels/cpu/loss.ts (PyTorch's
// CrossEntropyLoss(label_smoothing=ε)): target = (1−ε)·onehot + ε/C; probs = softmax;
// dlogits = (probs − target)/rows; log-sum-exp around the row maximum, in f64 per row.
// Labels arrive validated (integers in [0, C)) by the host.

/** Returns the mean loss; writes probs and dlogits [rows, classes]. */
export function softmaxCrossEntropy(
  logits: usize, labels: usize, probs: usize, dlogits: usize, rows: i32, classes: i32, smoothing: f64,
): f64 {
  const offTarget = smoothing / <f64>classes;
  const onTarget = 1 - smoothing + offTarget;
  const invRows = 1 / <f64>rows;
  const rowBytes = <usize>classes << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const z = logits + <usize>r * rowBytes, p = probs + <usize>r * rowBytes, d = dlogits + <usize>r * rowBytes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = <f64>load<f32>(z + (<usize>c << 2));
      if (v > max) max = v;
    }
    let sumExp: f64 = 0, sumLogits: f64 = 0;
    for (let c = 0; c < classes; c++) {
      const v = <f64>load<f32>(z + (<usize>c << 2));
      sumExp += Math.exp(v - max);
      sumLogits += v;
    }
    const label = <i32>load<f32>(labels + (<usize>r << 2));
    total += max + Math.log(sumExp) - (1 - smoothing) * <f64>load<f32>(z + (<usize>label << 2)) - offTarget * sumLogits;
    const invSum = 1 / sumExp;
    for (let c = 0; c < classes; c++) {
      const at = <usize>c << 2;
      const prob = Math.exp(<f64>load<f32>(z + at) - max) * invSum;
      store<f32>(p + at, <f32>prob);
      store<f32>(d + at, <f32>((prob - (c == label ? onTarget : offTarget)) * invRows));
    }
  }
  return total * invRows;
}
