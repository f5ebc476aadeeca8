import type { GruDims } from '../../validate-gru';
import { PRELUDE, type GlEngine } from '../engine';
import { GlTensor } from '../tensor';
import type { GlTexture } from '../textures';
import { acquireBlocks, bindBlocks, blockPass, packedSize, packPass, READ_BLOCKS, releaseBlocks } from './matmul';

/**
 * GRU forward (one direction, time-major, PyTorch gate order r, z, n) as four passes per step:
 *   1. pack h_prev = hAll[t_prev] (a view, no copy) into the matmul's RGBA operand layout
 *   2. block product gh = h_prev · W_hhᵀ (W_hhᵀ packed once per call, not per step)
 *   3. gates: cache[t] = (r, z, n, W_hn·h + b_hn), reading gh straight from the product blocks
 *   4. state: hAll[t] = (1 − z) ⊙ n + z ⊙ h_prev, h_prev read from the packed operand of 1
 * Passes 3 and 4 write only step t's slice of cache / hAll (engine.drawToRange). Padded steps
 * (t ≥ len_b) get zeros, which also makes hAll[t_prev] the correct h0 = 0 of a reverse pass
 * that has not started. Every texture comes from the pool: no GPU allocation once warm.
 */
export const GRU_GLSL = `
uniform int u_B, u_H, u_t, u_start, u_end;
uniform sampler2D u_len;
float sigmoidOf(float v) {
  if (v >= 0.0) return 1.0 / (1.0 + exp(-v));
  float e = exp(v);
  return e / (1.0 + e);
}
float tanhOf(float v) {
  float t = exp(-2.0 * abs(v));
  float r = (1.0 - t) / (1.0 + t);
  return v < 0.0 ? -r : r;
}
bool realStep(int t, int b) { return float(t) < fetchFlat(u_len, b); }
/** Flat index inside this pass's range [u_start, u_end), or −1 (the fragment must discard). */
int rangeIndex() { int i = outIndex(); return i >= u_start && i < u_end ? i - u_start : -1; }
/** Element [r, c] of a matrix packed by matmul's pack pass (4 consecutive c per texel). */
float packedAt(sampler2D s, int r, int c) { return texelFetch(s, ivec2(c / 4, r), 0)[c - (c / 4) * 4]; }
`;

const GATES = `${PRELUDE}${GRU_GLSL}${READ_BLOCKS}
uniform sampler2D u_xProj, u_bhh;
void main() {
  int local = rangeIndex();
  if (local < 0) discard;
  int w = 4 * u_H;
  int b = local / w, q = local - b * w;
  int gate = q / u_H, j = q - gate * u_H;
  float v = 0.0;
  if (realStep(u_t, b)) {
    int x0 = (u_t * u_B + b) * 3 * u_H;
    float r = sigmoidOf(fetchFlat(u_xProj, x0 + j) + blockAt(b, j) + fetchFlat(u_bhh, j));
    float z = sigmoidOf(fetchFlat(u_xProj, x0 + u_H + j) + blockAt(b, u_H + j) + fetchFlat(u_bhh, u_H + j));
    float hn = blockAt(b, 2 * u_H + j) + fetchFlat(u_bhh, 2 * u_H + j);
    float n = tanhOf(fetchFlat(u_xProj, x0 + 2 * u_H + j) + r * hn);
    v = gate == 0 ? r : gate == 1 ? z : gate == 2 ? n : hn;
  }
  o_color = vec4(v, 0.0, 0.0, 0.0);
}`;

const STATE = `${PRELUDE}${GRU_GLSL}
uniform sampler2D u_cache, u_hPrev4;
void main() {
  int local = rangeIndex();
  if (local < 0) discard;
  int b = local / u_H, j = local - b * u_H;
  float h = 0.0;
  if (realStep(u_t, b)) {
    int c0 = (u_t * u_B + b) * 4 * u_H;
    float z = fetchFlat(u_cache, c0 + u_H + j), n = fetchFlat(u_cache, c0 + 2 * u_H + j);
    h = (1.0 - z) * n + z * packedAt(u_hPrev4, b, j);
  }
  o_color = vec4(h, 0.0, 0.0, 0.0);
}`;

/** hLast[b] = hAll[len_b − 1] (forward) or hAll[0] (reverse); zeros for a length-0 sequence. */
const LAST = `${PRELUDE}${GRU_GLSL}
uniform sampler2D u_hAll; uniform int u_reverse;
void main() {
  int i = outIndex();
  int b = i / u_H, j = i - b * u_H;
  int len = int(fetchFlat(u_len, b));
  int step = u_reverse == 1 ? 0 : len - 1;
  o_color = vec4(len > 0 ? fetchFlat(u_hAll, (step * u_B + b) * u_H + j) : 0.0, 0.0, 0.0, 0.0);
}`;

const ZERO = new Float32Array(4);
const blocks: GlTexture[] = [];

/** Passes a step-range pass needs on top of its own inputs. */
export function stepUniforms(e: GlEngine, d: GruDims, lengths: GlTensor, t: number, start: number, end: number): GlEngine {
  return e.tex('u_len', lengths).int('u_B', d.batch).int('u_H', d.hidden).int('u_t', t)
    .int('u_start', start).int('u_end', end);
}

export interface GruForwardTensors {
  xProj: GlTensor;
  whh: GlTensor;
  bhh: GlTensor;
  lengths: GlTensor;
  hAll: GlTensor;
  cache: GlTensor;
  hLast: GlTensor;
}

export function gruForwardPasses(e: GlEngine, a: GruForwardTensors, reverse: boolean, d: GruDims): void {
  const { steps: T, batch: B, hidden: H } = d;
  const [k4, b4Rows] = packedSize(H, B);
  const [, w4Rows] = packedSize(H, 3 * H);
  const hPrev4 = e.pool.acquire(k4, b4Rows, 4, false);
  const whhT4 = e.pool.acquire(k4, w4Rows, 4, false);
  acquireBlocks(e, B, 3 * H, blocks);
  // op(b) = W_hhᵀ [H, 3H]: column c of it is row c of W_hh.
  packPass(e, a.whh, whhT4, H, 3 * H, H, 1, 0);
  for (let i = 0; i < T; i++) {
    const t = reverse ? T - 1 - i : i;
    if (i === 0) e.pool.clear(hPrev4, ZERO);
    else packPass(e, a.hAll, hPrev4, H, B, H, 1, (reverse ? t + 1 : t - 1) * B * H);
    blockPass(e, hPrev4, whhT4, H, blocks);
    const c0 = t * B * 4 * H;
    bindBlocks(stepUniforms(e.use('gru:gates', GATES), d, a.lengths, t, c0, c0 + B * 4 * H), blocks)
      .tex('u_xProj', a.xProj).tex('u_bhh', a.bhh).drawToRange(a.cache, c0, c0 + B * 4 * H);
    const h0 = t * B * H;
    stepUniforms(e.use('gru:state', STATE), d, a.lengths, t, h0, h0 + B * H)
      .tex('u_cache', a.cache).tex('u_hPrev4', hPrev4).drawToRange(a.hAll, h0, h0 + B * H);
  }
  releaseBlocks(e, blocks);
  e.pool.release(hPrev4);
  e.pool.release(whhT4);
  if (T === 0) {
    e.pool.clear(a.hLast.texture!, ZERO);
    a.hLast.hostValid = false;
    return;
  }
  stepUniforms(e.use('gru:last', LAST), d, a.lengths, 0, 0, 0).tex('u_hAll', a.hAll)
    .int('u_reverse', reverse ? 1 : 0).drawTo(a.hLast);
}

const VIEW_OWNER = {};
/** One view per element count, re-pointed at each call's texture (no object per call). */
const views = new Map<number, GlTensor>();

/**
 * A tensor handle over a pooled scratch texture, so scratch can go through the tensor passes
 * (which only use the texture and the element count, never the shape). Valid until the next
 * scratchView of the same size.
 */
export function scratchView(texture: GlTexture, size: number): GlTensor {
  let v = views.get(size);
  if (!v) {
    v = new GlTensor([size], size, 0, VIEW_OWNER, texture);
    views.set(size, v);
  }
  v.texture = texture;
  return v;
}
