import type { FloatArray, GruBackwardArgs, GruForwardArgs, Tensor } from './backend';
import { fmt } from './validate';

/**
 * Argument checks of gruForward / gruBackward (layouts in backend.ts, GruForwardArgs): run once
 * per call by CheckedBackend, which hands the dimensions to the backend's kernels.
 */

export interface GruDims {
  steps: number;
  batch: number;
  hidden: number;
}

function expectSize(op: string, name: string, t: Tensor, size: number, want: string): void {
  if (t.size !== size) throw new Error(`${op}: ${name} ${fmt(t)} must hold ${size} values (${want})`);
}

/** H from whh [3H,H], B from lengths [B], T from hAll [T,B,H]; every other size must agree. */
function commonDims(op: string, whh: Tensor, lengths: Tensor, hAll: Tensor): GruDims {
  if (whh.shape.length !== 2 || whh.shape[0] !== 3 * whh.shape[1] || whh.size === 0) {
    throw new Error(`${op}: whh ${fmt(whh)} must be [3H,H] with H ≥ 1 (gates r, z, n stacked)`);
  }
  const hidden = whh.shape[1], batch = lengths.size;
  if (batch === 0) throw new Error(`${op}: lengths must hold one length per sequence, got an empty tensor`);
  const steps = hAll.size / (batch * hidden);
  if (!Number.isInteger(steps)) {
    throw new Error(`${op}: hAll ${fmt(hAll)} must be [T,B,H] with B = ${batch} (lengths) and H = ${hidden} (whh)`);
  }
  return { steps, batch, hidden };
}

export function gruForwardDims(op: string, a: GruForwardArgs): GruDims {
  const d = commonDims(op, a.whh, a.lengths, a.hAll);
  const { steps: T, batch: B, hidden: H } = d;
  expectSize(op, 'xProj', a.xProj, T * B * 3 * H, `[T,B,3H] = [${T},${B},${3 * H}]`);
  expectSize(op, 'bhh', a.bhh, 3 * H, `[3H] = [${3 * H}]`);
  expectSize(op, 'cache', a.cache, T * B * 4 * H, `[T,B,4H] = [${T},${B},${4 * H}]`);
  expectSize(op, 'hLast', a.hLast, B * H, `[B,H] = [${B},${H}]`);
  for (const input of [a.xProj, a.whh, a.bhh, a.lengths]) {
    if (input === a.hAll || input === a.cache || input === a.hLast) throw new Error(`${op}: outputs must not be input tensors`);
  }
  if (a.hAll === a.cache || a.hAll === a.hLast || a.cache === a.hLast) throw new Error(`${op}: hAll, cache and hLast must be different tensors`);
  return d;
}

export function gruBackwardDims(op: string, a: GruBackwardArgs): GruDims {
  const d = commonDims(op, a.whh, a.lengths, a.hAll);
  const { steps: T, batch: B, hidden: H } = d;
  expectSize(op, 'cache', a.cache, T * B * 4 * H, `[T,B,4H] = [${T},${B},${4 * H}]`);
  expectSize(op, 'dhAll', a.dhAll, T * B * H, `[T,B,H] = [${T},${B},${H}]`);
  expectSize(op, 'dhLast', a.dhLast, B * H, `[B,H] = [${B},${H}]`);
  expectSize(op, 'dxProj', a.dxProj, T * B * 3 * H, `[T,B,3H] = [${T},${B},${3 * H}]`);
  expectSize(op, 'dwhh', a.dwhh, 3 * H * H, `[3H,H] = [${3 * H},${H}]`);
  expectSize(op, 'dbhh', a.dbhh, 3 * H, `[3H] = [${3 * H}]`);
  for (const input of [a.whh, a.lengths, a.hAll, a.cache, a.dhAll, a.dhLast]) {
    if (input === a.dxProj || input === a.dwhh || input === a.dbhh) throw new Error(`${op}: gradients must not be written into input tensors`);
  }
  if (a.dxProj === a.dwhh || a.dxProj === a.dbhh || a.dwhh === a.dbhh) throw new Error(`${op}: dxProj, dwhh and dbhh must be different tensors`);
  return d;
}

/** Lengths must be integers in [0, T]: a bad length would silently read past the sequence. */
export function validateLengths(op: string, lengths: FloatArray, steps: number): void {
  for (let b = 0; b < lengths.length; b++) {
    const len = lengths[b];
    if (!Number.isInteger(len) || len < 0 || len > steps) {
      throw new Error(`${op}: lengths[${b}] is ${len}, expected an integer from 0 to ${steps} (the padded sequence length)`);
    }
  }
}
