import { PRELUDE, type GlEngine } from '../engine';
import { layoutOf, type GlTensor } from '../tensor';
import { reduceSum } from './reduce';

/**
 * Mean softmax cross-entropy with label smoothing, entirely on the GPU (the loss stays a [1]
 * tensor; nothing is read back):
 *   1. lse[r] = max_r + log Σ exp(z − max_r)                (one fragment per row)
 *   2. rowLoss[r] = lse − (1−ε)·z_y − (ε/C)·Σ z             (NaN for a label that is not a class)
 *   3. probs = exp(z − lse_r);  4. dlogits = (probs − target)/B
 *   5. loss = (1/B)·Σ rowLoss                               (reduce.ts)
 */
const LSE = `${PRELUDE}
uniform sampler2D u_z; uniform int u_cols;
void main() {
  int base = outIndex() * u_cols;
  float m = fetchFlat(u_z, base);
  for (int c = 1; c < u_cols; c++) m = max(m, fetchFlat(u_z, base + c));
  float s = 0.0;
  for (int c = 0; c < u_cols; c++) s += exp(fetchFlat(u_z, base + c) - m);
  o_color = vec4(m + log(s), 0.0, 0.0, 0.0);
}`;

const ROW_LOSS = `${PRELUDE}
uniform sampler2D u_z, u_lse, u_labels; uniform int u_cols; uniform float u_on, u_off;
void main() {
  int r = outIndex();
  float label = fetchFlat(u_labels, r);
  int y = int(label);
  if (float(y) != label || y < 0 || y >= u_cols) { o_color = vec4(uintBitsToFloat(0x7fc00000u), 0.0, 0.0, 0.0); return; }
  int base = r * u_cols;
  float sumZ = 0.0;
  for (int c = 0; c < u_cols; c++) sumZ += fetchFlat(u_z, base + c);
  // u_on - u_off = 1 − ε: the smoothed target's extra weight on the true class.
  float loss = fetchFlat(u_lse, r) - (u_on - u_off) * fetchFlat(u_z, base + y) - u_off * sumZ;
  o_color = vec4(loss, 0.0, 0.0, 0.0);
}`;

const PROBS = `${PRELUDE}
uniform sampler2D u_z, u_lse; uniform int u_cols;
void main() {
  int r = outIndex() / u_cols;
  o_color = vec4(exp(fetchSame(u_z) - fetchFlat(u_lse, r)), 0.0, 0.0, 0.0);
}`;

const DLOGITS = `${PRELUDE}
uniform sampler2D u_z, u_lse, u_labels; uniform int u_cols; uniform float u_on, u_off, u_invRows;
void main() {
  int o = outIndex();
  int r = o / u_cols;
  int c = o - r * u_cols;
  float p = exp(fetchSame(u_z) - fetchFlat(u_lse, r));
  float target = c == int(fetchFlat(u_labels, r)) ? u_on : u_off;
  o_color = vec4((p - target) * u_invRows, 0.0, 0.0, 0.0);
}`;

export function softmaxCrossEntropyPass(
  e: GlEngine, logits: GlTensor, labels: GlTensor, probs: GlTensor, dlogits: GlTensor, loss: GlTensor,
  rows: number, cols: number, smoothing: number,
): void {
  const off = smoothing / cols;
  const on = 1 - smoothing + off;
  const layout = layoutOf(rows);
  const lse = e.pool.acquire(layout.width, layout.height, 1, false);
  const rowLoss = e.pool.acquire(layout.width, layout.height, 1, false);
  e.use('sce:lse', LSE).tex('u_z', logits).int('u_cols', cols).drawToTexture(lse);
  e.use('sce:rowLoss', ROW_LOSS).tex('u_z', logits).tex('u_lse', lse).tex('u_labels', labels)
    .int('u_cols', cols).float('u_on', on).float('u_off', off).drawToTexture(rowLoss);
  // dlogits before probs: if a caller passes probs === logits, logits must still be intact.
  e.use('sce:dlogits', DLOGITS).tex('u_z', logits).tex('u_lse', lse).tex('u_labels', labels)
    .int('u_cols', cols).float('u_on', on).float('u_off', off).float('u_invRows', 1 / rows).drawTo(dlogits);
  e.use('sce:probs', PROBS).tex('u_z', logits).tex('u_lse', lse).int('u_cols', cols).drawTo(probs);
  reduceSum(e, rowLoss, rows, loss, false, 1 / rows);
  e.pool.release(lse);
  e.pool.release(rowLoss);
}
