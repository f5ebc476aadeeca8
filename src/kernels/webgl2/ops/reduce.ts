import { PRELUDE, type GlEngine } from '../engine';
import { layoutOf, type GlTensor } from '../tensor';
import type { GlTexture } from '../textures';

/**
 * Σ over the first n elements of a flat-layout texture, in two passes so no single fragment
 * loops over everything: pass 1 sums each texture row (≤ 4096 values) into a temporary of one
 * value per row, pass 2 sums those. `square` sums x² instead (sumSquares); the final sum is
 * multiplied by `scale` (a mean).
 */
const ROW_SUMS = `${PRELUDE}
uniform sampler2D u_x; uniform int u_n; uniform int u_square;
void main() {
  int row = outIndex();
  int w = textureSize(u_x, 0).x;
  int end = min(w, u_n - row * w);
  float s = 0.0;
  for (int i = 0; i < end; i++) {
    float v = texelFetch(u_x, ivec2(i, row), 0).r;
    s += u_square == 1 ? v * v : v;
  }
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;

const TOTAL = `${PRELUDE}
uniform sampler2D u_x; uniform int u_n; uniform int u_square; uniform float u_scale;
void main() {
  float s = 0.0;
  for (int i = 0; i < u_n; i++) {
    float v = fetchFlat(u_x, i);
    s += u_square == 1 ? v * v : v;
  }
  o_color = vec4(s * u_scale, 0.0, 0.0, 0.0);
}`;

export function reduceSum(
  e: GlEngine, src: GlTexture, n: number, out: GlTensor, square: boolean, scale: number,
): void {
  const rows = Math.ceil(n / src.width);
  if (rows <= 1) {
    e.use('reduce:total', TOTAL).tex('u_x', src).int('u_n', n).int('u_square', square ? 1 : 0)
      .float('u_scale', scale).drawTo(out);
    return;
  }
  const layout = layoutOf(rows);
  const partial = e.pool.acquire(layout.width, layout.height, 1, false);
  e.use('reduce:rows', ROW_SUMS).tex('u_x', src).int('u_n', n).int('u_square', square ? 1 : 0).drawToTexture(partial);
  e.use('reduce:total', TOTAL).tex('u_x', partial).int('u_n', rows).int('u_square', 0)
    .float('u_scale', scale).drawTo(out);
  e.pool.release(partial);
}
