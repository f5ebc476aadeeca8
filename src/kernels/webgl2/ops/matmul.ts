import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';
import type { GlTexture } from '../textures';

/**
 * out[M,N] (+)= op(a)[M,K] · op(b)[K,N] in four passes:
 *   1. pack op(a) into an RGBA texture ⌈K/4⌉ × M8 (M8 = M rounded up to 8, extra rows zero):
 *      texel (k4, r) = op(a)[r, 4k4 .. 4k4+3]
 *   2. pack op(b)ᵀ the same way, ⌈K/4⌉ × N8: texel (k4, c) = op(b)[4k4 .. 4k4+3, c]
 *   3. each fragment computes an R×4 output block (R = 8 rows where the GPU has 8 render
 *      targets, else 4) with R + 4 vec4 fetches and R vec4·mat4 products per step of 4 along K,
 *      into the R layers of an RGBA texture array at once (layer i = row i of every block)
 *   4. unpack the blocks into out's flat layout, one fetch per element (adding onto out when
 *      accumulating: by blending where float blending exists, else reading the old values)
 * The packs absorb the transposes and the flat layout (O(MK + KN) work), so the O(MNK) loop has
 * no index arithmetic; the register block cuts the texture fetches per multiply-add, which is
 * what bounds a fragment-shader matmul (most of all on a software rasterizer).
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

/**
 * The block product for blocks of `rows` (4 or 8, one render target each) × 4 columns: per step
 * of 4 along K, `rows` + 4 vec4 fetches feed rows·16 multiply-adds, so taller blocks fetch less
 * per multiply-add (8 rows: 12 fetches per 128, against 8 per 64).
 */
const blockSource = (rows: number): string => {
  const idx = Array.from({ length: rows }, (_, i) => i);
  return `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
uniform sampler2D u_a4, u_b4; uniform int u_k4;
${idx.map((i) => `layout(location = ${i}) out vec4 o_row${i};`).join('\n')}
void main() {
  int c = int(gl_FragCoord.x) * 4, r = int(gl_FragCoord.y) * ${rows};
  ${idx.map((i) => `vec4 s${i} = vec4(0.0);`).join(' ')}
  for (int k = 0; k < u_k4; k++) {
    mat4 b = mat4(texelFetch(u_b4, ivec2(k, c), 0), texelFetch(u_b4, ivec2(k, c + 1), 0),
                  texelFetch(u_b4, ivec2(k, c + 2), 0), texelFetch(u_b4, ivec2(k, c + 3), 0));
    // a·b with b's columns as matrix columns: (a·b)[j] = dot(a, column j).
    ${idx.map((i) => `s${i} += texelFetch(u_a4, ivec2(k, r + ${i}), 0) * b;`).join('\n    ')}
  }
  ${idx.map((i) => `o_row${i} = s${i};`).join(' ')}
}`;
};

const BLOCK4 = blockSource(4);
const BLOCK8 = blockSource(8);

/** Rows per output block: 8 where the GPU renders to 8 targets at once, else 4. */
const blockRows = (e: GlEngine): number => (e.caps.maxDrawBuffers >= 8 ? 8 : 4);

const unpackSource = (accumulate: boolean): string => `${PRELUDE}${READ_BLOCKS}
uniform int u_m, u_n;
${accumulate ? 'uniform sampler2D u_prev;' : ''}
void main() {
  int o = outIndex();
  int r = o / u_n;
  if (r >= u_m) { o_color = vec4(0.0); return; }
  float s = blockAt(r, o - r * u_n);
  ${accumulate ? 's += fetchSame(u_prev);' : ''}
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;


export interface MatmulDims {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
}

const roundUp4 = (x: number): number => Math.ceil(x / 4) * 4;
/** Packed operands pad their rows to 8, so both block heights (4, 8) tile them. */
const roundUp8 = (x: number): number => Math.ceil(x / 8) * 8;

/** Throws when the packed operands would exceed the GPU's texture size. */
export function checkMatmulFits(d: MatmulDims, maxTextureSize: number): void {
  if (roundUp8(d.m) > maxTextureSize || roundUp8(d.n) > maxTextureSize || Math.ceil(d.k / 4) > maxTextureSize) {
    throw new Error(`matmul: [${d.m}x${d.k}]·[${d.k}x${d.n}] is too large for this GPU (texture size limit ${maxTextureSize}); use smaller batches`);
  }
}

/** Reused holder of the block product (no array per call). */
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

/** The block product (4 layers of n4/4 × m4/4, in into[0]) of packed operands a4 (k4 × m4) and b4 (k4 × n4). */
export function acquireBlocks(e: GlEngine, m: number, n: number, into: GlTexture[]): void {
  const rows = blockRows(e);
  into[0] = e.pool.acquireLayered(roundUp4(n) / 4, roundUp8(m) / rows, rows);
}

export function releaseBlocks(e: GlEngine, blocks: GlTexture[]): void {
  e.pool.release(blocks[0]);
}

export function blockPass(e: GlEngine, a4: GlTexture, b4: GlTexture, k: number, into: GlTexture[]): void {
  const rows = blockRows(e);
  e.use(rows === 8 ? 'matmul:block8' : 'matmul:block4', rows === 8 ? BLOCK8 : BLOCK4).tex('u_a4', a4).tex('u_b4', b4).int('u_k4', Math.ceil(k / 4)).drawToLayers(into[0]);
}

/**
 * GLSL reading element [r, c] of a block product (bound as u_blocks), for passes that consume a
 * product directly instead of unpacking it first. Layer i holds row i of every 4×4 block, so
 * an element is one fetch (separate textures per row would need a fetch per candidate row).
 */
export const READ_BLOCKS = `
uniform highp sampler2DArray u_blocks;
float blockAt(int r, int c) {
  int rows = textureSize(u_blocks, 0).z;
  int br = r / rows;
  return texelFetch(u_blocks, ivec3(c >> 2, br, r - br * rows), 0)[c & 3];
}`;

const UNPACK = unpackSource(false);
const UNPACK_ACC = unpackSource(true);

export function bindBlocks(e: GlEngine, blocks: GlTexture[]): GlEngine {
  return e.tex('u_blocks', blocks[0]);
}

export function packedSize(k: number, rows: number): [number, number] {
  return [Math.ceil(k / 4), roundUp8(rows)];
}

/** out[M,N] (+)= the block product, into out's flat layout. */
export function unpackPass(e: GlEngine, from: GlTexture[], out: GlTensor, m: number, n: number, accumulate: boolean): void {
  if (accumulate && e.caps.floatBlend) {
    // Blending adds in place: no read of the old values, no fresh texture.
    bindBlocks(e.use('matmul:unpack', UNPACK), from).int('u_m', m).int('u_n', n).drawAddingTo(out);
    return;
  }
  if (accumulate) e.use('matmul:unpack+acc', UNPACK_ACC).tex('u_prev', out);
  else e.use('matmul:unpack', UNPACK);
  bindBlocks(e, from).int('u_m', m).int('u_n', n).drawTo(out);
}

export function matmulPass(e: GlEngine, a: GlTensor, b: GlTensor, out: GlTensor, d: MatmulDims): void {
  const k4 = Math.ceil(d.k / 4), m4 = roundUp8(d.m), n4 = roundUp8(d.n);
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
