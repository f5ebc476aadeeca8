import type { FloatArray } from '../backend';
import type { GruDims } from '../validate-gru';
import { gemm, type GemmFn, type MatmulScratch } from './matmul';
import { Scratch } from './storage';

/**
 * GRU sequence kernels (PyTorch nn.GRU, gate order r, z, n) for one direction over a padded,
 * time-major batch. The input projections x·W_ihᵀ + b_ih of all steps arrive precomputed in
 * xProj (one big matmul by the caller), so a step costs one [B,H]·[H,3H] recurrent matmul plus
 * elementwise gate math. Sequence b is real at steps t < len_b; padded steps are written as zeros
 * and never read. `run` (default: the JS `gemm`) lets another backend inject a faster GEMM.
 *
 * Layouts: xProj/dxProj [T,B,3H] (r | z | n blocks), hAll [T,B,H], cache [T,B,4H] holding
 * (r, z, n, W_hn·h + b_hn) per step, whh [3H,H], bhh [3H], lengths [B], hLast [B,H].
 */

/** Per-backend scratch, grown once per shape and reused, so the step loops allocate nothing. */
export class GruScratch {
  /** [B,H]: the previous state (forward) or the gradient carried to it (backward). */
  readonly state = new Scratch();
  /** [B,3H]: h·W_hhᵀ (forward) or the pre-activation gate gradients of one step (backward). */
  readonly gates = new Scratch();
  /** [T,B,3H]: per-step gate gradients aligned with hAll rows, for one dW_hh matmul at the end. */
  readonly gateHistory = new Scratch();

  growths(): number {
    return this.state.growths + this.gates.growths + this.gateHistory.growths;
  }
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

export function gruForwardInto(
  xProj: FloatArray, whh: FloatArray, bhh: FloatArray, lengths: FloatArray, reverse: boolean,
  hAll: FloatArray, cache: FloatArray, hLast: FloatArray,
  dims: GruDims, scratch: GruScratch, mm: MatmulScratch, run: GemmFn = gemm,
): void {
  const { steps, batch, hidden } = dims;
  const hPrev = scratch.state.get(batch * hidden);
  const gh = scratch.gates.get(batch * 3 * hidden);
  hPrev.fill(0, 0, batch * hidden);
  const longest = longestOf(lengths, batch);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    // A step past every sequence's end only clears its rows: its gates are never read.
    if (t < longest) run(hPrev, whh, gh, batch, 3 * hidden, hidden, false, true, false, mm);
    for (let b = 0; b < batch; b++) {
      if (t < lengths[b]) forwardRow(xProj, bhh, gh, hPrev, hAll, cache, t * batch + b, b, hidden);
      else clearRow(hAll, cache, hPrev, t * batch + b, b, hidden);
    }
  }
  for (let b = 0; b < batch; b++) {
    const len = lengths[b];
    const lastStep = reverse ? 0 : len - 1;
    const src = (lastStep * batch + b) * hidden;
    for (let j = 0; j < hidden; j++) hLast[b * hidden + j] = len > 0 ? hAll[src + j] : 0;
  }
}

/** One real step of sequence b; `row` = t·B + b indexes the [T,B,·] arrays. */
function forwardRow(
  xProj: FloatArray, bhh: FloatArray, gh: Float64Array, hPrev: Float64Array,
  hAll: FloatArray, cache: FloatArray, row: number, b: number, hidden: number,
): void {
  const x0 = row * 3 * hidden, g0 = b * 3 * hidden, c0 = row * 4 * hidden, h0 = b * hidden;
  for (let j = 0; j < hidden; j++) {
    const r = sigmoid(xProj[x0 + j] + gh[g0 + j] + bhh[j]);
    const z = sigmoid(xProj[x0 + hidden + j] + gh[g0 + hidden + j] + bhh[hidden + j]);
    const hn = gh[g0 + 2 * hidden + j] + bhh[2 * hidden + j];
    const n = Math.tanh(xProj[x0 + 2 * hidden + j] + r * hn);
    const h = (1 - z) * n + z * hPrev[h0 + j];
    hPrev[h0 + j] = h;
    hAll[row * hidden + j] = h;
    cache[c0 + j] = r;
    cache[c0 + hidden + j] = z;
    cache[c0 + 2 * hidden + j] = n;
    cache[c0 + 3 * hidden + j] = hn;
  }
}

/** A padded step: zero output and cache, and h0 = 0 for a reverse pass that has not begun. */
function clearRow(
  hAll: FloatArray, cache: FloatArray, hPrev: Float64Array, row: number, b: number, hidden: number,
): void {
  hAll.fill(0, row * hidden, (row + 1) * hidden);
  cache.fill(0, row * 4 * hidden, (row + 1) * 4 * hidden);
  hPrev.fill(0, b * hidden, (b + 1) * hidden);
}

export interface GruBackwardArrays {
  whh: FloatArray;
  lengths: FloatArray;
  hAll: FloatArray;
  cache: FloatArray;
  dhAll: FloatArray;
  dhLast: FloatArray;
  dxProj: FloatArray;
  dwhh: FloatArray;
  dbhh: FloatArray;
}

/**
 * Backpropagation through time, steps in the opposite order of the forward pass. dxProj is
 * overwritten (zeros at padded steps); dwhh and dbhh accumulate. The carried state gradient
 * dH (per sequence) gets dhAll[t] at every real step and dhLast at the step that produced hLast.
 */
export function gruBackwardInto(
  a: GruBackwardArrays, reverse: boolean, dims: GruDims, scratch: GruScratch, mm: MatmulScratch,
  run: GemmFn = gemm,
): void {
  const { steps, batch, hidden } = dims;
  const width = 3 * hidden;
  const dH = scratch.state.get(batch * hidden);
  const dGates = scratch.gates.get(batch * width);
  const history = scratch.gateHistory.get(steps * batch * width);
  dH.fill(0, 0, batch * hidden);
  const longest = longestOf(a.lengths, batch);
  // History slot s pairs a step's gate gradients with hAll[s], that step's previous state. The
  // slot no step writes (the last for forward, the first for reverse) stays zero.
  const unused = reverse ? 0 : steps - 1;
  if (steps > 0) history.fill(0, unused * batch * width, (unused + 1) * batch * width);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? i : steps - 1 - i;
    const slot = reverse ? t + 1 : t - 1;
    const hasSlot = slot >= 0 && slot < steps;
    for (let b = 0; b < batch; b++) {
      const len = a.lengths[b];
      const historyRow = hasSlot ? (slot * batch + b) * width : -1;
      if (t < len) {
        const injectLast = reverse ? t === 0 : t === len - 1;
        const prevRow = (reverse ? t + 1 < len : t > 0) ? (slot * batch + b) * hidden : -1;
        backwardRow(a, dH, dGates, history, t * batch + b, b, hidden, historyRow, prevRow, injectLast);
      } else {
        clearGradRow(a.dxProj, dGates, dH, history, t * batch + b, b, hidden, historyRow);
      }
    }
    // Without a slot every real sequence is at its first step: its h0 = 0 takes no gradient.
    // Past every sequence's end dGates is all zeros: nothing to add.
    if (hasSlot && t < longest) run(dGates, a.whh, dH, batch, hidden, width, false, false, true, mm);
  }
  // dW_hh = Σ_t dGates(t)ᵀ · h_prev(t): all steps in one [3H, T·B]·[T·B, H] matmul. Slots from the
  // longest sequence's length on pair zeros with zero states, so they are left out.
  run(history, a.hAll, a.dwhh, width, hidden, Math.min(steps, longest) * batch, true, false, true, mm);
}

/** The longest sequence of the batch (its lengths start at element `at` of the array). */
export function longestOf(lengths: FloatArray, batch: number, at = 0): number {
  let longest = 0;
  for (let b = 0; b < batch; b++) longest = Math.max(longest, lengths[at + b]);
  return longest;
}

/**
 * One real step of sequence b (`row` = t·B + b). prevRow indexes hAll at the previous state, or
 * is −1 at the sequence's first step (h0 = 0); historyRow is −1 when the step has no slot.
 */
function backwardRow(
  a: GruBackwardArrays, dH: Float64Array, dGates: Float64Array, history: Float64Array,
  row: number, b: number, hidden: number, historyRow: number, prevRow: number, injectLast: boolean,
): void {
  const x0 = row * 3 * hidden, g0 = b * 3 * hidden, c0 = row * 4 * hidden, h0 = b * hidden;
  const { cache, dxProj, dbhh, hAll } = a;
  for (let j = 0; j < hidden; j++) {
    let dh = dH[h0 + j] + a.dhAll[row * hidden + j];
    if (injectLast) dh += a.dhLast[h0 + j];
    const r = cache[c0 + j], z = cache[c0 + hidden + j];
    const n = cache[c0 + 2 * hidden + j], hn = cache[c0 + 3 * hidden + j];
    const hp = prevRow >= 0 ? hAll[prevRow + j] : 0;
    const dan = dh * (1 - z) * (1 - n * n);
    const dar = dan * hn * r * (1 - r);
    const daz = dh * (hp - n) * z * (1 - z);
    const dhn = dan * r;
    dxProj[x0 + j] = dar;
    dxProj[x0 + hidden + j] = daz;
    dxProj[x0 + 2 * hidden + j] = dan;
    dGates[g0 + j] = dar;
    dGates[g0 + hidden + j] = daz;
    dGates[g0 + 2 * hidden + j] = dhn;
    dbhh[j] += dar;
    dbhh[hidden + j] += daz;
    dbhh[2 * hidden + j] += dhn;
    dH[h0 + j] = dh * z;
  }
  if (historyRow < 0) return;
  if (prevRow < 0) history.fill(0, historyRow, historyRow + 3 * hidden);
  else for (let j = 0; j < 3 * hidden; j++) history[historyRow + j] = dGates[g0 + j];
}

function clearGradRow(
  dxProj: FloatArray, dGates: Float64Array, dH: Float64Array, history: Float64Array,
  row: number, b: number, hidden: number, historyRow: number,
): void {
  dxProj.fill(0, row * 3 * hidden, (row + 1) * 3 * hidden);
  dGates.fill(0, b * 3 * hidden, (b + 1) * 3 * hidden);
  dH.fill(0, b * hidden, (b + 1) * hidden);
  if (historyRow >= 0) history.fill(0, historyRow, historyRow + 3 * hidden);
}
