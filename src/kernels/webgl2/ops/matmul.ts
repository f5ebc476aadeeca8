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
uniform sampler2D u_src; uniform int u_k, u_rows, u_rowStride, u_kStride, u_offset;
void main() {
  int row = int(gl_FragCoord.y);
  int k = int(gl_FragCoord.x) * 4;
  vec4 v = vec4(0.0);
  if (row < u_rows) {
    int base = u_offset + row * u_rowStride + k * u_kStride;
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

/**
 * Packs rows of a strided matrix view into `target` (⌈K/4⌉ × rows rounded up to 4): element
 * [r, k] is src[offset + r·rowStride + k·kStride]. Exported for ops that reuse the block product
 * on views of bigger tensors (one time step of a sequence).
 */
export function packPass(
  e: GlEngine, src: GlTensor | GlTexture, target: GlTexture,
  k: number, rows: number, rowStride: number, kStride: number, offset: number,
): void {
  e.use('matmul:pack', PACK).tex('u_src', src).int('u_k', k).int('u_rows', rows)
    .int('u_rowStride', rowStride).int('u_kStride', kStride).int('u_offset', offset).drawToTexture(target);
}

/** The four block targets (n4/4 × m4/4 each) of packed operands a4 (k4 × m4) and b4 (k4 × n4). */
export function acquireBlocks(e: GlEngine, m: number, n: number, into: GlTexture[]): void {
  for (let i = 0; i < 4; i++) into[i] = e.pool.acquire(roundUp4(n) / 4, roundUp4(m) / 4, 4, false);
}

export function releaseBlocks(e: GlEngine, blocks: GlTexture[]): void {
  for (let i = 0; i < 4; i++) e.pool.release(blocks[i]);
}

export function blockPass(e: GlEngine, a4: GlTexture, b4: GlTexture, k: number, into: GlTexture[]): void {
  e.use('matmul:block', BLOCK).tex('u_a4', a4).tex('u_b4', b4).int('u_k4', Math.ceil(k / 4)).drawToMany(into, 4);
}

/**
 * GLSL reading element [r, c] of a block product (blocks bound as u_t0..u_t3), for passes that
 * consume a product directly instead of unpacking it first.
 */
export const READ_BLOCKS = `
uniform sampler2D u_t0, u_t1, u_t2, u_t3;
float blockAt(int r, int c) {
  ivec2 at = ivec2(c / 4, r / 4);
  int i = r - (r / 4) * 4;
  vec4 block = i == 0 ? texelFetch(u_t0, at, 0) : i == 1 ? texelFetch(u_t1, at, 0)
             : i == 2 ? texelFetch(u_t2, at, 0) : texelFetch(u_t3, at, 0);
  return block[c - (c / 4) * 4];
}`;

export function bindBlocks(e: GlEngine, blocks: GlTexture[]): GlEngine {
  return e.tex('u_t0', blocks[0]).tex('u_t1', blocks[1]).tex('u_t2', blocks[2]).tex('u_t3', blocks[3]);
}

export function packedSize(k: number, rows: number): [number, number] {
  return [Math.ceil(k / 4), roundUp4(rows)];
}

/** out[M,N] (+)= the block product, into out's flat layout. */
export function unpackPass(e: GlEngine, from: GlTexture[], out: GlTensor, m: number, n: number, accumulate: boolean): void {
  if (accumulate) e.use('matmul:unpack+acc', UNPACK_ACC).tex('u_prev', out);
  else e.use('matmul:unpack', UNPACK);
  bindBlocks(e, from).int('u_m', m).int('u_n', n).drawTo(out);
}

export function matmulPass(e: GlEngine, a: GlTensor, b: GlTensor, out: GlTensor, d: MatmulDims): void {
  const k4 = Math.ceil(d.k / 4), m4 = roundUp4(d.m), n4 = roundUp4(d.n);
  const a4 = e.pool.acquire(k4, m4, 4, false);
  const b4 = e.pool.acquire(k4, n4, 4, false);
  // op(a)[r, k] is a[r·K + k], or a[k·M + r] when a is stored transposed; likewise for b.
  packPass(e, a, a4, d.k, d.m, d.transA ? 1 : d.k, d.transA ? d.m : 1, 0);
  packPass(e, b, b4, d.k, d.n, d.transB ? d.k : 1, d.transB ? 1 : d.n, 0);
  acquireBlocks(e, d.m, d.n, blocks);
  blockPass(e, a4, b4, d.k, blocks);
  e.pool.release(a4);
  e.pool.release(b4);
  unpackPass(e, blocks, out, d.m, d.n, d.accumulate);
  releaseBlocks(e, blocks);
}
