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

/** Rows of one packed operand (its texture height, rounded to 8) and the reduction per tile (4 per texel). */
export interface MatmulTileSizes {
  rows: number;
  cols: number;
  depth: number;
}

/**
 * Tile sizes that keep every packed operand inside the GPU's texture size: rows of op(a) and
 * columns of op(b) (texture heights, padded to 8) at most maxTextureSize, the reduction at most
 * 4·maxTextureSize (RGBA texels along a texture row). A product that fits is one tile (the sizes
 * are its own dims), so only bigger ones (a sequence batch's T·B rows) pay for tiling.
 */
export function matmulTileSizes(d: Pick<MatmulDims, 'm' | 'n' | 'k'>, maxTextureSize: number): MatmulTileSizes {
  const rowLimit = Math.floor(maxTextureSize / 8) * 8, depthLimit = 4 * maxTextureSize;
  if (rowLimit < 8) throw new Error(`matmul: texture size limit ${maxTextureSize} is below 8`);
  return {
    rows: roundUp8(d.m) <= maxTextureSize ? d.m : rowLimit,
    cols: roundUp8(d.n) <= maxTextureSize ? d.n : rowLimit,
    depth: d.k <= depthLimit ? d.k : depthLimit,
  };
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
  if (fitsWhole(e, d)) {
    matmulWhole(e, a, b, out, d);
    return;
  }
  matmulTiled(e, a, b, out, d, matmulTileSizes(d, e.caps.maxTextureSize));
}

/** Whether the product fits the texture size in one piece (else matmulPass tiles it). */
export function fitsWhole(e: GlEngine, d: MatmulDims): boolean {
  const tile = matmulTileSizes(d, e.caps.maxTextureSize);
  return tile.rows === d.m && tile.cols === d.n && tile.depth === d.k;
}

/**
 * Packs both operands and runs the block product into `into` (acquired here; the caller unpacks
 * it and calls releaseBlocks). Only for products that fit whole.
 */
export function multiplyIntoBlocks(e: GlEngine, a: GlTensor, b: GlTensor, d: MatmulDims, into: GlTexture[]): void {
  const k4 = Math.ceil(d.k / 4), m4 = roundUp8(d.m), n4 = roundUp8(d.n);
  const a4 = e.pool.acquire(k4, m4, 4, false);
  const b4 = e.pool.acquire(k4, n4, 4, false);
  // op(a)[r, k] is a[r·K + k], or a[k·M + r] when a is stored transposed; likewise for b.
  packPass(e, a, a4, d.k, d.m, d.transA ? 1 : d.k, d.transA ? d.m : 1, 0);
  packPass(e, b, b4, d.k, d.n, d.transB ? d.k : 1, d.transB ? 1 : d.n, 0);
  acquireBlocks(e, d.m, d.n, into);
  blockPass(e, a4, b4, d.k, into);
  e.pool.release(a4);
  e.pool.release(b4);
}

function matmulWhole(e: GlEngine, a: GlTensor, b: GlTensor, out: GlTensor, d: MatmulDims): void {
  multiplyIntoBlocks(e, a, b, d, blocks);
  unpackPass(e, blocks, out, d.m, d.n, d.accumulate);
  releaseBlocks(e, blocks);
}

const UNPACK_TILE = unpackTileSource(false);
const UNPACK_TILE_ACC = unpackTileSource(true);

/** out's tile [r0, r0 + mc) × [c0, c0 + nc) (+)= the block product; other elements are kept (discard). */
function unpackTileSource(accumulate: boolean): string {
  return `${PRELUDE}${READ_BLOCKS}
uniform int u_n, u_r0, u_mc, u_c0, u_nc;
${accumulate ? 'uniform sampler2D u_prev;' : ''}
void main() {
  int o = outIndex();
  int r = o / u_n;
  int lr = r - u_r0, lc = o - r * u_n - u_c0;
  if (lr < 0 || lr >= u_mc || lc < 0 || lc >= u_nc) discard;
  float s = blockAt(lr, lc);
  ${accumulate ? 's += fetchSame(u_prev);' : ''}
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;
}

const SNAPSHOT = `${PRELUDE}
uniform sampler2D u_x;
void main() { o_color = vec4(fetchSame(u_x), 0.0, 0.0, 0.0); }`;

/**
 * A product bigger than the texture size, tile by tile: each tile packs its slice of the operands
 * (packPass reads strided views at an offset, so nothing is copied first) and writes its rows ×
 * columns of out (a range pass that discards the other columns). Every output element comes out
 * of the same shader loop as in one piece, so row and column tiling change no bit; reduction
 * tiles (K past 4·maxTextureSize) add their partial sums onto out one after another.
 */
function matmulTiled(e: GlEngine, a: GlTensor, b: GlTensor, out: GlTensor, d: MatmulDims, tile: MatmulTileSizes): void {
  const { m, n, k } = d;
  for (let k0 = 0; k0 < k; k0 += tile.depth) {
    const kc = Math.min(tile.depth, k - k0);
    const accumulate = d.accumulate || k0 > 0;
    // Without float blending an accumulating tile reads the old values: from a copy, since a
    // range pass cannot read its own output.
    const prev = accumulate && !e.caps.floatBlend ? snapshot(e, out) : null;
    const k4 = Math.ceil(kc / 4);
    for (let c0 = 0; c0 < n; c0 += tile.cols) {
      const nc = Math.min(tile.cols, n - c0);
      const b4 = e.pool.acquire(k4, roundUp8(nc), 4, false);
      packPass(e, b, b4, kc, nc, d.transB ? k : 1, d.transB ? 1 : n, d.transB ? c0 * k + k0 : k0 * n + c0);
      for (let r0 = 0; r0 < m; r0 += tile.rows) {
        const mc = Math.min(tile.rows, m - r0);
        const a4 = e.pool.acquire(k4, roundUp8(mc), 4, false);
        packPass(e, a, a4, kc, mc, d.transA ? 1 : k, d.transA ? m : 1, d.transA ? k0 * m + r0 : r0 * k + k0);
        acquireBlocks(e, mc, nc, blocks);
        blockPass(e, a4, b4, kc, blocks);
        e.pool.release(a4);
        unpackTile(e, out, prev, accumulate, r0, mc, c0, nc, n);
        releaseBlocks(e, blocks);
      }
      e.pool.release(b4);
    }
    if (prev) e.pool.release(prev);
  }
}

function snapshot(e: GlEngine, t: GlTensor): GlTexture {
  const src = t.texture!;
  const copy = e.pool.acquire(src.width, src.height, 1, false);
  e.use('matmul:snapshot', SNAPSHOT).tex('u_x', t).drawToTexture(copy);
  return copy;
}

function unpackTile(
  e: GlEngine, out: GlTensor, prev: GlTexture | null, accumulate: boolean, r0: number, mc: number, c0: number, nc: number, n: number,
): void {
  if (prev) e.use('matmul:unpackTile+acc', UNPACK_TILE_ACC).tex('u_prev', prev);
  else e.use('matmul:unpackTile', UNPACK_TILE);
  bindBlocks(e, blocks).int('u_n', n).int('u_r0', r0).int('u_mc', mc).int('u_c0', c0).int('u_nc', nc)
    .drawToRange(out, r0 * n + c0, (r0 + mc - 1) * n + c0 + nc, accumulate && !prev);
}
