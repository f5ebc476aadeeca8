import {
  DEFAULT_LEAKY_SLOPE, rowsCols,
  type ActivationKind, type AdamParams, type Backend, type BackendName, type FloatArray, type GruBackwardArgs,
  type GruForwardArgs, type MatmulOptions, type Tensor,
} from './backend';
import {
  checkKind, checkLinear, colsOf, fmt, product, rowsOf, sameSize, validateAdam, validateLabels,
} from './validate';
import {
  conv2dArgs, conv2dBackwardInputArgs, conv2dBackwardWeightArgs, poolGeometry, type ConvGeometry, type PoolGeometry,
} from './validate-conv';
import { gruBackwardDims, gruForwardDims, validateLengths, type GruDims } from './validate-gru';

const NO_OPTIONS: MatmulOptions = Object.freeze({});

/**
 * The facade every backend stands behind: each public op checks its arguments here, once, in
 * one wording, then calls the backend's `run…` kernel with the dimensions it worked out. A
 * backend only computes (and checks that its handles are live). Adding an op means one check
 * here and one `run…` per backend.
 *
 * No op allocates: fixed-arity methods, no rest parameters, no closures, so the extra call per
 * op costs nothing measurable next to the kernel.
 */
export abstract class CheckedBackend implements Backend {
  abstract readonly name: BackendName;
  abstract readonly precision: 'f32' | 'f64';

  // ---- memory (backend-specific, but one wording for a bad write) ----------
  abstract tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor;
  abstract dispose(t: Tensor): void;
  abstract read(t: Tensor): Promise<FloatArray>;
  abstract liveTensors(): number;

  write(t: Tensor, data: ArrayLike<number>): void {
    if (data.length !== t.size) throw new Error(`write: tensor ${fmt(t)} holds ${t.size} values, got ${data.length}`);
    this.store(t, data);
  }

  /** Copies `data` (already checked to fit) into `t`; throws if `t` is not live. */
  protected abstract store(t: Tensor, data: ArrayLike<number>): void;
  /**
   * The values of `t` where the host holds them (labels and lengths are checked on them), or
   * undefined where only the GPU does; throws if `t` is not a live tensor of this backend.
   */
  protected abstract hostValues(t: Tensor, op: string): FloatArray | undefined;

  // ---- linear algebra -----------------------------------------------------
  matmul(a: Tensor, b: Tensor, out: Tensor, opts: MatmulOptions = NO_OPTIONS): void {
    const transA = opts.transA ?? false, transB = opts.transB ?? false;
    const ar = rowsOf(a), ac = colsOf(a), br = rowsOf(b), bc = colsOf(b);
    const m = transA ? ac : ar, k = transA ? ar : ac;
    const k2 = transB ? bc : br, n = transB ? br : bc;
    if (k !== k2) throw new Error(`matmul: inner dimensions differ: ${product(a, b, opts)} (${k} vs ${k2})`);
    if (rowsOf(out) !== m || colsOf(out) !== n) throw new Error(`matmul: out is ${fmt(out)} but ${product(a, b, opts)} is [${m},${n}]`);
    if (out === a || out === b) throw new Error('matmul: out must not be one of the inputs');
    this.runMatmul(a, b, out, m, n, k, transA, transB, opts.accumulate ?? false);
  }

  addRowVector(x: Tensor, bias: Tensor, out: Tensor): void {
    const [rows, cols] = rowsCols(x);
    if (bias.size !== cols) throw new Error(`addRowVector: bias ${fmt(bias)} does not match ${cols} columns of x ${fmt(x)}`);
    sameSize('addRowVector', x, out);
    this.runAddRowVector(x, bias, out, rows, cols);
  }

  linear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope = DEFAULT_LEAKY_SLOPE): void {
    checkLinear(x, weight, bias, out);
    this.runLinear(x, weight, bias, out, checkKind(activation), slope);
  }

  sumRows(x: Tensor, out: Tensor, accumulate = false): void {
    const [rows, cols] = rowsCols(x);
    if (out.size !== cols) throw new Error(`sumRows: out ${fmt(out)} must hold ${cols} values for x ${fmt(x)}`);
    this.runSumRows(x, out, rows, cols, accumulate);
  }

  // ---- elementwise --------------------------------------------------------
  activation(kind: ActivationKind, x: Tensor, out: Tensor, slope = DEFAULT_LEAKY_SLOPE): void {
    sameSize('activation', x, out);
    this.runActivation(checkKind(kind), x, out, slope);
  }

  activationBackward(kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope = DEFAULT_LEAKY_SLOPE): void {
    sameSize('activationBackward', dy, x, y, dx);
    this.runActivationBackward(checkKind(kind), x, y, dy, dx, slope);
  }

  scale(x: Tensor, alpha: number, out: Tensor): void {
    sameSize('scale', x, out);
    this.runScale(x, alpha, out);
  }

  axpy(alpha: number, x: Tensor, y: Tensor): void {
    sameSize('axpy', x, y);
    this.runAxpy(alpha, x, y);
  }

  mul(a: Tensor, b: Tensor, out: Tensor): void {
    sameSize('mul', a, b, out);
    this.runMul(a, b, out);
  }

  fill(t: Tensor, value: number): void {
    this.runFill(t, value);
  }

  copy(src: Tensor, dst: Tensor): void {
    sameSize('copy', src, dst);
    this.runCopy(src, dst);
  }

  // ---- losses and metrics -------------------------------------------------
  softmaxCrossEntropy(logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, smoothing: number): void {
    const op = 'softmaxCrossEntropy';
    const [rows, classes] = rowsCols(logits);
    if (labels.size !== rows) throw new Error(`${op}: labels ${fmt(labels)} must hold one label per row of logits ${fmt(logits)}`);
    sameSize(op, logits, probs, dlogits);
    if (loss.size !== 1) throw new Error(`${op}: loss must be a 1-element tensor, got ${fmt(loss)}`);
    if (!(smoothing >= 0 && smoothing <= 1)) throw new Error(`${op}: label smoothing must be in [0, 1], got ${smoothing}`);
    if (rows === 0 || classes === 0) throw new Error(`${op}: logits ${fmt(logits)} must have at least one row and class`);
    // Labels computed on a GPU cannot be checked without a read-back; a bad one makes the loss NaN.
    const values = this.hostValues(labels, op);
    if (values) validateLabels(values, rows, classes);
    this.runSoftmaxCrossEntropy(logits, labels, probs, dlogits, loss, rows, classes, smoothing);
  }

  gridMarginalCrossEntropy(logits: Tensor, labels: Tensor, gridRows: number, weight: number, dlogits: Tensor, loss: Tensor): void {
    const op = 'gridMarginalCrossEntropy';
    const [rows, classes] = rowsCols(logits);
    if (labels.size !== rows) throw new Error(`${op}: labels ${fmt(labels)} must hold one label per row of logits ${fmt(logits)}`);
    sameSize(op, logits, dlogits);
    if (loss.size !== 1) throw new Error(`${op}: loss must be a 1-element tensor, got ${fmt(loss)}`);
    if (rows === 0 || classes === 0) throw new Error(`${op}: logits ${fmt(logits)} must have at least one row and class`);
    if (!(Number.isInteger(gridRows) && gridRows >= 1 && classes % gridRows === 0)) {
      throw new Error(`${op}: grid rows must be a whole number ≥ 1 that divides the ${classes} classes, got ${gridRows}`);
    }
    if (!Number.isFinite(weight)) throw new Error(`${op}: weight must be a finite number, got ${weight}`);
    if (dlogits === logits) throw new Error(`${op}: dlogits must not be the logits`);
    const values = this.hostValues(labels, op);
    if (values) validateLabels(values, rows, classes, op);
    this.runGridMarginalCrossEntropy(logits, labels, dlogits, loss, rows, gridRows, classes / gridRows, weight);
  }

  argmaxRows(x: Tensor, out: Tensor): void {
    const [rows, cols] = rowsCols(x);
    if (out.size !== rows) throw new Error(`argmaxRows: out ${fmt(out)} must hold ${rows} values for x ${fmt(x)}`);
    if (cols === 0) throw new Error(`argmaxRows: x ${fmt(x)} has no columns`);
    this.runArgmaxRows(x, out, rows, cols);
  }

  sumSquares(x: Tensor, out: Tensor): void {
    if (out.size !== 1) throw new Error(`sumSquares: out must be a 1-element tensor, got ${fmt(out)}`);
    this.runSumSquares(x, out);
  }

  // ---- regularization -----------------------------------------------------
  dropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void {
    sameSize('dropout', x, mask, out);
    if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be in [0, 1], got ${p}`);
    if (mask === x || mask === out) throw new Error('dropout: mask must be its own tensor');
    this.runDropout(x, mask, out, p, seed);
  }

  // ---- optimizer updates --------------------------------------------------
  sgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void {
    sameSize('sgdStep', param, grad);
    this.runSgdStep(param, grad, lr, weightDecay);
  }

  momentumStep(param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number): void {
    sameSize('momentumStep', param, grad, velocity);
    this.runMomentumStep(param, grad, velocity, lr, momentum, weightDecay);
  }

  adamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    sameSize('adamStep', param, grad, m, v);
    validateAdam(p);
    this.runAdamStep(param, grad, m, v, p);
  }

  // ---- convolution (CNN) --------------------------------------------------
  conv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, pad: number): void {
    this.runConv2d(x, weight, bias, out, conv2dArgs(x, weight, bias, out, pad));
  }

  conv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, pad: number): void {
    this.runConv2dBackwardInput(dy, weight, dx, conv2dBackwardInputArgs(dy, weight, dx, pad));
  }

  conv2dBackwardWeight(x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, pad: number, accumulate = false): void {
    const g = conv2dBackwardWeightArgs(x, dy, dweight, dbias, pad);
    if (dweight === x || dweight === dy || dbias === x || dbias === dy) {
      throw new Error('conv2dBackwardWeight: gradients must not be written into x or dy');
    }
    this.runConv2dBackwardWeight(x, dy, dweight, dbias, g, accumulate);
  }

  maxPool2d(x: Tensor, out: Tensor, argmax: Tensor): void {
    const op = 'maxPool2d';
    const g = poolGeometry(op, x.shape, out.shape, argmax.shape);
    if (out === argmax || out === x || argmax === x) throw new Error(`${op}: x, out and argmax must be three different tensors`);
    this.runMaxPool2d(x, out, argmax, g);
  }

  maxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor): void {
    const op = 'maxPool2dBackward';
    const g = poolGeometry(op, dx.shape, dy.shape, argmax.shape);
    if (dx === dy || dx === argmax) throw new Error(`${op}: dx must not be dy or argmax`);
    this.runMaxPool2dBackward(dy, argmax, dx, g);
  }

  // ---- recurrent (GRU) ----------------------------------------------------
  gruForward(args: GruForwardArgs): void {
    const dims = gruForwardDims('gruForward', args);
    this.checkLengths('gruForward', args.lengths, dims.steps);
    this.runGruForward(args, dims);
  }

  gruBackward(args: GruBackwardArgs): void {
    const dims = gruBackwardDims('gruBackward', args);
    this.checkLengths('gruBackward', args.lengths, dims.steps);
    this.runGruBackward(args, dims);
  }

  /** Lengths computed on a GPU go unchecked: a bad one then only masks steps wrongly. */
  private checkLengths(op: string, lengths: Tensor, steps: number): void {
    const values = this.hostValues(lengths, op);
    if (values) validateLengths(op, values, steps);
  }

  // ---- the kernels: arguments already checked; the handles' liveness is the backend's --------
  protected abstract runMatmul(
    a: Tensor, b: Tensor, out: Tensor, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean,
  ): void;
  protected abstract runAddRowVector(x: Tensor, bias: Tensor, out: Tensor, rows: number, cols: number): void;
  protected abstract runLinear(
    x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope: number,
  ): void;
  protected abstract runSumRows(x: Tensor, out: Tensor, rows: number, cols: number, accumulate: boolean): void;
  protected abstract runActivation(kind: ActivationKind, x: Tensor, out: Tensor, slope: number): void;
  protected abstract runActivationBackward(
    kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope: number,
  ): void;
  protected abstract runScale(x: Tensor, alpha: number, out: Tensor): void;
  protected abstract runAxpy(alpha: number, x: Tensor, y: Tensor): void;
  protected abstract runMul(a: Tensor, b: Tensor, out: Tensor): void;
  protected abstract runFill(t: Tensor, value: number): void;
  protected abstract runCopy(src: Tensor, dst: Tensor): void;
  protected abstract runSoftmaxCrossEntropy(
    logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, rows: number, classes: number, smoothing: number,
  ): void;
  protected abstract runGridMarginalCrossEntropy(
    logits: Tensor, labels: Tensor, dlogits: Tensor, loss: Tensor, batch: number, gridRows: number, gridCols: number, weight: number,
  ): void;
  protected abstract runArgmaxRows(x: Tensor, out: Tensor, rows: number, cols: number): void;
  protected abstract runSumSquares(x: Tensor, out: Tensor): void;
  protected abstract runDropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void;
  protected abstract runSgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void;
  protected abstract runMomentumStep(
    param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number,
  ): void;
  protected abstract runAdamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void;
  protected abstract runConv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, g: ConvGeometry): void;
  protected abstract runConv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, g: ConvGeometry): void;
  protected abstract runConv2dBackwardWeight(
    x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, g: ConvGeometry, accumulate: boolean,
  ): void;
  protected abstract runMaxPool2d(x: Tensor, out: Tensor, argmax: Tensor, g: PoolGeometry): void;
  protected abstract runMaxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor, g: PoolGeometry): void;
  protected abstract runGruForward(args: GruForwardArgs, dims: GruDims): void;
  protected abstract runGruBackward(args: GruBackwardArgs, dims: GruDims): void;
}
