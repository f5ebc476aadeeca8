import {
  rowsCols,
  type ActivationKind, type AdamParams, type Backend, type FloatArray, type MatmulOptions, type Tensor,
  type GruBackwardArgs, type GruForwardArgs,
} from '../backend';
import { DEFAULT_LEAKY_SLOPE, activationBackward, activationForward, axpyInto, mulInto, scaleInto } from './elementwise';
import { dropoutInto } from './dropout';
import { softmaxCrossEntropyInto, validateLabels } from './loss';
import { gemm, newMatmulScratch, type MatmulScratch } from './matmul';
import { GruScratch, gruBackwardDims, gruBackwardInto, gruForwardDims, gruForwardInto, validateLengths } from './gru';
import { adamUpdate, momentumUpdate, sgdUpdate, validateAdam } from './optimizers';
import { addRowVectorInto, argmaxRowsInto, sumRowsInto, sumSquaresOf } from './rows';
import { StoragePool, type Precision, type PoolStats } from './storage';
import { conv2dBackwardInput, conv2dBackwardWeight, conv2dForward, conv2dArgs, conv2dBackwardInputArgs, conv2dBackwardWeightArgs, newConvScratch } from './conv';
import { maxPool2dBackward, maxPool2dForward, poolGeometry } from './pool';
import { checkKind, colsOf, fmt, product, rowsOf, sameSize } from '../validate';
import { linearByParts } from '../composed';

export type { PoolStats } from './storage';

export interface CpuBackendOptions {
  /** 'f32' (default) stores Float32Array; 'f64' stores Float64Array, for gradient checks. */
  precision?: Precision;
}

const NO_OPTIONS: MatmulOptions = Object.freeze({});


/**
 * Kernels on typed arrays, synchronous, single-threaded. Every op validates shapes and handle
 * liveness before touching memory, then hands raw arrays to the per-family kernel files.
 *
 * `readSync` returns the tensor's LIVE storage (no copy): cheap enough for per-step reads of a
 * loss, and what the gradient checker perturbs in place. It is valid until the tensor is
 * disposed; copy it if you keep it. `read` always returns a copy.
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  readonly precision: Precision;
  private readonly pool: StoragePool;
  private readonly scratch: MatmulScratch = newMatmulScratch();
  private readonly gruScratch = new GruScratch();
  private readonly convScratch = newConvScratch();

  constructor(opts: CpuBackendOptions = {}) {
    const precision = opts.precision ?? 'f32';
    if (precision !== 'f32' && precision !== 'f64') {
      throw new Error(`CpuBackend: precision must be 'f32' or 'f64', got ${String(precision)}`);
    }
    this.precision = precision;
    this.pool = new StoragePool(precision);
  }

  // ---- memory -------------------------------------------------------------
  tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor {
    return this.pool.acquire(shape, data);
  }

  dispose(t: Tensor): void {
    this.pool.release(t);
  }

  write(t: Tensor, data: ArrayLike<number>): void {
    const dst = this.data(t, 'write');
    if (data.length !== t.size) {
      throw new Error(`write: tensor ${fmt(t)} holds ${t.size} values, got ${data.length}`);
    }
    dst.set(data);
  }

  async read(t: Tensor): Promise<FloatArray> {
    return this.data(t, 'read').slice();
  }

  readSync(t: Tensor): FloatArray {
    return this.data(t, 'readSync');
  }

  liveTensors(): number {
    return this.pool.liveCount();
  }

  /** Pool counters: `allocations` staying flat across steps proves the loop allocates nothing. */
  stats(): PoolStats & { scratchGrowths: number } {
    return { ...this.pool.stats(), scratchGrowths: this.scratch.a.growths + this.scratch.b.growths + this.gruScratch.growths()
      + this.convScratch.col.growths + this.convScratch.mat.growths };
  }

  // ---- linear algebra -----------------------------------------------------
  matmul(a: Tensor, b: Tensor, out: Tensor, opts: MatmulOptions = NO_OPTIONS): void {
    const { transA = false, transB = false, accumulate = false } = opts;
    const A = this.data(a, 'matmul'), B = this.data(b, 'matmul'), C = this.data(out, 'matmul');
    const ar = rowsOf(a), ac = colsOf(a), br = rowsOf(b), bc = colsOf(b);
    const m = transA ? ac : ar, k = transA ? ar : ac;
    const k2 = transB ? bc : br, n = transB ? br : bc;
    if (k !== k2) throw new Error(`matmul: inner dimensions differ: ${product(a, b, opts)} (${k} vs ${k2})`);
    if (rowsOf(out) !== m || colsOf(out) !== n) throw new Error(`matmul: out is ${fmt(out)} but ${product(a, b, opts)} is [${m},${n}]`);
    if (out === a || out === b) throw new Error('matmul: out must not be one of the inputs');
    gemm(A, B, C, m, n, k, transA, transB, accumulate, this.scratch);
  }

  addRowVector(x: Tensor, bias: Tensor, out: Tensor): void {
    const X = this.data(x, 'addRowVector'), Bv = this.data(bias, 'addRowVector');
    const O = this.data(out, 'addRowVector');
    const [rows, cols] = rowsCols(x);
    if (bias.size !== cols) throw new Error(`addRowVector: bias ${fmt(bias)} does not match ${cols} columns of x ${fmt(x)}`);
    sameSize('addRowVector', x, out);
    addRowVectorInto(X, Bv, O, rows, cols);
  }

  linear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope = DEFAULT_LEAKY_SLOPE): void {
    linearByParts(this, x, weight, bias, out, activation, slope);
  }

  sumRows(x: Tensor, out: Tensor, accumulate = false): void {
    const X = this.data(x, 'sumRows'), O = this.data(out, 'sumRows');
    const [rows, cols] = rowsCols(x);
    if (out.size !== cols) throw new Error(`sumRows: out ${fmt(out)} must hold ${cols} values for x ${fmt(x)}`);
    sumRowsInto(X, O, rows, cols, accumulate);
  }

  // ---- elementwise --------------------------------------------------------
  activation(kind: ActivationKind, x: Tensor, out: Tensor, slope = DEFAULT_LEAKY_SLOPE): void {
    const X = this.data(x, 'activation'), O = this.data(out, 'activation');
    sameSize('activation', x, out);
    activationForward(checkKind(kind), X, O, x.size, slope);
  }

  activationBackward(
    kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope = DEFAULT_LEAKY_SLOPE,
  ): void {
    const op = 'activationBackward';
    const X = this.data(x, op), Y = this.data(y, op), DY = this.data(dy, op), DX = this.data(dx, op);
    sameSize(op, dy, x, y, dx);
    activationBackward(checkKind(kind), X, Y, DY, DX, dy.size, slope);
  }

  scale(x: Tensor, alpha: number, out: Tensor): void {
    const X = this.data(x, 'scale'), O = this.data(out, 'scale');
    sameSize('scale', x, out);
    scaleInto(X, alpha, O, x.size);
  }

  axpy(alpha: number, x: Tensor, y: Tensor): void {
    const X = this.data(x, 'axpy'), Y = this.data(y, 'axpy');
    sameSize('axpy', x, y);
    axpyInto(alpha, X, Y, x.size);
  }

  mul(a: Tensor, b: Tensor, out: Tensor): void {
    const A = this.data(a, 'mul'), B = this.data(b, 'mul'), O = this.data(out, 'mul');
    sameSize('mul', a, b, out);
    mulInto(A, B, O, a.size);
  }

  fill(t: Tensor, value: number): void {
    this.data(t, 'fill').fill(value);
  }

  copy(src: Tensor, dst: Tensor): void {
    const S = this.data(src, 'copy'), D = this.data(dst, 'copy');
    sameSize('copy', src, dst);
    if (S !== D) D.set(S);
  }

  // ---- losses and metrics -------------------------------------------------
  softmaxCrossEntropy(
    logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, smoothing: number,
  ): void {
    const op = 'softmaxCrossEntropy';
    const Z = this.data(logits, op), Y = this.data(labels, op), P = this.data(probs, op);
    const D = this.data(dlogits, op), L = this.data(loss, op);
    const [rows, classes] = rowsCols(logits);
    if (labels.size !== rows) throw new Error(`${op}: labels ${fmt(labels)} must hold one label per row of logits ${fmt(logits)}`);
    sameSize(op, logits, probs, dlogits);
    if (loss.size !== 1) throw new Error(`${op}: loss must be a 1-element tensor, got ${fmt(loss)}`);
    if (!(smoothing >= 0 && smoothing <= 1)) throw new Error(`${op}: label smoothing must be in [0, 1], got ${smoothing}`);
    if (rows === 0 || classes === 0) throw new Error(`${op}: logits ${fmt(logits)} must have at least one row and class`);
    validateLabels(Y, rows, classes);
    L[0] = softmaxCrossEntropyInto(Z, Y, P, D, rows, classes, smoothing);
  }

  argmaxRows(x: Tensor, out: Tensor): void {
    const X = this.data(x, 'argmaxRows'), O = this.data(out, 'argmaxRows');
    const [rows, cols] = rowsCols(x);
    if (out.size !== rows) throw new Error(`argmaxRows: out ${fmt(out)} must hold ${rows} values for x ${fmt(x)}`);
    if (cols === 0) throw new Error(`argmaxRows: x ${fmt(x)} has no columns`);
    argmaxRowsInto(X, O, rows, cols);
  }

  sumSquares(x: Tensor, out: Tensor): void {
    const X = this.data(x, 'sumSquares'), O = this.data(out, 'sumSquares');
    if (out.size !== 1) throw new Error(`sumSquares: out must be a 1-element tensor, got ${fmt(out)}`);
    O[0] = sumSquaresOf(X, x.size);
  }

  // ---- regularization -----------------------------------------------------
  dropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void {
    const X = this.data(x, 'dropout'), M = this.data(mask, 'dropout'), O = this.data(out, 'dropout');
    sameSize('dropout', x, mask, out);
    if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be in [0, 1], got ${p}`);
    dropoutInto(X, M, O, x.size, p, seed);
  }

  // ---- optimizer updates --------------------------------------------------
  sgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void {
    const P = this.data(param, 'sgdStep'), G = this.data(grad, 'sgdStep');
    sameSize('sgdStep', param, grad);
    sgdUpdate(P, G, param.size, lr, weightDecay);
  }

  momentumStep(
    param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number,
  ): void {
    const op = 'momentumStep';
    const P = this.data(param, op), G = this.data(grad, op), V = this.data(velocity, op);
    sameSize(op, param, grad, velocity);
    momentumUpdate(P, G, V, param.size, lr, momentum, weightDecay);
  }

  adamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    const P = this.data(param, 'adamStep'), G = this.data(grad, 'adamStep');
    const M = this.data(m, 'adamStep'), V = this.data(v, 'adamStep');
    sameSize('adamStep', param, grad, m, v);
    validateAdam(p);
    adamUpdate(P, G, M, V, param.size, p);
  }

  // ---- convolution (CNN) --------------------------------------------------
  conv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, pad: number): void {
    const op = 'conv2d';
    const X = this.data(x, op), Wt = this.data(weight, op), Bs = this.data(bias, op), O = this.data(out, op);
    const g = conv2dArgs(x, weight, bias, out, pad);
    conv2dForward(X, Wt, Bs, O, g, this.convScratch, this.scratch);
  }

  conv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, pad: number): void {
    const op = 'conv2dBackwardInput';
    const DY = this.data(dy, op), Wt = this.data(weight, op), DX = this.data(dx, op);
    const g = conv2dBackwardInputArgs(dy, weight, dx, pad);
    conv2dBackwardInput(DY, Wt, DX, g, this.convScratch, this.scratch);
  }

  conv2dBackwardWeight(
    x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, pad: number, accumulate = false,
  ): void {
    const op = 'conv2dBackwardWeight';
    const X = this.data(x, op), DY = this.data(dy, op), DW = this.data(dweight, op), DB = this.data(dbias, op);
    const g = conv2dBackwardWeightArgs(x, dy, dweight, dbias, pad);
    conv2dBackwardWeight(X, DY, DW, DB, accumulate, g, this.convScratch, this.scratch);
  }

  maxPool2d(x: Tensor, out: Tensor, argmax: Tensor): void {
    const op = 'maxPool2d';
    const X = this.data(x, op), O = this.data(out, op), A = this.data(argmax, op);
    const g = poolGeometry(op, x.shape, out.shape, argmax.shape);
    if (out === argmax || out === x || argmax === x) throw new Error(`${op}: x, out and argmax must be three different tensors`);
    maxPool2dForward(X, O, A, g);
  }

  maxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor): void {
    const op = 'maxPool2dBackward';
    const DY = this.data(dy, op), A = this.data(argmax, op), DX = this.data(dx, op);
    const g = poolGeometry(op, dx.shape, dy.shape, argmax.shape);
    if (dx === dy || dx === argmax) throw new Error(`${op}: dx must not be dy or argmax`);
    maxPool2dBackward(DY, A, DX, g);
  }

  // ---- recurrent (GRU) ----------------------------------------------------
  gruForward(args: GruForwardArgs): void {
    const op = 'gruForward';
    const X = this.data(args.xProj, op), W = this.data(args.whh, op), Bh = this.data(args.bhh, op);
    const L = this.data(args.lengths, op), H = this.data(args.hAll, op), C = this.data(args.cache, op);
    const last = this.data(args.hLast, op);
    const dims = gruForwardDims(op, args);
    validateLengths(op, L, dims.steps);
    gruForwardInto(X, W, Bh, L, args.reverse, H, C, last, dims, this.gruScratch, this.scratch);
  }

  gruBackward(args: GruBackwardArgs): void {
    const op = 'gruBackward';
    const arrays = {
      whh: this.data(args.whh, op), lengths: this.data(args.lengths, op),
      hAll: this.data(args.hAll, op), cache: this.data(args.cache, op),
      dhAll: this.data(args.dhAll, op), dhLast: this.data(args.dhLast, op),
      dxProj: this.data(args.dxProj, op), dwhh: this.data(args.dwhh, op), dbhh: this.data(args.dbhh, op),
    };
    const dims = gruBackwardDims(op, args);
    validateLengths(op, arrays.lengths, dims.steps);
    gruBackwardInto(arrays, args.reverse, dims, this.gruScratch, this.scratch);
  }

  // ---- helpers -------------------------------------------------------------
  private data(t: Tensor, op: string): FloatArray {
    return this.pool.storageOf(t, op);
  }
}
