import type { GruDims } from '../../validate-gru';
import { PRELUDE, type GlEngine } from '../engine';
import { layoutOf, type GlTensor } from '../tensor';
import type { GlTexture } from '../textures';
import { GRU_GLSL, scratchView, stepUniforms } from './gru';
import { acquireBlocks, bindBlocks, blockPass, matmulPass, packedSize, packPass, READ_BLOCKS, releaseBlocks } from './matmul';
import { sumRowsPass } from './rows';

/**
 * GRU backpropagation through time, steps in the opposite order of the forward. State carried
 * between steps: D = ∂L/∂h_t in full (the carry from step t+1 plus dhAll[t], plus dhLast at the
 * step that produced hLast). Per step:
 *   1. grads: dxProj[t] = (da_r, da_z, da_n) from D, the cache and h_prev (a view of hAll)
 *   2. pack dGates = (da_r, da_z, da_n ⊙ r) of step t into the matmul operand layout
 *   3. block product dGates · W_hh (W_hh packed once per call)
 *   4. carry: D' = D ⊙ z + dGates·W_hh (0 at padded steps) + dhAll[t'] + dhLast·[t' injects]
 * After the loop, with G = all dGates [T·B, 3H]: dbhh += Σ_rows G and dW_hh += Gᵀ · h_prev(all),
 * h_prev(all) being hAll shifted by one step (zeros where a sequence starts) — one big matmul
 * instead of T small ones, as the CPU kernel does.
 */
const BACK_GLSL = `${GRU_GLSL}
uniform int u_reverse;
/** Step t injects dhLast into sequence b: the step that produced hLast. */
bool injects(int t, int b) {
  int len = int(fetchFlat(u_len, b));
  return t < len && (u_reverse == 1 ? t == 0 : t == len - 1);
}`;

/** D for the first step processed: no carry yet. */
const D_INIT = `${PRELUDE}${BACK_GLSL}
uniform sampler2D u_dhAll, u_dhLast;
void main() {
  int i = outIndex();
  int b = i / u_H;
  float d = fetchFlat(u_dhAll, u_t * u_B * u_H + i);
  if (injects(u_t, b)) d += fetchFlat(u_dhLast, i);
  o_color = vec4(d, 0.0, 0.0, 0.0);
}`;

const GRADS = `${PRELUDE}${BACK_GLSL}
uniform sampler2D u_d, u_cache, u_hAll;
void main() {
  int local = rangeIndex();
  if (local < 0) discard;
  int w = 3 * u_H;
  int b = local / w, q = local - b * w;
  int gate = q / u_H, j = q - gate * u_H;
  float v = 0.0;
  int len = int(fetchFlat(u_len, b));
  if (u_t < len) {
    int c0 = (u_t * u_B + b) * 4 * u_H;
    float r = fetchFlat(u_cache, c0 + j), z = fetchFlat(u_cache, c0 + u_H + j);
    float n = fetchFlat(u_cache, c0 + 2 * u_H + j), hn = fetchFlat(u_cache, c0 + 3 * u_H + j);
    float dh = fetchFlat(u_d, b * u_H + j);
    float dan = dh * (1.0 - z) * (1.0 - n * n);
    if (gate == 2) v = dan;
    else if (gate == 0) v = dan * hn * r * (1.0 - r);
    else {
      int prev = u_reverse == 1 ? u_t + 1 : u_t - 1;
      float hp = prev >= 0 && prev < len ? fetchFlat(u_hAll, (prev * u_B + b) * u_H + j) : 0.0;
      v = dh * (hp - n) * z * (1.0 - z);
    }
  }
  o_color = vec4(v, 0.0, 0.0, 0.0);
}`;

/** Packs dGates rows of step t: dxProj with the n block times r (∂L/∂(W_hn·h + b_hn)). */
const PACK_GATES = `${PRELUDE}
uniform sampler2D u_dxProj, u_cache; uniform int u_B, u_H, u_t;
void main() {
  int b = int(gl_FragCoord.y);
  int k = int(gl_FragCoord.x) * 4;
  vec4 v = vec4(0.0);
  if (b < u_B) {
    int row = u_t * u_B + b;
    for (int j = 0; j < 4; j++) {
      int g = k + j;
      if (g >= 3 * u_H) break;
      float dg = fetchFlat(u_dxProj, row * 3 * u_H + g);
      v[j] = g >= 2 * u_H ? dg * fetchFlat(u_cache, row * 4 * u_H + g - 2 * u_H) : dg;
    }
  }
  o_color = v;
}`;

const CARRY = `${PRELUDE}${BACK_GLSL}${READ_BLOCKS}
uniform sampler2D u_d, u_cache, u_dhAll, u_dhLast; uniform int u_tNext;
void main() {
  int i = outIndex();
  int b = i / u_H, j = i - b * u_H;
  float d = 0.0;
  if (realStep(u_t, b)) {
    float z = fetchFlat(u_cache, (u_t * u_B + b) * 4 * u_H + u_H + j);
    d = fetchFlat(u_d, i) * z + blockAt(b, j);
  }
  d += fetchFlat(u_dhAll, u_tNext * u_B * u_H + i);
  if (injects(u_tNext, b)) d += fetchFlat(u_dhLast, i);
  o_color = vec4(d, 0.0, 0.0, 0.0);
}`;

/** G = dGates of every step: dxProj with the n block times r. */
const ALL_GATES = `${PRELUDE}
uniform sampler2D u_dxProj, u_cache; uniform int u_H;
void main() {
  int i = outIndex();
  int w = 3 * u_H;
  int row = i / w, g = i - row * w;
  float dg = fetchSame(u_dxProj);
  o_color = vec4(g >= 2 * u_H ? dg * fetchFlat(u_cache, row * 4 * u_H + g - 2 * u_H) : dg, 0.0, 0.0, 0.0);
}`;

/** out[i] = hAll[i + shift], zero outside: h_prev of every (step, sequence) row. */
const SHIFTED = `${PRELUDE}
uniform sampler2D u_hAll; uniform int u_shift, u_n;
void main() {
  int src = outIndex() + u_shift;
  o_color = vec4(src >= 0 && src < u_n ? fetchFlat(u_hAll, src) : 0.0, 0.0, 0.0, 0.0);
}`;

export interface GruBackwardTensors {
  whh: GlTensor;
  lengths: GlTensor;
  hAll: GlTensor;
  cache: GlTensor;
  dhAll: GlTensor;
  dhLast: GlTensor;
  dxProj: GlTensor;
  dwhh: GlTensor;
  dbhh: GlTensor;
}

const blocks: GlTexture[] = [];

export function gruBackwardPasses(e: GlEngine, a: GruBackwardTensors, reverse: boolean, d: GruDims): void {
  const { steps: T, batch: B, hidden: H } = d;
  if (T === 0) return;
  const rev = reverse ? 1 : 0;
  const state = layoutOf(B * H);
  let dCur = e.pool.acquire(state.width, state.height, 1, false);
  let dNext = e.pool.acquire(state.width, state.height, 1, false);
  const [k4, gRows] = packedSize(3 * H, B);
  const [, wRows] = packedSize(3 * H, H);
  const gates4 = e.pool.acquire(k4, gRows, 4, false);
  const whh4 = e.pool.acquire(k4, wRows, 4, false);
  acquireBlocks(e, B, H, blocks);
  // op(b) = W_hh [3H, H]: column c is column c of W_hh (stride H along k).
  packPass(e, a.whh, whh4, 3 * H, H, 1, H, 0);
  const first = reverse ? 0 : T - 1;
  stepUniforms(e.use('gruBack:dInit', D_INIT), d, a.lengths, first, 0, 0).int('u_reverse', rev)
    .tex('u_dhAll', a.dhAll).tex('u_dhLast', a.dhLast).drawToTexture(dCur);
  for (let i = 0; i < T; i++) {
    const t = reverse ? i : T - 1 - i;
    const x0 = t * B * 3 * H;
    stepUniforms(e.use('gruBack:grads', GRADS), d, a.lengths, t, x0, x0 + B * 3 * H).int('u_reverse', rev)
      .tex('u_d', dCur).tex('u_cache', a.cache).tex('u_hAll', a.hAll).drawToRange(a.dxProj, x0, x0 + B * 3 * H);
    if (i === T - 1) break;
    e.use('gruBack:packGates', PACK_GATES).tex('u_dxProj', a.dxProj).tex('u_cache', a.cache)
      .int('u_B', B).int('u_H', H).int('u_t', t).drawToTexture(gates4);
    blockPass(e, gates4, whh4, 3 * H, blocks);
    bindBlocks(stepUniforms(e.use('gruBack:carry', CARRY), d, a.lengths, t, 0, 0), blocks).int('u_reverse', rev)
      .int('u_tNext', reverse ? t + 1 : t - 1).tex('u_d', dCur).tex('u_cache', a.cache)
      .tex('u_dhAll', a.dhAll).tex('u_dhLast', a.dhLast).drawToTexture(dNext);
    const swap = dCur;
    dCur = dNext;
    dNext = swap;
  }
  e.pool.release(dCur);
  e.pool.release(dNext);
  e.pool.release(gates4);
  e.pool.release(whh4);
  releaseBlocks(e, blocks);
  accumulateWeightGrads(e, a, reverse, d);
}

function accumulateWeightGrads(e: GlEngine, a: GruBackwardTensors, reverse: boolean, d: GruDims): void {
  const { steps: T, batch: B, hidden: H } = d;
  const rows = T * B;
  const gLayout = layoutOf(rows * 3 * H), hLayout = layoutOf(rows * H);
  const gates = e.pool.acquire(gLayout.width, gLayout.height, 1, false);
  const hPrev = e.pool.acquire(hLayout.width, hLayout.height, 1, false);
  e.use('gruBack:allGates', ALL_GATES).tex('u_dxProj', a.dxProj).tex('u_cache', a.cache).int('u_H', H).drawToTexture(gates);
  e.use('gruBack:shifted', SHIFTED).tex('u_hAll', a.hAll).int('u_shift', (reverse ? 1 : -1) * B * H)
    .int('u_n', rows * H).drawToTexture(hPrev);
  const gView = scratchView(gates, rows * 3 * H), hView = scratchView(hPrev, rows * H);
  sumRowsPass(e, gView, a.dbhh, rows, 3 * H, true);
  matmulPass(e, gView, hView, a.dwhh, { m: 3 * H, n: H, k: rows, transA: true, transB: false, accumulate: true });
  e.pool.release(gates);
  e.pool.release(hPrev);
}
