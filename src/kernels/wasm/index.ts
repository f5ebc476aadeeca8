import type {
  ActivationKind, AdamParams, Backend, FloatArray, GruBackwardArgs, GruForwardArgs, MatmulOptions, Tensor,
} from '../backend';
import { CpuBackend, type PoolStats } from '../cpu';
import { conv2dArgs, conv2dBackwardInputArgs, conv2dBackwardWeightArgs } from '../cpu/conv';
import { GruScratch, gruBackwardDims, gruBackwardInto, gruForwardDims, gruForwardInto, validateLengths } from '../cpu/gru';
import { newMatmulScratch, type GemmFn } from '../cpu/matmul';
import { WasmConv } from './conv';
import { WasmGemm, type FmaMode } from './gemm';
import { colsOf, fmt, product, rowsOf } from '../validate';

export { WasmUnavailableError, hasWasmSimd } from './features';
export { WasmGemm, type FmaMode, type WasmGemmOptions } from './gemm';

export interface WasmBackendOptions {
  /** Only 'f32': the SIMD kernels compute in float32 (gradient checks use cpu 'f64'). */
  precision?: 'f32' | 'f64';
  /** Relaxed-simd fused multiply-add: 'auto' (default) uses it where the engine has it. */
  fma?: FmaMode;
}

const NO_OPTIONS: MatmulOptions = Object.freeze({});

/**
 * The CPU backend with its hot kernels in WebAssembly SIMD: matmul; conv2d and its gradients
 * (im2col + GEMM, or direct 3×3 kernels for few input channels, all in wasm memory: see
 * conv.ts); and the GRU recurrence, which runs the CPU kernel's step loop and gate math with
 * the SIMD GEMM injected. Tensors live in the wrapped CpuBackend's typed-array pool, so every
 * op not yet ported runs the scalar reference kernel on the same storage, and the scalar
 * backend stays the fallback where SIMD is missing: the constructor throws WasmUnavailableError.
 *
 * Wraps rather than extends CpuBackend because `name` is the literal 'cpu' there.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  readonly precision = 'f32' as const;
  private readonly cpu = new CpuBackend({ precision: 'f32' });
  private readonly gemm: WasmGemm;
  private readonly conv: WasmConv;
  /** The SIMD GEMM in the CPU kernels' GemmFn shape (their JS scratch is not needed). */
  private readonly simdGemm: GemmFn = (a, b, c, m, n, k, transA, transB, accumulate) =>
    this.gemm.run(a, b, c, m, n, k, transA, transB, accumulate);
  private readonly gruScratch = new GruScratch();
  /** Required by the CPU kernels' signatures; the SIMD GEMM never touches it. */
  private readonly unusedMatmulScratch = newMatmulScratch();

  constructor(opts: WasmBackendOptions = {}) {
    if (opts.precision !== undefined && opts.precision !== 'f32') {
      throw new Error(`the wasm backend computes in float32 (got precision '${String(opts.precision)}'); use 'cpu' for 'f64'`);
    }
    this.gemm = new WasmGemm({ fma: opts.fma ?? 'auto' });
    this.conv = new WasmConv(this.gemm);
  }

  /** Whether matmul multiplies with relaxed-simd fused multiply-add. */
  get usesFma(): boolean {
    return this.gemm.usesFma;
  }

  /** Pool counters plus wasm memory growths: both flat across warm steps. */
  stats(): PoolStats & { scratchGrowths: number; wasmMemoryGrowths: number } {
    const cpu = this.cpu.stats();
    return { ...cpu, scratchGrowths: cpu.scratchGrowths + this.gruScratch.growths(), wasmMemoryGrowths: this.gemm.growths };
  }

  // ---- memory: the CPU pool -------------------------------------------------
  tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor { return this.cpu.tensor(shape, data); }
  dispose(t: Tensor): void { this.cpu.dispose(t); }
  write(t: Tensor, data: ArrayLike<number>): void { this.cpu.write(t, data); }
  read(t: Tensor): Promise<FloatArray> { return this.cpu.read(t); }
  readSync(t: Tensor): FloatArray { return this.cpu.readSync(t); }
  liveTensors(): number { return this.cpu.liveTensors(); }

  // ---- linear algebra -----------------------------------------------------
  matmul(a: Tensor, b: Tensor, out: Tensor, opts: MatmulOptions = NO_OPTIONS): void {
    const { transA = false, transB = false, accumulate = false } = opts;
    const A = this.storage(a, 'matmul'), B = this.storage(b, 'matmul'), C = this.storage(out, 'matmul');
    const ar = rowsOf(a), ac = colsOf(a), br = rowsOf(b), bc = colsOf(b);
    const m = transA ? ac : ar, k = transA ? ar : ac;
    const k2 = transB ? bc : br, n = transB ? br : bc;
    if (k !== k2) throw new Error(`matmul: inner dimensions differ: ${product(a, b, opts)} (${k} vs ${k2})`);
    if (rowsOf(out) !== m || colsOf(out) !== n) throw new Error(`matmul: out is ${fmt(out)} but ${product(a, b, opts)} is [${m},${n}]`);
    if (out === a || out === b) throw new Error('matmul: out must not be one of the inputs');
    this.gemm.run(A, B, C, m, n, k, transA, transB, accumulate);
  }

  addRowVector(x: Tensor, bias: Tensor, out: Tensor): void { this.cpu.addRowVector(x, bias, out); }
  sumRows(x: Tensor, out: Tensor, accumulate?: boolean): void { this.cpu.sumRows(x, out, accumulate); }

  // ---- elementwise --------------------------------------------------------
  activation(kind: ActivationKind, x: Tensor, out: Tensor, slope?: number): void { this.cpu.activation(kind, x, out, slope); }
  activationBackward(kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope?: number): void {
    this.cpu.activationBackward(kind, x, y, dy, dx, slope);
  }
  scale(x: Tensor, alpha: number, out: Tensor): void { this.cpu.scale(x, alpha, out); }
  axpy(alpha: number, x: Tensor, y: Tensor): void { this.cpu.axpy(alpha, x, y); }
  mul(a: Tensor, b: Tensor, out: Tensor): void { this.cpu.mul(a, b, out); }
  fill(t: Tensor, value: number): void { this.cpu.fill(t, value); }
  copy(src: Tensor, dst: Tensor): void { this.cpu.copy(src, dst); }

  // ---- losses, metrics, regularization --------------------------------------
  softmaxCrossEntropy(logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, smoothing: number): void {
    this.cpu.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, smoothing);
  }
  argmaxRows(x: Tensor, out: Tensor): void { this.cpu.argmaxRows(x, out); }
  sumSquares(x: Tensor, out: Tensor): void { this.cpu.sumSquares(x, out); }
  dropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void { this.cpu.dropout(x, mask, out, p, seed); }

  // ---- optimizer updates ----------------------------------------------------
  sgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void { this.cpu.sgdStep(param, grad, lr, weightDecay); }
  momentumStep(param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number): void {
    this.cpu.momentumStep(param, grad, velocity, lr, momentum, weightDecay);
  }
  adamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void { this.cpu.adamStep(param, grad, m, v, p); }

  // ---- convolution and recurrence: CPU plumbing, SIMD GEMM --------------------
  // Validation mirrors CpuBackend's so both backends reject bad input with the same messages.
  conv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, pad: number): void {
    const op = 'conv2d';
    const X = this.storage(x, op), Wt = this.storage(weight, op), Bs = this.storage(bias, op), O = this.storage(out, op);
    const g = conv2dArgs(x, weight, bias, out, pad);
    this.conv.forward(X, Wt, Bs, O, g);
  }

  conv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, pad: number): void {
    const op = 'conv2dBackwardInput';
    const DY = this.storage(dy, op), Wt = this.storage(weight, op), DX = this.storage(dx, op);
    const g = conv2dBackwardInputArgs(dy, weight, dx, pad);
    this.conv.backwardInput(DY, Wt, DX, g);
  }

  conv2dBackwardWeight(x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, pad: number, accumulate = false): void {
    const op = 'conv2dBackwardWeight';
    const X = this.storage(x, op), DY = this.storage(dy, op), DW = this.storage(dweight, op), DB = this.storage(dbias, op);
    const g = conv2dBackwardWeightArgs(x, dy, dweight, dbias, pad);
    this.conv.backwardWeight(X, DY, DW, DB, accumulate, g);
  }

  maxPool2d(x: Tensor, out: Tensor, argmax: Tensor): void { this.cpu.maxPool2d(x, out, argmax); }
  maxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor): void { this.cpu.maxPool2dBackward(dy, argmax, dx); }

  gruForward(args: GruForwardArgs): void {
    const op = 'gruForward';
    const X = this.storage(args.xProj, op), W = this.storage(args.whh, op), Bh = this.storage(args.bhh, op);
    const L = this.storage(args.lengths, op), H = this.storage(args.hAll, op), C = this.storage(args.cache, op);
    const last = this.storage(args.hLast, op);
    const dims = gruForwardDims(op, args);
    validateLengths(op, L, dims.steps);
    gruForwardInto(X, W, Bh, L, args.reverse, H, C, last, dims, this.gruScratch, this.unusedMatmulScratch, this.simdGemm);
  }

  gruBackward(args: GruBackwardArgs): void {
    const op = 'gruBackward';
    const arrays = {
      whh: this.storage(args.whh, op), lengths: this.storage(args.lengths, op),
      hAll: this.storage(args.hAll, op), cache: this.storage(args.cache, op),
      dhAll: this.storage(args.dhAll, op), dhLast: this.storage(args.dhLast, op),
      dxProj: this.storage(args.dxProj, op), dwhh: this.storage(args.dwhh, op), dbhh: this.storage(args.dbhh, op),
    };
    const dims = gruBackwardDims(op, args);
    validateLengths(op, arrays.lengths, dims.steps);
    gruBackwardInto(arrays, args.reverse, dims, this.gruScratch, this.unusedMatmulScratch, this.simdGemm);
  }

  /** Live float32 storage; the CPU pool's liveness errors, renamed to the op the caller used. */
  private storage(t: Tensor, op: string): Float32Array {
    try {
      return this.cpu.readSync(t) as Float32Array;
    } catch (e) {
      throw e instanceof Error ? new Error(e.message.replace(/^readSync:/, `${op}:`)) : e;
    }
  }
}

