import {
  rowsCols,
  type ActivationKind, type AdamParams, type Backend, type FloatArray, type GruBackwardArgs, type GruForwardArgs,
  type MatmulOptions, type Tensor,
} from '../backend';
import type { PoolStats } from '../cpu';
import { conv2dArgs, conv2dBackwardInputArgs, conv2dBackwardWeightArgs } from '../cpu/conv';
import { DEFAULT_LEAKY_SLOPE } from '../cpu/elementwise';
import { gruBackwardDims, gruForwardDims, validateLengths } from '../cpu/gru';
import { validateLabels } from '../cpu/loss';
import { validateAdam } from '../cpu/optimizers';
import { poolGeometry } from '../cpu/pool';
import { argmaxRowsInto, sumSquaresOf } from '../cpu/rows';
import { checkKind, colsOf, fmt, product, rowsOf, sameSize } from '../validate';
import { linearByParts } from '../composed';
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
}

const NO_OPTIONS: MatmulOptions = Object.freeze({});

/** Activation codes of assembly/elementwise.as. */
const ACTIVATION_CODES: Readonly<Record<ActivationKind, number>> = { relu: 0, leaky_relu: 1, tanh: 2, sigmoid: 3, identity: 4 };

/**
 * Every op in WebAssembly SIMD on tensors that live in the module's linear memory (heap.ts): a
 * kernel call passes byte offsets, so no op copies its operands in or out. The two cheap ops
 * without a wasm kernel (argmaxRows, sumSquares: metrics, off the training step) run the scalar
 * reference kernels on views of the same memory. Where SIMD is missing the
 * constructor throws WasmUnavailableError and the caller falls back to the scalar 'cpu' backend.
 *
 * `readSync` returns a live view of the tensor's storage, valid until the tensor is disposed or
 * the next allocation (a new tensor, or an op's first call at a larger shape) grows memory and
 * detaches it: read it right away, or copy it.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  readonly precision = 'f32' as const;
  private readonly k: KernelExports;
  private readonly heap: WasmHeap;
  private readonly pool: WasmStoragePool;
  private readonly gemm: WasmGemm;
  private readonly conv: WasmConv;
  private readonly gru: WasmGru;

  constructor(opts: WasmBackendOptions = {}) {
    if (opts.precision !== undefined && opts.precision !== 'f32') {
      throw new Error(`the wasm backend computes in float32 (got precision '${String(opts.precision)}'); use 'cpu' for 'f64'`);
    }
    this.k = instantiateKernels(opts.fma ?? 'auto');
    this.heap = new WasmHeap(this.k.memory, this.k.heapBase());
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

  write(t: Tensor, data: ArrayLike<number>): void {
    const dst = this.pool.viewOf(t, 'write');
    if (data.length !== t.size) throw new Error(`write: tensor ${fmt(t)} holds ${t.size} values, got ${data.length}`);
    dst.set(data);
  }

  async read(t: Tensor): Promise<FloatArray> { return this.pool.viewOf(t, 'read').slice(); }
  readSync(t: Tensor): FloatArray { return this.pool.viewOf(t, 'readSync'); }

  // ---- linear algebra -----------------------------------------------------
  matmul(a: Tensor, b: Tensor, out: Tensor, opts: MatmulOptions = NO_OPTIONS): void {
    const { transA = false, transB = false, accumulate = false } = opts;
    const A = this.at(a, 'matmul'), B = this.at(b, 'matmul'), C = this.at(out, 'matmul');
    const ar = rowsOf(a), ac = colsOf(a), br = rowsOf(b), bc = colsOf(b);
    const m = transA ? ac : ar, k = transA ? ar : ac;
    const k2 = transB ? bc : br, n = transB ? br : bc;
    if (k !== k2) throw new Error(`matmul: inner dimensions differ: ${product(a, b, opts)} (${k} vs ${k2})`);
    if (rowsOf(out) !== m || colsOf(out) !== n) throw new Error(`matmul: out is ${fmt(out)} but ${product(a, b, opts)} is [${m},${n}]`);
    if (out === a || out === b) throw new Error('matmul: out must not be one of the inputs');
    const packAt = this.heap.scratch(this.gemm.packingBytes(m, n, k));
    this.gemm.runInMemory(A, B, C, m, n, k, transA, transB, accumulate, packAt);
  }

  addRowVector(x: Tensor, bias: Tensor, out: Tensor): void {
    const X = this.at(x, 'addRowVector'), Bv = this.at(bias, 'addRowVector'), O = this.at(out, 'addRowVector');
    const [rows, cols] = rowsCols(x);
    if (bias.size !== cols) throw new Error(`addRowVector: bias ${fmt(bias)} does not match ${cols} columns of x ${fmt(x)}`);
    sameSize('addRowVector', x, out);
    this.k.addRowVector(X, Bv, O, rows, cols);
  }

  linear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope = DEFAULT_LEAKY_SLOPE): void {
    linearByParts(this, x, weight, bias, out, activation, slope);
  }

  sumRows(x: Tensor, out: Tensor, accumulate = false): void {
    const X = this.at(x, 'sumRows'), O = this.at(out, 'sumRows');
    const [rows, cols] = rowsCols(x);
    if (out.size !== cols) throw new Error(`sumRows: out ${fmt(out)} must hold ${cols} values for x ${fmt(x)}`);
    this.k.sumRows(X, O, rows, cols, +accumulate);
  }

  // ---- elementwise --------------------------------------------------------
  activation(kind: ActivationKind, x: Tensor, out: Tensor, slope = DEFAULT_LEAKY_SLOPE): void {
    const X = this.at(x, 'activation'), O = this.at(out, 'activation');
    sameSize('activation', x, out);
    this.k.activationForward(ACTIVATION_CODES[checkKind(kind)], X, O, x.size, slope);
  }

  activationBackward(kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope = DEFAULT_LEAKY_SLOPE): void {
    const op = 'activationBackward';
    const X = this.at(x, op), Y = this.at(y, op), DY = this.at(dy, op), DX = this.at(dx, op);
    sameSize(op, dy, x, y, dx);
    this.k.activationBackward(ACTIVATION_CODES[checkKind(kind)], X, Y, DY, DX, dy.size, slope);
  }

  scale(x: Tensor, alpha: number, out: Tensor): void {
    const X = this.at(x, 'scale'), O = this.at(out, 'scale');
    sameSize('scale', x, out);
    this.k.scale(X, alpha, O, x.size);
  }

  axpy(alpha: number, x: Tensor, y: Tensor): void {
    const X = this.at(x, 'axpy'), Y = this.at(y, 'axpy');
    sameSize('axpy', x, y);
    this.k.axpy(alpha, X, Y, x.size);
  }

  mul(a: Tensor, b: Tensor, out: Tensor): void {
    const A = this.at(a, 'mul'), B = this.at(b, 'mul'), O = this.at(out, 'mul');
    sameSize('mul', a, b, out);
    this.k.mul(A, B, O, a.size);
  }

  fill(t: Tensor, value: number): void {
    const at = this.at(t, 'fill') >> 2;
    this.heap.f32.fill(value, at, at + t.size);
  }

  copy(src: Tensor, dst: Tensor): void {
    const S = this.at(src, 'copy') >> 2, D = this.at(dst, 'copy') >> 2;
    sameSize('copy', src, dst);
    if (S !== D) this.heap.f32.copyWithin(D, S, S + src.size);
  }

  // ---- losses, metrics, regularization ----------------------------------------
  softmaxCrossEntropy(logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, smoothing: number): void {
    const op = 'softmaxCrossEntropy';
    const Z = this.at(logits, op), Y = this.at(labels, op), P = this.at(probs, op), D = this.at(dlogits, op);
    const L = this.at(loss, op);
    const [rows, classes] = rowsCols(logits);
    if (labels.size !== rows) throw new Error(`${op}: labels ${fmt(labels)} must hold one label per row of logits ${fmt(logits)}`);
    sameSize(op, logits, probs, dlogits);
    if (loss.size !== 1) throw new Error(`${op}: loss must be a 1-element tensor, got ${fmt(loss)}`);
    if (!(smoothing >= 0 && smoothing <= 1)) throw new Error(`${op}: label smoothing must be in [0, 1], got ${smoothing}`);
    if (rows === 0 || classes === 0) throw new Error(`${op}: logits ${fmt(logits)} must have at least one row and class`);
    validateLabels(this.view(labels, op), rows, classes);
    this.heap.f32[L >> 2] = this.k.softmaxCrossEntropy(Z, Y, P, D, rows, classes, smoothing);
  }

  // argmaxRows and sumSquares are O(B·C) per batch and off the training step: the scalar kernels on views.
  argmaxRows(x: Tensor, out: Tensor): void {
    const X = this.view(x, 'argmaxRows'), O = this.view(out, 'argmaxRows');
    const [rows, cols] = rowsCols(x);
    if (out.size !== rows) throw new Error(`argmaxRows: out ${fmt(out)} must hold ${rows} values for x ${fmt(x)}`);
    if (cols === 0) throw new Error(`argmaxRows: x ${fmt(x)} has no columns`);
    argmaxRowsInto(X, O, rows, cols);
  }

  sumSquares(x: Tensor, out: Tensor): void {
    const X = this.view(x, 'sumSquares'), O = this.view(out, 'sumSquares');
    if (out.size !== 1) throw new Error(`sumSquares: out must be a 1-element tensor, got ${fmt(out)}`);
    O[0] = sumSquaresOf(X, x.size);
  }

  dropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void {
    const X = this.at(x, 'dropout'), M = this.at(mask, 'dropout'), O = this.at(out, 'dropout');
    sameSize('dropout', x, mask, out);
    if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be in [0, 1], got ${p}`);
    this.k.dropout(X, M, O, x.size, p, seed | 0, p >= 1 ? 0 : 1 / (1 - p));
  }

  // ---- optimizer updates ----------------------------------------------------
  sgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void {
    const P = this.at(param, 'sgdStep'), G = this.at(grad, 'sgdStep');
    sameSize('sgdStep', param, grad);
    this.k.sgdStep(P, G, param.size, lr, weightDecay);
  }

  momentumStep(param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number): void {
    const op = 'momentumStep';
    const P = this.at(param, op), G = this.at(grad, op), V = this.at(velocity, op);
    sameSize(op, param, grad, velocity);
    this.k.momentumStep(P, G, V, param.size, lr, momentum, weightDecay);
  }

  /** PyTorch's Adam / AdamW; the per-step scalars are folded here in float64, as the reference. */
  adamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    const P = this.at(param, 'adamStep'), G = this.at(grad, 'adamStep'), M = this.at(m, 'adamStep'), V = this.at(v, 'adamStep');
    sameSize('adamStep', param, grad, m, v);
    validateAdam(p);
    const stepSize = p.lr / (1 - Math.pow(p.beta1, p.step));
    const sqrtBiasCorrection2 = Math.sqrt(1 - Math.pow(p.beta2, p.step));
    const shrink = p.decoupled ? 1 - p.lr * p.weightDecay : 1, l2 = p.decoupled ? 0 : p.weightDecay;
    this.k.adamStep(P, G, M, V, param.size, p.beta1, p.beta2, p.eps, stepSize, sqrtBiasCorrection2, shrink, l2);
  }

  // ---- convolution (validation shared with CpuBackend: same messages) --------
  conv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, pad: number): void {
    const op = 'conv2d';
    const X = this.at(x, op), Wt = this.at(weight, op), Bs = this.at(bias, op), O = this.at(out, op);
    this.conv.forward(X, Wt, Bs, O, conv2dArgs(x, weight, bias, out, pad));
  }

  conv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, pad: number): void {
    const op = 'conv2dBackwardInput';
    const DY = this.at(dy, op), Wt = this.at(weight, op), DX = this.at(dx, op);
    this.conv.backwardInput(DY, Wt, DX, conv2dBackwardInputArgs(dy, weight, dx, pad));
  }

  conv2dBackwardWeight(x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, pad: number, accumulate = false): void {
    const op = 'conv2dBackwardWeight';
    const X = this.at(x, op), DY = this.at(dy, op), DW = this.at(dweight, op), DB = this.at(dbias, op);
    this.conv.backwardWeight(X, DY, DW, DB, accumulate, conv2dBackwardWeightArgs(x, dy, dweight, dbias, pad));
  }

  maxPool2d(x: Tensor, out: Tensor, argmax: Tensor): void {
    const op = 'maxPool2d';
    const X = this.at(x, op), O = this.at(out, op), A = this.at(argmax, op);
    const g = poolGeometry(op, x.shape, out.shape, argmax.shape);
    if (out === argmax || out === x || argmax === x) throw new Error(`${op}: x, out and argmax must be three different tensors`);
    this.k.maxPool2dForward(X, O, A, g.planes, g.height, g.width);
  }

  maxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor): void {
    const op = 'maxPool2dBackward';
    const DY = this.at(dy, op), A = this.at(argmax, op), DX = this.at(dx, op);
    const g = poolGeometry(op, dx.shape, dy.shape, argmax.shape);
    if (dx === dy || dx === argmax) throw new Error(`${op}: dx must not be dy or argmax`);
    const bad = this.k.maxPool2dBackward(DY, A, DX, g.planes, g.height, g.width);
    if (bad >= 0) {
      const value = this.heap.f32[(A >> 2) + bad];
      throw new Error(`${op}: argmax holds ${value}, not a pixel index of a ${g.height}×${g.width} plane (pass the argmax filled by maxPool2d)`);
    }
  }

  // ---- recurrent (GRU) ----------------------------------------------------
  gruForward(args: GruForwardArgs): void {
    const op = 'gruForward';
    const o = {
      xProj: this.at(args.xProj, op), whh: this.at(args.whh, op), bhh: this.at(args.bhh, op),
      lengths: this.at(args.lengths, op), hAll: this.at(args.hAll, op), cache: this.at(args.cache, op),
      hLast: this.at(args.hLast, op),
    };
    const dims = gruForwardDims(op, args);
    validateLengths(op, this.view(args.lengths, op), dims.steps);
    this.gru.forward(o, args.reverse, dims);
  }

  gruBackward(args: GruBackwardArgs): void {
    const op = 'gruBackward';
    const o = {
      whh: this.at(args.whh, op), lengths: this.at(args.lengths, op), hAll: this.at(args.hAll, op),
      cache: this.at(args.cache, op), dhAll: this.at(args.dhAll, op), dhLast: this.at(args.dhLast, op),
      dxProj: this.at(args.dxProj, op), dwhh: this.at(args.dwhh, op), dbhh: this.at(args.dbhh, op),
    };
    const dims = gruBackwardDims(op, args);
    validateLengths(op, this.view(args.lengths, op), dims.steps);
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
