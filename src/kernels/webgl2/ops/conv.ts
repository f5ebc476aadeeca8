import type { ConvGeometry } from '../../validate-conv';
import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';
import type { GlTexture } from '../textures';
import { conv2dWeightDirectPass, DIRECT_WEIGHT_MAX_BLOCKS } from './conv-weight-direct';
import { acquireBlocks, bindBlocks, blockPass, packedSize, READ_BLOCKS, releaseBlocks, unpackPass } from './matmul';

/**
 * Convolution (NCHW, stride 1, k×k, zero padding) on the packed block matmul of matmul.ts. The
 * im2col matrix is never materialized: a gather pass writes it straight into the matmul's RGBA
 * operand layout (4 consecutive k per texel), so the O(MNK) loop is the same 4×4-blocked
 * product as dense layers (a direct per-output gather measured ~15× slower on SwiftShader).
 *   forward       out[b,o,p]  = Σ_(c,ky,kx) col_x[(b,p),(c,ky,kx)] · w[o,(c,ky,kx)] + bias[o]
 *   input grad    dx[b,c,p]   = Σ_(o,ky,kx) col_dy[(b,p),(o,ky,kx)] · w[o,c,ky,kx]  (flipped taps)
 *   weight grad   dw[o,q]     = Σ_(b,p) dy[b,o,p] · col_x[(b,p),q],  db[o] = Σ_(b,p) dy[b,o,p]
 * Batch items go in groups so every operand texture stays within the GPU's texture size; the
 * weight gradient accumulates the groups' products (layers with few weights take the direct
 * reduction of conv-weight-direct.ts instead).
 *
 * A gathered element is src[b, ch, y, x] with (y, x) = (gy + s·ky + off, gx + s·kx + off) for
 * grid position (gy, gx) and tap (ch, ky, kx), zero outside the source plane: s = 1, off = −pad
 * reads x for the forward; s = −1, off = pad reads dy for the input gradient; a 1×1 "kernel"
 * reads dy itself.
 */
const GATHER = `${PRELUDE}
uniform sampler2D u_src;
uniform int u_b0, u_positions, u_taps, u_gridH, u_gridW, u_srcC, u_srcH, u_srcW, u_k, u_sign, u_off, u_posIsRow;
float gatherOne(int b, int gy, int gx, int ch, int ky, int kx) {
  int y = gy + u_sign * ky + u_off, x = gx + u_sign * kx + u_off;
  if (y < 0 || y >= u_srcH || x < 0 || x >= u_srcW) return 0.0;
  return fetchFlat(u_src, ((b * u_srcC + ch) * u_srcH + y) * u_srcW + x);
}
// A texel holds 4 consecutive taps (posIsRow) or 4 consecutive positions: the divisions that split
// an index into (item, y, x) or (channel, ky, kx) run once per texel, and the 4 elements step on
// by counting. Against splitting every element's indices afresh, the CNN's gather passes took
// ~40% less time on SwiftShader (measured in one profile of a training step).
void main() {
  int row = int(gl_FragCoord.y), k = int(gl_FragCoord.x) * 4;
  int r = u_posIsRow == 1 ? row : k, q = u_posIsRow == 1 ? k : row;
  int plane = u_gridH * u_gridW, kk = u_k * u_k;
  int item = r / plane, p = r - item * plane;
  int gy = p / u_gridW, gx = p - gy * u_gridW;
  int ch = q / kk, t = q - ch * kk;
  int ky = t / u_k, kx = t - ky * u_k;
  vec4 v = vec4(0.0);
  for (int j = 0; j < 4; j++) {
    if (r < u_positions && q < u_taps) v[j] = gatherOne(u_b0 + item, gy, gx, ch, ky, kx);
    if (u_posIsRow == 1) {
      q++; kx++;
      if (kx == u_k) { kx = 0; ky++; if (ky == u_k) { ky = 0; ch++; } }
    } else {
      r++; gx++;
      if (gx == u_gridW) { gx = 0; gy++; if (gy == u_gridH) { gy = 0; item++; } }
    }
  }
  o_color = v;
}`;

/** Packs op(b)[q, o] = w[o, q] (forward) or op(b)[(o,ky,kx), c] = w[o, c, ky, kx] (input grad). */
const PACK_WEIGHTS = `${PRELUDE}
uniform sampler2D u_w; uniform int u_O, u_C, u_kk, u_flip;
void main() {
  int col = int(gl_FragCoord.y), k = int(gl_FragCoord.x) * 4;
  int cols = u_flip == 1 ? u_C : u_O, taps = u_flip == 1 ? u_O * u_kk : u_C * u_kk;
  vec4 v = vec4(0.0);
  for (int j = 0; j < 4; j++) {
    int q = k + j;
    if (col >= cols || q >= taps) break;
    int o = q / u_kk;
    v[j] = fetchFlat(u_w, u_flip == 1 ? (o * u_C + col) * u_kk + q - o * u_kk : col * u_C * u_kk + q);
  }
  o_color = v;
}`;

/** out[b, ch, p] for the group's items from the product rows (b − b0)·plane + p, plus bias. */
const SCATTER = `${PRELUDE}${READ_BLOCKS}
uniform sampler2D u_bias; uniform int u_start, u_end, u_channels, u_plane, u_hasBias;
void main() {
  int i = outIndex();
  if (i < u_start || i >= u_end) discard;
  int local = i - u_start;
  int per = u_channels * u_plane;
  int bl = local / per, rest = local - bl * per;
  int ch = rest / u_plane, p = rest - ch * u_plane;
  float v = blockAt(bl * u_plane + p, ch);
  if (u_hasBias == 1) v += fetchFlat(u_bias, ch);
  o_color = vec4(v, 0.0, 0.0, 0.0);
}`;

const biasSource = (accumulate: boolean): string => `${PRELUDE}
uniform sampler2D u_dy; uniform int u_B, u_O, u_plane;
${accumulate ? 'uniform sampler2D u_prev;' : ''}
void main() {
  int o = outIndex();
  float s = 0.0;
  for (int b = 0; b < u_B; b++) {
    int base = (b * u_O + o) * u_plane;
    for (int p = 0; p < u_plane; p++) s += fetchFlat(u_dy, base + p);
  }
  ${accumulate ? 's += fetchSame(u_prev);' : ''}
  o_color = vec4(s, 0.0, 0.0, 0.0);
}`;

const BIAS = biasSource(false);
const BIAS_ACC = biasSource(true);

interface Gather {
  src: GlTensor;
  b0: number;
  positions: number;
  taps: number;
  gridH: number;
  gridW: number;
  srcC: number;
  srcH: number;
  srcW: number;
  k: number;
  sign: number;
  off: number;
}

const blocks: GlTexture[] = [];

/** Writes the gathered matrix [positions, taps] (posIsRow) or its transpose into `target`. */
function gatherPass(e: GlEngine, g: Gather, posIsRow: boolean, target: GlTexture): void {
  e.use('conv:gather', GATHER).tex('u_src', g.src).int('u_b0', g.b0).int('u_positions', g.positions)
    .int('u_taps', g.taps).int('u_gridH', g.gridH).int('u_gridW', g.gridW).int('u_srcC', g.srcC)
    .int('u_srcH', g.srcH).int('u_srcW', g.srcW).int('u_k', g.k).int('u_sign', g.sign).int('u_off', g.off)
    .int('u_posIsRow', posIsRow ? 1 : 0).drawToTexture(target);
}

/** Items per group such that `perItem`·items stays within `limit`. */
function groupSize(perItem: number, limit: number, batch: number): number {
  return Math.max(1, Math.min(batch, Math.floor(limit / perItem)));
}

/**
 * Shared by forward and input gradient: out[b, ch, p] = Σ_q gathered[(b,p), q] · w4[q, ch]
 * (+ bias), per group of items; `gather` describes the source, `outC` the output channels.
 */
function gatheredProduct(
  e: GlEngine, g: Gather, batch: number, w4: GlTexture, outC: number, out: GlTensor, bias: GlTensor | null,
): void {
  const plane = g.gridH * g.gridW;
  const items = groupSize(plane, e.caps.maxTextureSize, batch);
  const [k4, rows4] = packedSize(g.taps, items * plane);
  const a4 = e.pool.acquire(k4, rows4, 4, false);
  acquireBlocks(e, items * plane, outC, blocks);
  for (let b0 = 0; b0 < batch; b0 += items) {
    const n = Math.min(items, batch - b0);
    g.b0 = b0;
    g.positions = n * plane;
    gatherPass(e, g, true, a4);
    blockPass(e, a4, w4, g.taps, blocks);
    const start = b0 * outC * plane, end = (b0 + n) * outC * plane;
    // Without a bias the sampler still needs a texture that is not the output: the weights.
    bindBlocks(e.use('conv:scatter', SCATTER), blocks).tex('u_bias', bias ?? w4)
      .int('u_start', start).int('u_end', end).int('u_channels', outC).int('u_plane', plane)
      .int('u_hasBias', bias ? 1 : 0).drawToRange(out, start, end);
  }
  releaseBlocks(e, blocks);
  e.pool.release(a4);
}

function packWeights(e: GlEngine, w: GlTensor, g: ConvGeometry, flip: boolean): GlTexture {
  const kk = g.kernel * g.kernel;
  const [k4, cols4] = flip ? packedSize(g.outC * kk, g.inC) : packedSize(g.inC * kk, g.outC);
  const w4 = e.pool.acquire(k4, cols4, 4, false);
  e.use('conv:packWeights', PACK_WEIGHTS).tex('u_w', w).int('u_O', g.outC).int('u_C', g.inC).int('u_kk', kk)
    .int('u_flip', flip ? 1 : 0).drawToTexture(w4);
  return w4;
}

export function conv2dPass(e: GlEngine, x: GlTensor, w: GlTensor, bias: GlTensor, out: GlTensor, g: ConvGeometry): void {
  const w4 = packWeights(e, w, g, false);
  const gather: Gather = {
    src: x, b0: 0, positions: 0, taps: g.inC * g.kernel * g.kernel, gridH: g.outH, gridW: g.outW,
    srcC: g.inC, srcH: g.height, srcW: g.width, k: g.kernel, sign: 1, off: -g.pad,
  };
  gatheredProduct(e, gather, g.batch, w4, g.outC, out, bias);
  e.pool.release(w4);
}

export function conv2dBackwardInputPass(e: GlEngine, dy: GlTensor, w: GlTensor, dx: GlTensor, g: ConvGeometry): void {
  const w4 = packWeights(e, w, g, true);
  const gather: Gather = {
    src: dy, b0: 0, positions: 0, taps: g.outC * g.kernel * g.kernel, gridH: g.height, gridW: g.width,
    srcC: g.outC, srcH: g.outH, srcW: g.outW, k: g.kernel, sign: -1, off: g.pad,
  };
  gatheredProduct(e, gather, g.batch, w4, g.inC, dx, null);
  e.pool.release(w4);
}

export function conv2dBackwardWeightPass(
  e: GlEngine, x: GlTensor, dy: GlTensor, dw: GlTensor, db: GlTensor, g: ConvGeometry, accumulate: boolean,
): void {
  const plane = g.outH * g.outW, taps = g.inC * g.kernel * g.kernel;
  if (Math.ceil(g.outC / 4) * Math.ceil(taps / 4) < DIRECT_WEIGHT_MAX_BLOCKS) conv2dWeightDirectPass(e, x, dy, dw, g, accumulate);
  else weightProduct(e, x, dy, dw, g, accumulate);
  if (accumulate) e.use('conv:bias+acc', BIAS_ACC).tex('u_prev', db);
  else e.use('conv:bias', BIAS);
  e.tex('u_dy', dy).int('u_B', g.batch).int('u_O', g.outC).int('u_plane', plane).drawTo(db);
}

/** dw (+)= Σ over groups of items of dy4 · col4 (both gathered with positions along k). */
function weightProduct(e: GlEngine, x: GlTensor, dy: GlTensor, dw: GlTensor, g: ConvGeometry, accumulate: boolean): void {
  const plane = g.outH * g.outW, taps = g.inC * g.kernel * g.kernel;
  // The reduction runs along the texture rows of both operands: ≤ 4·maxTextureSize positions.
  const items = groupSize(plane, 4 * e.caps.maxTextureSize, g.batch);
  const [k4, o4] = packedSize(items * plane, g.outC);
  const [, t4] = packedSize(items * plane, taps);
  const dy4 = e.pool.acquire(k4, o4, 4, false), col4 = e.pool.acquire(k4, t4, 4, false);
  acquireBlocks(e, g.outC, taps, blocks);
  const dyGather: Gather = {
    src: dy, b0: 0, positions: 0, taps: g.outC, gridH: g.outH, gridW: g.outW,
    srcC: g.outC, srcH: g.outH, srcW: g.outW, k: 1, sign: 1, off: 0,
  };
  const xGather: Gather = {
    src: x, b0: 0, positions: 0, taps, gridH: g.outH, gridW: g.outW,
    srcC: g.inC, srcH: g.height, srcW: g.width, k: g.kernel, sign: 1, off: -g.pad,
  };
  for (let b0 = 0; b0 < g.batch; b0 += items) {
    const n = Math.min(items, g.batch - b0);
    dyGather.b0 = xGather.b0 = b0;
    dyGather.positions = xGather.positions = n * plane;
    gatherPass(e, dyGather, false, dy4);
    gatherPass(e, xGather, false, col4);
    blockPass(e, dy4, col4, n * plane, blocks);
    unpackPass(e, blocks, dw, g.outC, taps, accumulate || b0 > 0);
  }
  releaseBlocks(e, blocks);
  e.pool.release(dy4);
  e.pool.release(col4);
}
