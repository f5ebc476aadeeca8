import type { ConvGeometry } from '../../validate-conv';
import { PRELUDE, type GlEngine } from '../engine';
import { layoutOf, type GlTensor } from '../tensor';

/**
 * Weight gradient of thin layers (few weights, e.g. the CNN's 1-channel first layer: 144) as a
 * two-pass reduction: partial sums over chunks of output rows (b, oy), one fragment per (chunk,
 * weight), then a sum over chunks. The block matmul would have only a handful of 4×4 output
 * blocks there, each looping over every position: too little parallel work.
 */
const PARTIAL = `${PRELUDE}
uniform sampler2D u_x, u_dy;
uniform int u_C, u_H, u_W, u_O, u_k, u_pad, u_Ho, u_Wo, u_rowsPerChunk, u_rows, u_entries;
void main() {
  int i = outIndex();
  int p = i % u_entries, chunk = i / u_entries;
  int r0 = chunk * u_rowsPerChunk, r1 = min(u_rows, r0 + u_rowsPerChunk);
  int kx = p % u_k; int t = p / u_k;
  int ky = t % u_k; t /= u_k;
  int c = t % u_C; int o = t / u_C;
  int lo = max(0, u_pad - kx), hi = min(u_Wo, u_W + u_pad - kx);
  float s = 0.0;
  for (int r = r0; r < r1; r++) {
    int b = r / u_Ho, oy = r - b * u_Ho;
    int iy = oy + ky - u_pad;
    if (iy < 0 || iy >= u_H) continue;
    int d = ((b * u_O + o) * u_Ho + oy) * u_Wo;
    int xr = ((b * u_C + c) * u_H + iy) * u_W + kx - u_pad;
    for (int ox = lo; ox < hi; ox++) s += fetchFlat(u_dy, d + ox) * fetchFlat(u_x, xr + ox);
  }
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;

const sumSource = (accumulate: boolean): string => `${PRELUDE}
uniform sampler2D u_partial; uniform int u_chunks, u_entries;
${accumulate ? 'uniform sampler2D u_prev;' : ''}
void main() {
  int p = outIndex();
  float s = 0.0;
  for (int chunk = 0; chunk < u_chunks; chunk++) s += fetchFlat(u_partial, chunk * u_entries + p);
  ${accumulate ? 's += fetchSame(u_prev);' : ''}
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;

const SUM = sumSource(false);
const SUM_ACC = sumSource(true);

/** Output-row terms per partial fragment: long enough to amortize, short for parallelism. */
const TERMS_PER_CHUNK = 512;
/** Cap on the partial-sum texture: 8M floats (2048 rows, within every WebGL2 texture limit). */
const MAX_PARTIAL = 1 << 23;
/** Below this many 4×4 output blocks the block matmul is too serial (measured on SwiftShader). */
export const DIRECT_WEIGHT_MAX_BLOCKS = 64;

export function conv2dWeightDirectPass(e: GlEngine, x: GlTensor, dy: GlTensor, dw: GlTensor, g: ConvGeometry, accumulate: boolean): void {
  const entries = g.outC * g.inC * g.kernel * g.kernel, rows = g.batch * g.outH;
  let rowsPerChunk = Math.max(1, Math.floor(TERMS_PER_CHUNK / g.outW));
  rowsPerChunk = Math.max(rowsPerChunk, Math.ceil((rows * entries) / MAX_PARTIAL));
  const chunks = Math.ceil(rows / rowsPerChunk);
  const layout = layoutOf(chunks * entries);
  const partial = e.pool.acquire(layout.width, layout.height, 1, false);
  e.use('conv:weightPartial', PARTIAL).tex('u_x', x).tex('u_dy', dy).int('u_C', g.inC).int('u_H', g.height)
    .int('u_W', g.width).int('u_O', g.outC).int('u_k', g.kernel).int('u_pad', g.pad).int('u_Ho', g.outH)
    .int('u_Wo', g.outW).int('u_rowsPerChunk', rowsPerChunk).int('u_rows', rows).int('u_entries', entries)
    .drawToTexture(partial);
  if (accumulate) e.use('conv:chunkSum+acc', SUM_ACC).tex('u_prev', dw);
  else e.use('conv:chunkSum', SUM);
  e.tex('u_partial', partial).int('u_chunks', chunks).int('u_entries', entries).drawTo(dw);
  e.pool.release(partial);
}
