import type {
  ActivationKind, AdamParams, FloatArray, GruBackwardArgs, GruForwardArgs, Tensor,
} from '../backend';
import { CheckedBackend } from '../checked';
import { linearByParts } from '../composed';
import type { ConvGeometry, PoolGeometry } from '../validate-conv';
import type { GruDims } from '../validate-gru';
import { activationBackward, activationForward, axpyInto, mulInto, scaleInto } from './elementwise';
import { dropoutInto } from './dropout';
import { gridMarginalCrossEntropyInto } from './grid-marginal';
import { softmaxCrossEntropyInto } from './loss';
import { gemm, newMatmulScratch, type MatmulScratch } from './matmul';
import { GruScratch, gruBackwardInto, gruForwardInto } from './gru';
import { adamUpdate, momentumUpdate, sgdUpdate } from './optimizers';
import { addRowVectorInto, argmaxRowsInto, sumRowsInto, sumSquaresOf } from './rows';
import { StoragePool, type Precision, type PoolStats } from './storage';
import { conv2dBackwardInput, conv2dBackwardWeight, conv2dForward, newConvScratch } from './conv';
import { maxPool2dBackward, maxPool2dForward } from './pool';

export type { PoolStats } from './storage';

export interface CpuBackendOptions {
  /** 'f32' (default) stores Float32Array; 'f64' stores Float64Array, for gradient checks. */
  precision?: Precision;
}

/**
 * Kernels on typed arrays, synchronous, single-threaded. CheckedBackend checks every op's
 * arguments; here each op checks its handles are live, then hands raw arrays to the per-family
 * kernel files.
 *
 * `readSync` returns the tensor's LIVE storage (no copy): cheap enough for per-step reads of a
 * loss, and what the gradient checker perturbs in place. It is valid until the tensor is
 * disposed; copy it if you keep it. `read` always returns a copy.
 */
export class CpuBackend extends CheckedBackend {
  readonly name = 'cpu' as const;
  readonly precision: Precision;
  private readonly pool: StoragePool;
  private readonly scratch: MatmulScratch = newMatmulScratch();
  private readonly gruScratch = new GruScratch();
  private readonly convScratch = newConvScratch();

  constructor(opts: CpuBackendOptions = {}) {
    super();
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

  protected store(t: Tensor, data: ArrayLike<number>): void {
    this.data(t, 'write').set(data);
  }

  protected hostValues(t: Tensor, op: string): FloatArray | undefined {
    return this.data(t, op);
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
  protected runMatmul(
    a: Tensor, b: Tensor, out: Tensor, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean,
  ): void {
    const A = this.data(a, 'matmul'), B = this.data(b, 'matmul'), C = this.data(out, 'matmul');
    gemm(A, B, C, m, n, k, transA, transB, accumulate, this.scratch);
  }

  protected runAddRowVector(x: Tensor, bias: Tensor, out: Tensor, rows: number, cols: number): void {
    const op = 'addRowVector';
    addRowVectorInto(this.data(x, op), this.data(bias, op), this.data(out, op), rows, cols);
  }

  protected runLinear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope: number): void {
    linearByParts(this, x, weight, bias, out, activation, slope);
  }

  protected runSumRows(x: Tensor, out: Tensor, rows: number, cols: number, accumulate: boolean): void {
    sumRowsInto(this.data(x, 'sumRows'), this.data(out, 'sumRows'), rows, cols, accumulate);
  }

  // ---- elementwise --------------------------------------------------------
  protected runActivation(kind: ActivationKind, x: Tensor, out: Tensor, slope: number): void {
    activationForward(kind, this.data(x, 'activation'), this.data(out, 'activation'), x.size, slope);
  }

  protected runActivationBackward(kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope: number): void {
    const op = 'activationBackward';
    const X = this.data(x, op), Y = this.data(y, op), DY = this.data(dy, op), DX = this.data(dx, op);
    activationBackward(kind, X, Y, DY, DX, dy.size, slope);
  }

  protected runScale(x: Tensor, alpha: number, out: Tensor): void {
    scaleInto(this.data(x, 'scale'), alpha, this.data(out, 'scale'), x.size);
  }

  protected runAxpy(alpha: number, x: Tensor, y: Tensor): void {
    axpyInto(alpha, this.data(x, 'axpy'), this.data(y, 'axpy'), x.size);
  }

  protected runMul(a: Tensor, b: Tensor, out: Tensor): void {
    mulInto(this.data(a, 'mul'), this.data(b, 'mul'), this.data(out, 'mul'), a.size);
  }

  protected runFill(t: Tensor, value: number): void {
    this.data(t, 'fill').fill(value);
  }

  protected runCopy(src: Tensor, dst: Tensor): void {
    const S = this.data(src, 'copy'), D = this.data(dst, 'copy');
    if (S !== D) D.set(S);
  }

  // ---- losses and metrics -------------------------------------------------
  protected runSoftmaxCrossEntropy(
    logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, rows: number, classes: number, smoothing: number,
  ): void {
    const op = 'softmaxCrossEntropy';
    const Z = this.data(logits, op), Y = this.data(labels, op), P = this.data(probs, op);
    const D = this.data(dlogits, op), L = this.data(loss, op);
    L[0] = softmaxCrossEntropyInto(Z, Y, P, D, rows, classes, smoothing);
  }

  protected runGridMarginalCrossEntropy(
    logits: Tensor, labels: Tensor, dlogits: Tensor, loss: Tensor, batch: number, gridRows: number, gridCols: number, weight: number,
  ): void {
    const op = 'gridMarginalCrossEntropy';
    const Z = this.data(logits, op), Y = this.data(labels, op), D = this.data(dlogits, op), L = this.data(loss, op);
    L[0] += gridMarginalCrossEntropyInto(Z, Y, D, batch, gridRows, gridCols, weight);
  }

  protected runArgmaxRows(x: Tensor, out: Tensor, rows: number, cols: number): void {
    argmaxRowsInto(this.data(x, 'argmaxRows'), this.data(out, 'argmaxRows'), rows, cols);
  }

  protected runSumSquares(x: Tensor, out: Tensor): void {
    const X = this.data(x, 'sumSquares');
    this.data(out, 'sumSquares')[0] = sumSquaresOf(X, x.size);
  }

  // ---- regularization -----------------------------------------------------
  protected runDropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void {
    dropoutInto(this.data(x, 'dropout'), this.data(mask, 'dropout'), this.data(out, 'dropout'), x.size, p, seed);
  }

  // ---- optimizer updates --------------------------------------------------
  protected runSgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void {
    sgdUpdate(this.data(param, 'sgdStep'), this.data(grad, 'sgdStep'), param.size, lr, weightDecay);
  }

  protected runMomentumStep(
    param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number,
  ): void {
    const op = 'momentumStep';
    const P = this.data(param, op), G = this.data(grad, op), V = this.data(velocity, op);
    momentumUpdate(P, G, V, param.size, lr, momentum, weightDecay);
  }

  protected runAdamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    const op = 'adamStep';
    const P = this.data(param, op), G = this.data(grad, op), M = this.data(m, op), V = this.data(v, op);
    adamUpdate(P, G, M, V, param.size, p);
  }

  // ---- convolution (CNN) --------------------------------------------------
  protected runConv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, g: ConvGeometry): void {
    const op = 'conv2d';
    const X = this.data(x, op), Wt = this.data(weight, op), Bs = this.data(bias, op), O = this.data(out, op);
    conv2dForward(X, Wt, Bs, O, g, this.convScratch, this.scratch);
  }

  protected runConv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, g: ConvGeometry): void {
    const op = 'conv2dBackwardInput';
    const DY = this.data(dy, op), Wt = this.data(weight, op), DX = this.data(dx, op);
    conv2dBackwardInput(DY, Wt, DX, g, this.convScratch, this.scratch);
  }

  protected runConv2dBackwardWeight(
    x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, g: ConvGeometry, accumulate: boolean,
  ): void {
    const op = 'conv2dBackwardWeight';
    const X = this.data(x, op), DY = this.data(dy, op), DW = this.data(dweight, op), DB = this.data(dbias, op);
    conv2dBackwardWeight(X, DY, DW, DB, accumulate, g, this.convScratch, this.scratch);
  }

  protected runMaxPool2d(x: Tensor, out: Tensor, argmax: Tensor, g: PoolGeometry): void {
    const op = 'maxPool2d';
    maxPool2dForward(this.data(x, op), this.data(out, op), this.data(argmax, op), g);
  }

  protected runMaxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor, g: PoolGeometry): void {
    const op = 'maxPool2dBackward';
    maxPool2dBackward(this.data(dy, op), this.data(argmax, op), this.data(dx, op), g);
  }

  // ---- recurrent (GRU) ----------------------------------------------------
  protected runGruForward(args: GruForwardArgs, dims: GruDims): void {
    const op = 'gruForward';
    const X = this.data(args.xProj, op), W = this.data(args.whh, op), Bh = this.data(args.bhh, op);
    const L = this.data(args.lengths, op), H = this.data(args.hAll, op), C = this.data(args.cache, op);
    const last = this.data(args.hLast, op);
    gruForwardInto(X, W, Bh, L, args.reverse, H, C, last, dims, this.gruScratch, this.scratch);
  }

  protected runGruBackward(args: GruBackwardArgs, dims: GruDims): void {
    const op = 'gruBackward';
    const arrays = {
      whh: this.data(args.whh, op), lengths: this.data(args.lengths, op),
      hAll: this.data(args.hAll, op), cache: this.data(args.cache, op),
      dhAll: this.data(args.dhAll, op), dhLast: this.data(args.dhLast, op),
      dxProj: this.data(args.dxProj, op), dwhh: this.data(args.dwhh, op), dbhh: this.data(args.dbhh, op),
    };
    gruBackwardInto(arrays, args.reverse, dims, this.gruScratch, this.scratch);
  }

  // ---- helpers -------------------------------------------------------------
  private data(t: Tensor, op: string): FloatArray {
    return this.pool.storageOf(t, op);
  }
}
