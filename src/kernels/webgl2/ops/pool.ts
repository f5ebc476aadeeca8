import type { PoolGeometry } from '../../validate-conv';
import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';

/**
 * Max-pool 2×2 stride 2 (NCHW). The forward runs twice over the same windows, once writing the
 * maxima and once the winners' in-plane indices (two cheap passes instead of multiple render
 * targets, whose textures would have to match). The backward is a gather, not a scatter: pooling
 * windows do not overlap, so each dx element checks whether it won its own window.
 */
const FORWARD = `${PRELUDE}
uniform sampler2D u_x; uniform int u_H, u_W, u_Ho, u_Wo, u_index;
void main() {
  int i = outIndex();
  int ox = i % u_Wo; int t = i / u_Wo;
  int oy = t % u_Ho; int plane = t / u_Ho;
  int base = plane * u_H * u_W;
  int i0 = 2 * oy * u_W + 2 * ox, i1 = i0 + 1, i2 = i0 + u_W, i3 = i2 + 1;
  float best = fetchFlat(u_x, base + i0);
  int at = i0;
  // Row-major scan: a later value wins only if strictly greater; a NaN wins and stops the scan.
  if (!isnan(best)) {
    float v1 = fetchFlat(u_x, base + i1), v2 = fetchFlat(u_x, base + i2), v3 = fetchFlat(u_x, base + i3);
    if (v1 > best || isnan(v1)) { best = v1; at = i1; }
    if (!isnan(best) && (v2 > best || isnan(v2))) { best = v2; at = i2; }
    if (!isnan(best) && (v3 > best || isnan(v3))) { best = v3; at = i3; }
  }
  o_color = vec4(u_index == 1 ? float(at) : best, 0.0, 0.0, 0.0);
}`;

const BACKWARD = `${PRELUDE}
uniform sampler2D u_dy, u_argmax; uniform int u_H, u_W, u_Ho, u_Wo;
void main() {
  int i = outIndex();
  int ix = i % u_W; int t = i / u_W;
  int iy = t % u_H; int plane = t / u_H;
  int oy = iy / 2, ox = ix / 2;
  float g = 0.0;
  if (oy < u_Ho && ox < u_Wo) {
    int o = (plane * u_Ho + oy) * u_Wo + ox;
    if (fetchFlat(u_argmax, o) == float(iy * u_W + ix)) g = fetchFlat(u_dy, o);
  }
  o_color = vec4(g, 0.0, 0.0, 0.0);
}`;

function dims(e: GlEngine, g: PoolGeometry): GlEngine {
  return e.int('u_H', g.height).int('u_W', g.width).int('u_Ho', g.outH).int('u_Wo', g.outW);
}

export function maxPool2dPass(e: GlEngine, x: GlTensor, out: GlTensor, argmax: GlTensor, g: PoolGeometry): void {
  dims(e.use('pool:forward', FORWARD).tex('u_x', x), g).int('u_index', 0).drawTo(out);
  dims(e.use('pool:forward', FORWARD).tex('u_x', x), g).int('u_index', 1).drawTo(argmax);
}

export function maxPool2dBackwardPass(e: GlEngine, dy: GlTensor, argmax: GlTensor, dx: GlTensor, g: PoolGeometry): void {
  dims(e.use('pool:backward', BACKWARD).tex('u_dy', dy).tex('u_argmax', argmax), g).drawTo(dx);
}
