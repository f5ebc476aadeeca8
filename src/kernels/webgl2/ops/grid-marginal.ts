import { PRELUDE, type GlEngine } from '../engine';
import { layoutOf, type GlTensor } from '../tensor';

/**
 * Backend.gridMarginalCrossEntropy on the GPU, nothing read back (the math is cpu/grid-marginal.ts):
 *   1. per example, one RGBA texel: (lse, lse of the label's grid row, lse of its grid column, aux),
 *      each log-sum-exp around its own maximum; NaN for a label that is not a class
 *   2. dlogits += (w/B)·(2·p − [r = r*]·exp(z − lseRow) − [c = c*]·exp(z − lseCol))
 *   3. loss += (w/B)·Σ aux, one fragment looping over the batch (a training batch: at most a few
 *      thousand rows)
 */
const STATS = `${PRELUDE}
uniform sampler2D u_z, u_labels; uniform int u_rows, u_cols;
float lseOf(int start, int count, int stride) {
  float m = fetchFlat(u_z, start);
  for (int k = 1; k < count; k++) m = max(m, fetchFlat(u_z, start + k * stride));
  float s = 0.0;
  for (int k = 0; k < count; k++) s += exp(fetchFlat(u_z, start + k * stride) - m);
  return m + log(s);
}
void main() {
  int b = outIndex();
  int classes = u_rows * u_cols;
  float label = fetchFlat(u_labels, b);
  int y = int(label);
  if (float(y) != label || y < 0 || y >= classes) { o_color = vec4(uintBitsToFloat(0x7fc00000u)); return; }
  int base = b * classes;
  int rowStar = y / u_cols, colStar = y - rowStar * u_cols;
  float lse = lseOf(base, classes, 1);
  float lseRow = lseOf(base + rowStar * u_cols, u_cols, 1);
  float lseCol = lseOf(base + colStar, u_rows, u_cols);
  o_color = vec4(lse, lseRow, lseCol, 2.0 * lse - lseRow - lseCol);
}`;

const GRAD = `${PRELUDE}
uniform sampler2D u_z, u_d, u_labels, u_stats; uniform int u_rows, u_cols; uniform float u_scale;
void main() {
  int i = outIndex();
  int classes = u_rows * u_cols;
  int b = i / classes, k = i - b * classes;
  int r = k / u_cols, c = k - r * u_cols;
  int y = int(fetchFlat(u_labels, b));
  int rowStar = y / u_cols, colStar = y - rowStar * u_cols;
  vec4 s = texelFetch(u_stats, flatCoord(u_stats, b), 0);
  float z = fetchSame(u_z);
  float g = 2.0 * exp(z - s.x);
  if (r == rowStar) g -= exp(z - s.y);
  if (c == colStar) g -= exp(z - s.z);
  o_color = vec4(fetchSame(u_d) + u_scale * g, 0.0, 0.0, 0.0);
}`;

const ADD_LOSS = `${PRELUDE}
uniform sampler2D u_loss, u_stats; uniform int u_batch; uniform float u_scale;
void main() {
  float total = 0.0;
  for (int b = 0; b < u_batch; b++) total += texelFetch(u_stats, flatCoord(u_stats, b), 0).w;
  o_color = vec4(fetchFlat(u_loss, 0) + u_scale * total, 0.0, 0.0, 0.0);
}`;

export function gridMarginalCrossEntropyPass(
  e: GlEngine, logits: GlTensor, labels: GlTensor, dlogits: GlTensor, loss: GlTensor,
  batch: number, gridRows: number, gridCols: number, weight: number,
): void {
  const layout = layoutOf(batch);
  const stats = e.pool.acquire(layout.width, layout.height, 4, false);
  const scale = weight / batch;
  e.use('gmce:stats', STATS).tex('u_z', logits).tex('u_labels', labels)
    .int('u_rows', gridRows).int('u_cols', gridCols).drawToTexture(stats);
  e.use('gmce:grad', GRAD).tex('u_z', logits).tex('u_d', dlogits).tex('u_labels', labels).tex('u_stats', stats)
    .int('u_rows', gridRows).int('u_cols', gridCols).float('u_scale', scale).drawTo(dlogits);
  e.use('gmce:loss', ADD_LOSS).tex('u_loss', loss).tex('u_stats', stats)
    .int('u_batch', batch).float('u_scale', scale).drawTo(loss);
  e.pool.release(stats);
}
