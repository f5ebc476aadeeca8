import type {
  ActivationKind, AdamParams, FloatArray, GruBackwardArgs, GruForwardArgs, Tensor,
} from '../backend';
import { CheckedBackend } from '../checked';
import { linearByParts } from '../composed';
import type { PoolStats } from '../cpu';
import { activationBackward, activationForward } from '../cpu/elementwise';
import { gridMarginalCrossEntropyInto } from '../cpu/grid-marginal';
import { argmaxRowsInto, sumSquaresOf } from '../cpu/rows';
import type { ConvGeometry, PoolGeometry } from '../validate-conv';
import type { GruDims } from '../validate-gru';
import { WasmConv } from './conv';
import { WasmGemm } from './gemm';
import { WasmGru } from './gru';
import { WasmHeap } from './heap';
import { instantiateKernels, type FmaMode, type KernelExports } from './module';
import { WasmStoragePool } from './storage';

export { WasmUnavailableError, hasWasmSimd } from './features';
export { WasmGemm, type WasmGemmOptions } from './gemm';
export type { FmaMode } from './module';

export interface WasmBackendOptions {
  /** Only 'f32': the SIMD kernels compute in float32 (gradient checks use cpu 'f64'). */
  precision?: 'f32' | 'f64';
  /** Relaxed-simd fused multiply-add: 'auto' (default) uses it where the engine has it. */
  fma?: FmaMode;
  /**
   * Linear memory left unused below the first tensor (default 0). A long BiGRU run holds gigabytes
   * of per-shape buffers; with 2 GiB reserved, the tests put every tensor where a byte offset no
   * longer fits a signed 32-bit integer, as such a run does.
   */
  reserveBytes?: number;
}

/**
 * Codes of the activations assembly/elementwise.as has SIMD code for; any other registered
 * activation runs the CPU kernel (its scalar definition) on views of the same memory.
 */
const ACTIVATION_CODES: Readonly<Partial<Record<string, number>>> = { relu: 0, leaky_relu: 1, tanh: 2, sigmoid: 3, identity: 4 };

/**
 * Every op in WebAssembly SIMD on tensors that live in the module's linear memory (heap.ts): a
 * kernel call passes byte offsets, so no op copies its operands in or out. The cheap ops without
 * a wasm kernel (argmaxRows, sumSquares: metrics, off the training step; gridMarginalCrossEntropy:
 * O(B·C) once a step) run the scalar reference kernels on views of the same memory. Where SIMD is missing the
 * constructor throws WasmUnavailableError and the caller falls back to the scalar 'cpu' backend.
 *
 * `readSync` returns a live view of the tensor's storage, valid until the tensor is disposed or
 * the next allocation (a new tensor, or an op's first call at a larger shape) grows memory and
 * detaches it: read it right away, or copy it.
 */
export class WasmBackend extends CheckedBackend {
  readonly name = 'wasm' as const;
  readonly precision = 'f32' as const;
  private readonly k: KernelExports;
  private readonly heap: WasmHeap;
  private readonly pool: WasmStoragePool;
  private readonly gemm: WasmGemm;
  private readonly conv: WasmConv;
  private readonly gru: WasmGru;

  constructor(opts: WasmBackendOptions = {}) {
    super();
    if (opts.precision !== undefined && opts.precision !== 'f32') {
      throw new Error(`the wasm backend computes in float32 (got precision '${String(opts.precision)}'); use 'cpu' for 'f64'`);
    }
    this.k = instantiateKernels(opts.fma ?? 'auto');
    this.heap = new WasmHeap(this.k.memory, this.k.heapBase() + (opts.reserveBytes ?? 0));
    this.pool = new WasmStoragePool(this.heap);
    this.gemm = new WasmGemm({ kernels: { exports: this.k, heap: this.heap } });
    this.conv = new WasmConv(this.gemm, this.k, this.heap);
    this.gru = new WasmGru(this.gemm, this.k, this.heap);
  }

  /** Whether matmul multiplies with relaxed-simd fused multiply-add. */
  get usesFma(): boolean {
    return this.gemm.usesFma;
  }

  /**
   * Pool counters plus wasm memory growths: all flat across warm steps. Scratch lives in the same
   * heap, so a scratch growth shows up in `allocations` (scratchGrowths stays 0).
   */
  stats(): PoolStats & { scratchGrowths: number; wasmMemoryGrowths: number } {
    return { ...this.pool.stats(), scratchGrowths: 0, wasmMemoryGrowths: this.heap.growths };
  }

  /** Bytes of wasm linear memory (tensors + scratch). */
  memoryBytes(): number {
    return this.heap.byteLength();
  }

  // ---- memory ----------------------------------------------------------------
  tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor { return this.pool.acquire(shape, data); }
  dispose(t: Tensor): void { this.pool.release(t); }
  liveTensors(): number { return this.pool.liveCount(); }

  protected store(t: Tensor, data: ArrayLike<number>): void { this.pool.viewOf(t, 'write').set(data); }
  protected hostValues(t: Tensor, op: string): Float32Array { return this.pool.viewOf(t, op); }

  async read(t: Tensor): Promise<FloatArray> { return this.pool.viewOf(t, 'read').slice(); }
  readSync(t: Tensor): FloatArray { return this.pool.viewOf(t, 'readSync'); }

  // ---- linear algebra -----------------------------------------------------
  protected runMatmul(
    a: Tensor, b: Tensor, out: Tensor, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean,
  ): void {
    const A = this.at(a, 'matmul'), B = this.at(b, 'matmul'), C = this.at(out, 'matmul');
    const packAt = this.heap.scratch(this.gemm.packingBytes(m, n, k));
    this.gemm.runInMemory(A, B, C, m, n, k, transA, transB, accumulate, packAt);
  }

  protected runAddRowVector(x: Tensor, bias: Tensor, out: Tensor, rows: number, cols: number): void {
    const op = 'addRowVector';
    this.k.addRowVector(this.at(x, op), this.at(bias, op), this.at(out, op), rows, cols);
  }

  protected runLinear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope: number): void {
    linearByParts(this, x, weight, bias, out, activation, slope);
  }

  protected runSumRows(x: Tensor, out: Tensor, rows: number, cols: number, accumulate: boolean): void {
    this.k.sumRows(this.at(x, 'sumRows'), this.at(out, 'sumRows'), rows, cols, +accumulate);
  }

  // ---- elementwise --------------------------------------------------------
  protected runActivation(kind: ActivationKind, x: Tensor, out: Tensor, slope: number): void {
    const op = 'activation', code = ACTIVATION_CODES[kind];
    if (code === undefined) activationForward(kind, this.pool.viewOf(x, op), this.pool.viewOf(out, op), x.size, slope);
    else this.k.activationForward(code, this.at(x, op), this.at(out, op), x.size, slope);
  }

  protected runActivationBackward(kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope: number): void {
    const op = 'activationBackward', code = ACTIVATION_CODES[kind];
    if (code === undefined) {
      const X = this.pool.viewOf(x, op), Y = this.pool.viewOf(y, op);
      activationBackward(kind, X, Y, this.pool.viewOf(dy, op), this.pool.viewOf(dx, op), dy.size, slope);
      return;
    }
    const X = this.at(x, op), Y = this.at(y, op), DY = this.at(dy, op), DX = this.at(dx, op);
    this.k.activationBackward(code, X, Y, DY, DX, dy.size, slope);
  }

  protected runScale(x: Tensor, alpha: number, out: Tensor): void {
    this.k.scale(this.at(x, 'scale'), alpha, this.at(out, 'scale'), x.size);
  }

  protected runAxpy(alpha: number, x: Tensor, y: Tensor): void {
    this.k.axpy(alpha, this.at(x, 'axpy'), this.at(y, 'axpy'), x.size);
  }

  protected runMul(a: Tensor, b: Tensor, out: Tensor): void {
    this.k.mul(this.at(a, 'mul'), this.at(b, 'mul'), this.at(out, 'mul'), a.size);
  }

  protected runFill(t: Tensor, value: number): void {
    const at = this.at(t, 'fill') >>> 2;
    this.heap.f32.fill(value, at, at + t.size);
  }

  protected runCopy(src: Tensor, dst: Tensor): void {
    const S = this.at(src, 'copy') >>> 2, D = this.at(dst, 'copy') >>> 2;
    if (S !== D) this.heap.f32.copyWithin(D, S, S + src.size);
  }

  // ---- losses, metrics, regularization ----------------------------------------
  protected runSoftmaxCrossEntropy(
    logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, rows: number, classes: number, smoothing: number,
  ): void {
    const op = 'softmaxCrossEntropy';
    const Z = this.at(logits, op), Y = this.at(labels, op), P = this.at(probs, op), D = this.at(dlogits, op);
    const L = this.at(loss, op);
    this.heap.f32[L >>> 2] = this.k.softmaxCrossEntropy(Z, Y, P, D, rows, classes, smoothing);
  }

  /** O(B·C) once per step next to the convolutions: the scalar kernel on views of the same memory. */
  protected runGridMarginalCrossEntropy(
    logits: Tensor, labels: Tensor, dlogits: Tensor, loss: Tensor, batch: number, gridRows: number, gridCols: number, weight: number,
  ): void {
    const op = 'gridMarginalCrossEntropy';
    const Z = this.view(logits, op), Y = this.view(labels, op), D = this.view(dlogits, op), L = this.view(loss, op);
    L[0] += gridMarginalCrossEntropyInto(Z, Y, D, batch, gridRows, gridCols, weight);
  }

  // argmaxRows and sumSquares are O(B·C) per batch and off the training step: the scalar kernels on views.
  protected runArgmaxRows(x: Tensor, out: Tensor, rows: number, cols: number): void {
    argmaxRowsInto(this.view(x, 'argmaxRows'), this.view(out, 'argmaxRows'), rows, cols);
  }

  protected runSumSquares(x: Tensor, out: Tensor): void {
    const X = this.view(x, 'sumSquares'), O = this.view(out, 'sumSquares');
    O[0] = sumSquaresOf(X, x.size);
  }

  protected runDropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void {
    const X = this.at(x, 'dropout'), M = this.at(mask, 'dropout'), O = this.at(out, 'dropout');
    this.k.dropout(X, M, O, x.size, p, seed | 0, p >= 1 ? 0 : 1 / (1 - p));
  }

  // ---- optimizer updates ----------------------------------------------------
  protected runSgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void {
    this.k.sgdStep(this.at(param, 'sgdStep'), this.at(grad, 'sgdStep'), param.size, lr, weightDecay);
  }

  protected runMomentumStep(param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number): void {
    const op = 'momentumStep';
    const P = this.at(param, op), G = this.at(grad, op), V = this.at(velocity, op);
    this.k.momentumStep(P, G, V, param.size, lr, momentum, weightDecay);
  }

  /** PyTorch's Adam / AdamW; the per-step scalars are folded here in float64, as the reference. */
  protected runAdamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    const P = this.at(param, 'adamStep'), G = this.at(grad, 'adamStep'), M = this.at(m, 'adamStep'), V = this.at(v, 'adamStep');
    const stepSize = p.lr / (1 - Math.pow(p.beta1, p.step));
    const sqrtBiasCorrection2 = Math.sqrt(1 - Math.pow(p.beta2, p.step));
    const shrink = p.decoupled ? 1 - p.lr * p.weightDecay : 1, l2 = p.decoupled ? 0 : p.weightDecay;
    this.k.adamStep(P, G, M, V, param.size, p.beta1, p.beta2, p.eps, stepSize, sqrtBiasCorrection2, shrink, l2);
  }

  // ---- convolution ----------------------------------------------------------
  protected runConv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, g: ConvGeometry): void {
    const op = 'conv2d';
    this.conv.forward(this.at(x, op), this.at(weight, op), this.at(bias, op), this.at(out, op), g);
  }

  protected runConv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, g: ConvGeometry): void {
    const op = 'conv2dBackwardInput';
    this.conv.backwardInput(this.at(dy, op), this.at(weight, op), this.at(dx, op), g);
  }

  protected runConv2dBackwardWeight(x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, g: ConvGeometry, accumulate: boolean): void {
    const op = 'conv2dBackwardWeight';
    const X = this.at(x, op), DY = this.at(dy, op), DW = this.at(dweight, op), DB = this.at(dbias, op);
    this.conv.backwardWeight(X, DY, DW, DB, accumulate, g);
  }

  protected runMaxPool2d(x: Tensor, out: Tensor, argmax: Tensor, g: PoolGeometry): void {
    const op = 'maxPool2d';
    this.k.maxPool2dForward(this.at(x, op), this.at(out, op), this.at(argmax, op), g.planes, g.height, g.width);
  }

  protected runMaxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor, g: PoolGeometry): void {
    const op = 'maxPool2dBackward';
    const A = this.at(argmax, op);
    const bad = this.k.maxPool2dBackward(this.at(dy, op), A, this.at(dx, op), g.planes, g.height, g.width);
    if (bad >= 0) {
      const value = this.heap.f32[(A >>> 2) + bad];
      throw new Error(`${op}: argmax holds ${value}, not a pixel index of a ${g.height}×${g.width} plane (pass the argmax filled by maxPool2d)`);
    }
  }

  // ---- recurrent (GRU) ----------------------------------------------------
  protected runGruForward(args: GruForwardArgs, dims: GruDims): void {
    const op = 'gruForward';
    const o = {
      xProj: this.at(args.xProj, op), whh: this.at(args.whh, op), bhh: this.at(args.bhh, op),
      lengths: this.at(args.lengths, op), hAll: this.at(args.hAll, op), cache: this.at(args.cache, op),
      hLast: this.at(args.hLast, op),
    };
    this.gru.forward(o, args.reverse, dims);
  }

  protected runGruBackward(args: GruBackwardArgs, dims: GruDims): void {
    const op = 'gruBackward';
    const o = {
      whh: this.at(args.whh, op), lengths: this.at(args.lengths, op), hAll: this.at(args.hAll, op),
      cache: this.at(args.cache, op), dhAll: this.at(args.dhAll, op), dhLast: this.at(args.dhLast, op),
      dxProj: this.at(args.dxProj, op), dwhh: this.at(args.dwhh, op), dbhh: this.at(args.dbhh, op),
    };
    this.gru.backward(o, args.reverse, dims);
  }

  // ---- helpers -------------------------------------------------------------
  /** Byte offset of a live tensor's storage. */
  private at(t: Tensor, op: string): number {
    return this.pool.offsetOf(t, op);
  }

  /** A view for the scalar kernels: take it after any scratch request of the op. */
  private view(t: Tensor, op: string): Float32Array {
    return this.pool.viewOf(t, op);
  }
}
