import type { Tensor } from './backend';
import { fmt, fmtShape } from './validate';

/**
 * Argument checks of the convolution and pooling ops (NCHW, stride 1, square kernels; 2×2 max
 * pool): CheckedBackend runs them once per call, so every backend reports a bad shape in the
 * same words, and hands the geometry they compute to the backend's kernels.
 */

export interface ConvGeometry {
  batch: number;
  inC: number;
  height: number;
  width: number;
  outC: number;
  kernel: number;
  pad: number;
  outH: number;
  outW: number;
}

/** Geometry from the input-side and weight shapes; throws a user-readable Error on a mismatch. */
export function convGeometry(
  op: string, xShape: readonly number[], wShape: readonly number[], pad: number,
): ConvGeometry {
  if (xShape.length !== 4) throw new Error(`${op}: input must be 4-D [batch, channels, height, width], got ${fmtShape(xShape)}`);
  if (wShape.length !== 4) throw new Error(`${op}: weight must be 4-D [out, in, k, k], got ${fmtShape(wShape)}`);
  const [batch, inC, height, width] = xShape;
  const [outC, wInC, kernel, kernelW] = wShape;
  if (wInC !== inC) {
    throw new Error(`${op}: weight ${fmtShape(wShape)} expects ${wInC} input channels but the input ${fmtShape(xShape)} has ${inC}`);
  }
  if (kernel !== kernelW || kernel < 1) throw new Error(`${op}: kernel must be square k×k with k ≥ 1, got ${fmtShape(wShape)}`);
  if (!Number.isInteger(pad) || pad < 0) throw new Error(`${op}: padding must be a non-negative integer, got ${pad}`);
  const outH = height + 2 * pad - kernel + 1;
  const outW = width + 2 * pad - kernel + 1;
  if (outH < 1 || outW < 1) {
    throw new Error(`${op}: a ${kernel}×${kernel} kernel with padding ${pad} does not fit a ${height}×${width} input`);
  }
  return { batch, inC, height, width, outC, kernel, pad, outH, outW };
}

/** Throws unless `shape` is exactly [d0, d1, d2, d3] (no array built, so no allocation). */
export function expect4d(
  op: string, label: string, shape: readonly number[], d0: number, d1: number, d2: number, d3: number,
): void {
  if (shape.length !== 4 || shape[0] !== d0 || shape[1] !== d1 || shape[2] !== d2 || shape[3] !== d3) {
    throw new Error(`${op}: ${label} must have shape [${d0},${d1},${d2},${d3}], got ${fmtShape(shape)}`);
  }
}

/** Geometry of conv2d(x, weight, bias, out, pad), or a clear error. */
export function conv2dArgs(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, pad: number): ConvGeometry {
  const op = 'conv2d';
  const g = convGeometry(op, x.shape, weight.shape, pad);
  if (bias.size !== g.outC) throw new Error(`${op}: bias ${fmt(bias)} must hold ${g.outC} values, one per output channel`);
  expect4d(op, 'out', out.shape, g.batch, g.outC, g.outH, g.outW);
  if (out === x) throw new Error(`${op}: out must not be the input`);
  return g;
}

/** Geometry of conv2dBackwardInput(dy, weight, dx, pad), or a clear error. */
export function conv2dBackwardInputArgs(dy: Tensor, weight: Tensor, dx: Tensor, pad: number): ConvGeometry {
  const op = 'conv2dBackwardInput';
  const g = convGeometry(op, dx.shape, weight.shape, pad);
  expect4d(op, 'dy', dy.shape, g.batch, g.outC, g.outH, g.outW);
  if (dx === dy) throw new Error(`${op}: dx must not be dy`);
  return g;
}

/** Geometry of conv2dBackwardWeight(x, dy, dweight, dbias, pad), or a clear error. */
export function conv2dBackwardWeightArgs(x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, pad: number): ConvGeometry {
  const op = 'conv2dBackwardWeight';
  const g = convGeometry(op, x.shape, dweight.shape, pad);
  expect4d(op, 'dy', dy.shape, g.batch, g.outC, g.outH, g.outW);
  if (dbias.size !== g.outC) throw new Error(`${op}: dbias ${fmt(dbias)} must hold ${g.outC} values, one per output channel`);
  return g;
}

// ---- pooling ------------------------------------------------------------

export interface PoolGeometry {
  /** batch · channels */
  planes: number;
  height: number;
  width: number;
  outH: number;
  outW: number;
}

/** Geometry from x's shape; checks `out` and `argmax` have the pooled shape. */
export function poolGeometry(
  op: string, xShape: readonly number[], outShape: readonly number[], argmaxShape: readonly number[],
): PoolGeometry {
  if (xShape.length !== 4) throw new Error(`${op}: input must be 4-D [batch, channels, height, width], got ${fmtShape(xShape)}`);
  const [batch, channels, height, width] = xShape;
  const outH = Math.floor(height / 2), outW = Math.floor(width / 2);
  checkPooled(op, 'output', outShape, batch, channels, outH, outW);
  checkPooled(op, 'argmax', argmaxShape, batch, channels, outH, outW);
  return { planes: batch * channels, height, width, outH, outW };
}

function checkPooled(
  op: string, label: string, shape: readonly number[], b: number, c: number, h: number, w: number,
): void {
  if (shape.length !== 4 || shape[0] !== b || shape[1] !== c || shape[2] !== h || shape[3] !== w) {
    throw new Error(`${op}: ${label} must have shape [${b},${c},${h},${w}] (2×2 pooling), got ${fmtShape(shape)}`);
  }
}
