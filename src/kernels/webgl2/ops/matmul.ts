import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';
import type { GlTexture } from '../textures';

/**
 * out[M,N] (+)= op(a)[M,K] · op(b)[K,N] in four passes:
 *   1. pack op(a) into an RGBA texture ⌈K/4⌉ × M4 (M4 = M rounded up to 4, extra rows zero):
 *      texel (k4, r) = op(a)[r, 4k4 .. 4k4+3]
 *   2. pack op(b)ᵀ the same way, ⌈K/4⌉ × N4: texel (k4, c) = op(b)[4k4 .. 4k4+3, c]
 *   3. each fragment (c4, r4) computes a 4×4 output block with 8 vec4 fetches and 16 dot
 *      products per step of 4 along K, into four RGBA targets at once (target i = block row i)
 *   4. unpack the blocks into out's flat layout (adding out's old values when accumulating)
 * The packs absorb the transposes and the flat layout (O(MK + KN) work), so the O(MNK) loop has
 * no index arithmetic; the 4×4 register block quarters the texture fetches per multiply-add,
 * which is what bounds a fragment-shader matmul (most of all on a software rasterizer).
 */
const PACK = `${PRELUDE}
uniform sampler2D u_src; uniform int u_k, u_rows, u_rowStride, u_kStride;
void main() {
  int row = int(gl_FragCoord.y);
  int k = int(gl_FragCoord.x) * 4;
  vec4 v = vec4(0.0);
  if (row < u_rows) {
    int base = row * u_rowStride + k * u_kStride;
    for (int j = 0; j < 4; j++) {
      if (k + j < u_k) v[j] = fetchFlat(u_src, base + j * u_kStride);
    }
  }
  o_color = v;
}`;

const BLOCK = `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
uniform sampler2D u_a4, u_b4; uniform int u_k4;
layout(location = 0) out vec4 o_row0;
layout(location = 1) out vec4 o_row1;
layout(location = 2) out vec4 o_row2;
layout(location = 3) out vec4 o_row3;
void main() {
  int c = int(gl_FragCoord.x) * 4, r = int(gl_FragCoord.y) * 4;
  vec4 s0 = vec4(0.0), s1 = vec4(0.0), s2 = vec4(0.0), s3 = vec4(0.0);
  for (int k = 0; k < u_k4; k++) {
    vec4 a0 = texelFetch(u_a4, ivec2(k, r), 0), a1 = texelFetch(u_a4, ivec2(k, r + 1), 0);
    vec4 a2 = texelFetch(u_a4, ivec2(k, r + 2), 0), a3 = texelFetch(u_a4, ivec2(k, r + 3), 0);
    mat4 b = mat4(texelFetch(u_b4, ivec2(k, c), 0), texelFetch(u_b4, ivec2(k, c + 1), 0),
                  texelFetch(u_b4, ivec2(k, c + 2), 0), texelFetch(u_b4, ivec2(k, c + 3), 0));
    // a·b with b's columns as matrix columns: (a·b)[j] = dot(a, column j).
    s0 += a0 * b; s1 += a1 * b; s2 += a2 * b; s3 += a3 * b;
  }
  o_row0 = s0; o_row1 = s1; o_row2 = s2; o_row3 = s3;
}`;

const unpackSource = (accumulate: boolean): string => `${PRELUDE}
uniform sampler2D u_t0, u_t1, u_t2, u_t3; uniform int u_m, u_n;
${accumulate ? 'uniform sampler2D u_prev;' : ''}
void main() {
  int o = outIndex();
  int r = o / u_n;
  if (r >= u_m) { o_color = vec4(0.0); return; }
  int c = o - r * u_n;
  ivec2 at = ivec2(c / 4, r / 4);
  int i = r - (r / 4) * 4;
  vec4 block = i == 0 ? texelFetch(u_t0, at, 0) : i == 1 ? texelFetch(u_t1, at, 0)
             : i == 2 ? texelFetch(u_t2, at, 0) : texelFetch(u_t3, at, 0);
  float s = block[c - (c / 4) * 4];
  ${accumulate ? 's += fetchSame(u_prev);' : ''}
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;

const UNPACK = unpackSource(false);
const UNPACK_ACC = unpackSource(true);

export interface MatmulDims {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
}

const roundUp4 = (x: number): number => Math.ceil(x / 4) * 4;

/** Throws when the packed operands would exceed the GPU's texture size. */
export function checkMatmulFits(d: MatmulDims, maxTextureSize: number): void {
  if (roundUp4(d.m) > maxTextureSize || roundUp4(d.n) > maxTextureSize || Math.ceil(d.k / 4) > maxTextureSize) {
    throw new Error(`matmul: [${d.m}x${d.k}]·[${d.k}x${d.n}] is too large for this GPU (texture size limit ${maxTextureSize}); use smaller batches`);
  }
}

/** Reused list of the four block targets (no array per call). */
const blocks: GlTexture[] = [];

export function matmulPass(e: GlEngine, a: GlTensor, b: GlTensor, out: GlTensor, d: MatmulDims): void {
  const k4 = Math.ceil(d.k / 4), m4 = roundUp4(d.m), n4 = roundUp4(d.n);
  const a4 = e.pool.acquire(k4, m4, 4, false);
  const b4 = e.pool.acquire(k4, n4, 4, false);
  // op(a)[r, k] is a[r·K + k], or a[k·M + r] when a is stored transposed; likewise for b.
  e.use('matmul:pack', PACK).tex('u_src', a).int('u_k', d.k).int('u_rows', d.m)
    .int('u_rowStride', d.transA ? 1 : d.k).int('u_kStride', d.transA ? d.m : 1).drawToTexture(a4);
  e.use('matmul:pack', PACK).tex('u_src', b).int('u_k', d.k).int('u_rows', d.n)
    .int('u_rowStride', d.transB ? d.k : 1).int('u_kStride', d.transB ? 1 : d.n).drawToTexture(b4);
  for (let i = 0; i < 4; i++) blocks[i] = e.pool.acquire(n4 / 4, m4 / 4, 4, false);
  e.use('matmul:block', BLOCK).tex('u_a4', a4).tex('u_b4', b4).int('u_k4', k4).drawToMany(blocks, 4);
  e.pool.release(a4);
  e.pool.release(b4);
  if (d.accumulate) e.use('matmul:unpack+acc', UNPACK_ACC).tex('u_prev', out);
  else e.use('matmul:unpack', UNPACK);
  e.tex('u_t0', blocks[0]).tex('u_t1', blocks[1]).tex('u_t2', blocks[2]).tex('u_t3', blocks[3])
    .int('u_m', d.m).int('u_n', d.n).drawTo(out);
  for (let i = 0; i < 4; i++) e.pool.release(blocks[i]);
}
