import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';

/**
 * out[M,N] (+)= op(a)[M,K] · op(b)[K,N] in three passes:
 *   1. pack op(a) into an RGBA texture of ⌈K/4⌉ × M: texel (k4, r) = op(a)[r, 4k4 .. 4k4+3]
 *   2. pack op(b)ᵀ the same way, ⌈K/4⌉ × N: texel (k4, c) = op(b)[4k4 .. 4k4+3, c]
 *   3. each output fragment (r, c) runs Σ_k4 dot(A4[k4, r], B4[k4, c])
 * The packing passes absorb the transposes and the flat layout (O(MK + KN) work), so the
 * O(MNK) loop does two vec4 fetches per four multiply-adds with no index arithmetic. K is
 * zero-padded to a multiple of 4 in the packs. Packed textures come from the pool.
 */
const PACK = `${PRELUDE}
uniform sampler2D u_src; uniform int u_k, u_rowStride, u_kStride;
void main() {
  int row = int(gl_FragCoord.y);
  int k = int(gl_FragCoord.x) * 4;
  vec4 v = vec4(0.0);
  int base = row * u_rowStride + k * u_kStride;
  for (int j = 0; j < 4; j++) {
    if (k + j < u_k) v[j] = fetchFlat(u_src, base + j * u_kStride);
  }
  o_color = v;
}`;

const productSource = (accumulate: boolean): string => `${PRELUDE}
uniform sampler2D u_a4, u_b4; uniform int u_m, u_n, u_k4;
${accumulate ? 'uniform sampler2D u_prev;' : ''}
void main() {
  int o = outIndex();
  int r = o / u_n;
  if (r >= u_m) { o_color = vec4(0.0); return; }
  int c = o - r * u_n;
  float s0 = 0.0, s1 = 0.0;
  int k = 0;
  for (; k + 1 < u_k4; k += 2) {
    s0 += dot(texelFetch(u_a4, ivec2(k, r), 0), texelFetch(u_b4, ivec2(k, c), 0));
    s1 += dot(texelFetch(u_a4, ivec2(k + 1, r), 0), texelFetch(u_b4, ivec2(k + 1, c), 0));
  }
  if (k < u_k4) s0 += dot(texelFetch(u_a4, ivec2(k, r), 0), texelFetch(u_b4, ivec2(k, c), 0));
  float s = s0 + s1;
  ${accumulate ? 's += fetchSame(u_prev);' : ''}
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;

const PRODUCT = productSource(false);
const PRODUCT_ACC = productSource(true);

export interface MatmulDims {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
}

/** Throws when the packed operands would exceed the GPU's texture size. */
export function checkMatmulFits(d: MatmulDims, maxTextureSize: number): void {
  const k4 = Math.ceil(d.k / 4);
  if (d.m > maxTextureSize || d.n > maxTextureSize || k4 > maxTextureSize) {
    throw new Error(`matmul: [${d.m}x${d.k}]·[${d.k}x${d.n}] is too large for this GPU (texture size limit ${maxTextureSize}); use smaller batches`);
  }
}

export function matmulPass(e: GlEngine, a: GlTensor, b: GlTensor, out: GlTensor, d: MatmulDims): void {
  const k4 = Math.ceil(d.k / 4);
  const a4 = e.pool.acquire(k4, d.m, 4, false);
  const b4 = e.pool.acquire(k4, d.n, 4, false);
  // op(a)[r, k] is a[r·K + k], or a[k·M + r] when a is stored transposed; likewise for b.
  e.use('matmul:pack', PACK).tex('u_src', a).int('u_k', d.k)
    .int('u_rowStride', d.transA ? 1 : d.k).int('u_kStride', d.transA ? d.m : 1).drawToTexture(a4);
  e.use('matmul:pack', PACK).tex('u_src', b).int('u_k', d.k)
    .int('u_rowStride', d.transB ? d.k : 1).int('u_kStride', d.transB ? 1 : d.n).drawToTexture(b4);
  if (d.accumulate) {
    e.use('matmul+acc', PRODUCT_ACC).tex('u_a4', a4).tex('u_b4', b4).tex('u_prev', out);
  } else {
    e.use('matmul', PRODUCT).tex('u_a4', a4).tex('u_b4', b4);
  }
  e.int('u_m', d.m).int('u_n', d.n).int('u_k4', k4).drawTo(out);
  e.pool.release(a4);
  e.pool.release(b4);
}
