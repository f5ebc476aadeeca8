import type {
  ActivationKind, AdamParams, Backend, GruBackwardArgs, GruForwardArgs, MatmulOptions, Tensor,
} from '../backend';
import { rowsCols } from '../backend';
import { DEFAULT_LEAKY_SLOPE } from '../cpu/elementwise';
import { validateLabels } from '../cpu/loss';
import { conv2dArgs, conv2dBackwardInputArgs, conv2dBackwardWeightArgs } from '../cpu/conv';
import { gruBackwardDims, gruForwardDims, validateLengths } from '../cpu/gru';
import { validateAdam } from '../cpu/optimizers';
import { poolGeometry } from '../cpu/pool';
import { createGlContext, probeCapabilities, type GlCanvas } from './context';
import { GlEngine } from './engine';
import { GlMemory } from './memory';
import { conv2dBackwardInputPass, conv2dBackwardWeightPass, conv2dPass } from './ops/conv';
import { dropoutPass } from './ops/dropout';
import { activationBackwardPass, activationPass, axpyPass, copyPass, mulPass, scalePass } from './ops/elementwise';
import { gruForwardPasses } from './ops/gru';
import { gruBackwardPasses } from './ops/gru-backward';
import { softmaxCrossEntropyPass } from './ops/loss';
import { linearPass } from './ops/linear';
import { matmulPass, type MatmulDims } from './ops/matmul';
import { adamPass, momentumPass, sgdPass } from './ops/optimizers';
import { maxPool2dBackwardPass, maxPool2dPass } from './ops/pool';
import { addRowVectorPass, argmaxRowsPass, sumRowsPass, sumSquaresPass } from './ops/rows';
import type { GlTensor } from './tensor';
import type { TexturePoolStats } from './textures';
import { checkKind, checkLinear, colsOf, fmt, product, rowsOf, sameSize } from '../validate';

export { WebGl2UnavailableError, type GlCanvas } from './context';
export { MAX_ROW_WIDTH, layoutOf } from './tensor';
export type { TexturePoolStats } from './textures';

export interface WebGl2BackendOptions {
  /** Render on this canvas instead of a private 1×1 OffscreenCanvas. */
  canvas?: GlCanvas;
  /**
   * Act as if the GPU's texture size limit were this (at most the real one): tests reach the
   * tiled paths (matmul over more rows than a texture holds) with small shapes.
   */
  maxTextureSize?: number;
  /** false: act as if float blending (EXT_float_blend) were missing, to test the fallback paths. */
  floatBlend?: false;
}

export interface WebGl2Stats {
  liveTensors: number;
  textures: TexturePoolStats;
  /** Compiled shader programs (each compiled once, then cached). */
  programs: number;
  /** Render passes issued so far. */
  draws: number;
}

const NO_OPTIONS: MatmulOptions = Object.freeze({});

/**
 * Backend on WebGL2 fragment shaders: every tensor is a float32 texture (layout in tensor.ts),
 * every op one or a few fullscreen passes (ops/*), data stays on the GPU between ops and only
 * `read` brings it back, asynchronously (readback.ts). No `readSync`: a synchronous GPU read
 * would stall the pipeline. Works in a worker on an OffscreenCanvas.
 * Convolution and pooling are direct gather shaders (ops/conv.ts, ops/pool.ts); the GRU loops
 * over time steps with a few passes per step (ops/gru.ts, ops/gru-backward.ts).
 */
export class WebGl2Backend implements Backend {
  readonly name = 'webgl2' as const;
  readonly precision = 'f32' as const;
  private readonly engine: GlEngine;
  private readonly memory: GlMemory;
  /** The product dims handed to a matmul pass, reused so an op call allocates nothing. */
  private readonly dims: MatmulDims = { m: 0, n: 0, k: 0, transA: false, transB: false, accumulate: false };

  /**
   * Creates the context and checks float render targets. Rejects with WebGl2UnavailableError
   * ("WebGL2 is not available…" / "float render targets (EXT_color_buffer_float) are not
   * available…") so the caller can fall back to the CPU.
   */
  static async create(opts: WebGl2BackendOptions = {}): Promise<WebGl2Backend> {
    return WebGl2Backend.open(opts);
  }

  /** Synchronous `create` (context creation does not need to wait); throws the same errors. */
  static open(opts: WebGl2BackendOptions = {}): WebGl2Backend {
    return new WebGl2Backend(createGlContext(opts.canvas), opts);
  }

  private constructor(gl: WebGL2RenderingContext, { maxTextureSize, floatBlend }: WebGl2BackendOptions) {
    const caps = probeCapabilities(gl);
    if (floatBlend === false) caps.floatBlend = false;
    if (maxTextureSize !== undefined) {
      if (!(Number.isInteger(maxTextureSize) && maxTextureSize >= 8)) throw new Error(`webgl2: maxTextureSize must be an integer ≥ 8, got ${maxTextureSize}`);
      caps.maxTextureSize = Math.min(caps.maxTextureSize, maxTextureSize);
    }
    this.engine = new GlEngine(gl, caps);
    this.memory = new GlMemory(this.engine);
  }

  /** The GPU's texture size limit (or the one set by the maxTextureSize option). */
  get maxTextureSize(): number {
    return this.engine.caps.maxTextureSize;
  }

  // ---- memory -------------------------------------------------------------
  tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor {
    return this.memory.tensor(shape, data);
  }

  dispose(t: Tensor): void {
    this.memory.dispose(t);
  }

  write(t: Tensor, data: ArrayLike<number>): void {
    this.memory.write(t, data);
  }

  read(t: Tensor): Promise<Float32Array> {
    return this.memory.read(t);
  }

  liveTensors(): number {
    return this.memory.liveCount();
  }

  /** Texture and program counters: `textures.created` flat across steps proves no GPU allocation. */
  stats(): WebGl2Stats {
    return {
      liveTensors: this.memory.liveCount(), textures: this.engine.pool.stats(),
      programs: this.engine.programCount(), draws: this.engine.drawCount(),
    };
  }

  /** Frees pooled textures, programs and read-back buffers; live tensors become unusable. */
  destroy(): void {
    this.memory.destroy();
    this.engine.dispose();
  }

  // ---- linear algebra -----------------------------------------------------
  matmul(a: Tensor, b: Tensor, out: Tensor, opts: MatmulOptions = NO_OPTIONS): void {
    const { transA = false, transB = false } = opts;
    const A = this.h(a, 'matmul'), B = this.h(b, 'matmul'), C = this.memory.handleDeferred(out, 'matmul');
    const ar = rowsOf(a), ac = colsOf(a), br = rowsOf(b), bc = colsOf(b);
    const m = transA ? ac : ar, k = transA ? ar : ac;
    const k2 = transB ? bc : br, n = transB ? br : bc;
    if (k !== k2) throw new Error(`matmul: inner dimensions differ: ${product(a, b, opts)} (${k} vs ${k2})`);
    if (rowsOf(out) !== m || colsOf(out) !== n) throw new Error(`matmul: out is ${fmt(out)} but ${product(a, b, opts)} is [${m},${n}]`);
    if (out === a || out === b) throw new Error('matmul: out must not be one of the inputs');
    if (out.size === 0) return;
    const dims = this.setDims(m, n, k, transA, transB, this.memory.accumulates(C, opts.accumulate ?? false));
    if (k === 0) {
      if (!dims.accumulate) this.memory.zero(C);
      return;
    }
    matmulPass(this.engine, A, B, C, dims);
  }

  addRowVector(x: Tensor, bias: Tensor, out: Tensor): void {
    const X = this.h(x, 'addRowVector'), Bv = this.h(bias, 'addRowVector'), O = this.h(out, 'addRowVector');
    const [, cols] = rowsCols(x);
    if (bias.size !== cols) throw new Error(`addRowVector: bias ${fmt(bias)} does not match ${cols} columns of x ${fmt(x)}`);
    sameSize('addRowVector', x, out);
    if (x.size === 0) return;
    addRowVectorPass(this.engine, X, Bv, O, cols);
  }

  private setDims(m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): MatmulDims {
    const d = this.dims;
    d.m = m; d.n = n; d.k = k; d.transA = transA; d.transB = transB; d.accumulate = accumulate;
    return d;
  }

  linear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope = DEFAULT_LEAKY_SLOPE): void {
    const X = this.h(x, 'linear'), W = this.h(weight, 'linear'), Bv = this.h(bias, 'linear');
    const O = this.memory.handleDeferred(out, 'linear');
    checkLinear(x, weight, bias, out);
    checkKind(activation);
    if (out.size === 0) return;
    this.memory.accumulates(O, false); // every element is written: a pending zero fill is moot
    const m = rowsOf(x), k = colsOf(x), n = rowsOf(weight);
    if (k === 0) {
      this.memory.zero(O);
      addRowVectorPass(this.engine, O, Bv, O, n);
      activationPass(this.engine, activation, O, O, slope);
      return;
    }
    linearPass(this.engine, X, W, Bv, O, this.setDims(m, n, k, false, true, false), activation, slope);
  }

  sumRows(x: Tensor, out: Tensor, accumulate = false): void {
    const X = this.h(x, 'sumRows'), O = this.memory.handleDeferred(out, 'sumRows');
    const [rows, cols] = rowsCols(x);
    if (out.size !== cols) throw new Error(`sumRows: out ${fmt(out)} must hold ${cols} values for x ${fmt(x)}`);
    if (out.size === 0) return;
    accumulate = this.memory.accumulates(O, accumulate);
    if (rows === 0) {
      if (!accumulate) this.memory.zero(O);
      return;
    }
    sumRowsPass(this.engine, X, O, rows, cols, accumulate);
  }

  // ---- elementwise --------------------------------------------------------
  activation(kind: ActivationKind, x: Tensor, out: Tensor, slope = DEFAULT_LEAKY_SLOPE): void {
    const X = this.h(x, 'activation'), O = this.h(out, 'activation');
    sameSize('activation', x, out);
    checkKind(kind);
    if (x.size > 0) activationPass(this.engine, kind, X, O, slope);
  }

  activationBackward(
    kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope = DEFAULT_LEAKY_SLOPE,
  ): void {
    const op = 'activationBackward';
    const X = this.h(x, op), Y = this.h(y, op), DY = this.h(dy, op), DX = this.h(dx, op);
    sameSize(op, dy, x, y, dx);
    checkKind(kind);
    if (dy.size > 0) activationBackwardPass(this.engine, kind, X, Y, DY, DX, slope);
  }

  scale(x: Tensor, alpha: number, out: Tensor): void {
    const X = this.h(x, 'scale'), O = this.h(out, 'scale');
    sameSize('scale', x, out);
    if (x.size > 0) scalePass(this.engine, X, alpha, O);
  }

  axpy(alpha: number, x: Tensor, y: Tensor): void {
    const X = this.h(x, 'axpy'), Y = this.h(y, 'axpy');
    sameSize('axpy', x, y);
    if (x.size > 0) axpyPass(this.engine, alpha, X, Y);
  }

  mul(a: Tensor, b: Tensor, out: Tensor): void {
    const A = this.h(a, 'mul'), B = this.h(b, 'mul'), O = this.h(out, 'mul');
    sameSize('mul', a, b, out);
    if (a.size > 0) mulPass(this.engine, A, B, O);
  }

  fill(t: Tensor, value: number): void {
    this.memory.fill(this.h(t, 'fill'), value);
  }

  copy(src: Tensor, dst: Tensor): void {
    const S = this.h(src, 'copy'), D = this.h(dst, 'copy');
    sameSize('copy', src, dst);
    if (src.size > 0) copyPass(this.engine, S, D);
  }

  // ---- losses and metrics -------------------------------------------------
  softmaxCrossEntropy(
    logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, smoothing: number,
  ): void {
    const op = 'softmaxCrossEntropy';
    const Z = this.h(logits, op), Y = this.h(labels, op), P = this.h(probs, op);
    const D = this.h(dlogits, op), L = this.h(loss, op);
    const [rows, classes] = rowsCols(logits);
    if (labels.size !== rows) throw new Error(`${op}: labels ${fmt(labels)} must hold one label per row of logits ${fmt(logits)}`);
    sameSize(op, logits, probs, dlogits);
    if (loss.size !== 1) throw new Error(`${op}: loss must be a 1-element tensor, got ${fmt(loss)}`);
    if (!(smoothing >= 0 && smoothing <= 1)) throw new Error(`${op}: label smoothing must be in [0, 1], got ${smoothing}`);
    if (rows === 0 || classes === 0) throw new Error(`${op}: logits ${fmt(logits)} must have at least one row and class`);
    // Labels uploaded from the host are checked here; labels computed on the GPU cannot be
    // without a read-back, and a bad one turns the loss into NaN instead.
    if (Y.hostValid && Y.host) validateLabels(Y.host, rows, classes);
    softmaxCrossEntropyPass(this.engine, Z, Y, P, D, L, rows, classes, smoothing);
  }

  argmaxRows(x: Tensor, out: Tensor): void {
    const X = this.h(x, 'argmaxRows'), O = this.h(out, 'argmaxRows');
    const [rows, cols] = rowsCols(x);
    if (out.size !== rows) throw new Error(`argmaxRows: out ${fmt(out)} must hold ${rows} values for x ${fmt(x)}`);
    if (cols === 0) throw new Error(`argmaxRows: x ${fmt(x)} has no columns`);
    if (rows > 0) argmaxRowsPass(this.engine, X, O, cols);
  }

  sumSquares(x: Tensor, out: Tensor): void {
    const X = this.h(x, 'sumSquares'), O = this.h(out, 'sumSquares');
    if (out.size !== 1) throw new Error(`sumSquares: out must be a 1-element tensor, got ${fmt(out)}`);
    if (x.size === 0) this.memory.zero(O);
    else sumSquaresPass(this.engine, X, O);
  }

  // ---- regularization -----------------------------------------------------
  dropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void {
    const X = this.h(x, 'dropout'), M = this.h(mask, 'dropout'), O = this.h(out, 'dropout');
    sameSize('dropout', x, mask, out);
    if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be in [0, 1], got ${p}`);
    if (mask === x || mask === out) throw new Error('dropout: mask must be its own tensor');
    if (x.size > 0) dropoutPass(this.engine, X, M, O, p, seed);
  }

  // ---- optimizer updates --------------------------------------------------
  sgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void {
    const P = this.h(param, 'sgdStep'), G = this.h(grad, 'sgdStep');
    sameSize('sgdStep', param, grad);
    if (param.size > 0) sgdPass(this.engine, P, G, lr, weightDecay);
  }

  momentumStep(
    param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number,
  ): void {
    const op = 'momentumStep';
    const P = this.h(param, op), G = this.h(grad, op), V = this.h(velocity, op);
    sameSize(op, param, grad, velocity);
    if (param.size > 0) momentumPass(this.engine, P, G, V, lr, momentum, weightDecay);
  }

  adamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    const P = this.h(param, 'adamStep'), G = this.h(grad, 'adamStep');
    const M = this.h(m, 'adamStep'), V = this.h(v, 'adamStep');
    sameSize('adamStep', param, grad, m, v);
    validateAdam(p);
    if (param.size > 0) adamPass(this.engine, P, G, M, V, p);
  }

  // ---- convolution (CNN) --------------------------------------------------
  conv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, pad: number): void {
    const op = 'conv2d';
    const X = this.h(x, op), Wt = this.h(weight, op), Bs = this.h(bias, op), O = this.h(out, op);
    const g = conv2dArgs(x, weight, bias, out, pad);
    if (out.size > 0) conv2dPass(this.engine, X, Wt, Bs, O, g);
  }

  conv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, pad: number): void {
    const op = 'conv2dBackwardInput';
    const DY = this.h(dy, op), Wt = this.h(weight, op), DX = this.h(dx, op);
    const g = conv2dBackwardInputArgs(dy, weight, dx, pad);
    if (dx.size > 0) conv2dBackwardInputPass(this.engine, DY, Wt, DX, g);
  }

  conv2dBackwardWeight(
    x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, pad: number, accumulate = false,
  ): void {
    const op = 'conv2dBackwardWeight';
    const X = this.h(x, op), DY = this.h(dy, op), DW = this.h(dweight, op), DB = this.h(dbias, op);
    const g = conv2dBackwardWeightArgs(x, dy, dweight, dbias, pad);
    if (dweight === x || dweight === dy || dbias === x || dbias === dy) throw new Error(`${op}: gradients must not be written into x or dy`);
    if (dweight.size === 0) return;
    if (g.batch === 0 || g.inC === 0) {
      if (!accumulate) { this.memory.zero(DW); this.memory.zero(DB); }
      return;
    }
    conv2dBackwardWeightPass(this.engine, X, DY, DW, DB, g, accumulate);
  }

  maxPool2d(x: Tensor, out: Tensor, argmax: Tensor): void {
    const op = 'maxPool2d';
    const X = this.h(x, op), O = this.h(out, op), A = this.h(argmax, op);
    const g = poolGeometry(op, x.shape, out.shape, argmax.shape);
    if (out === argmax || out === x || argmax === x) throw new Error(`${op}: x, out and argmax must be three different tensors`);
    if (out.size > 0) maxPool2dPass(this.engine, X, O, A, g);
  }

  maxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor): void {
    const op = 'maxPool2dBackward';
    const DY = this.h(dy, op), A = this.h(argmax, op), DX = this.h(dx, op);
    const g = poolGeometry(op, dx.shape, dy.shape, argmax.shape);
    if (dx === dy || dx === argmax) throw new Error(`${op}: dx must not be dy or argmax`);
    if (dy.size === 0) this.memory.zero(DX); // no window fits: nothing flows back
    else if (dx.size > 0) maxPool2dBackwardPass(this.engine, DY, A, DX, g);
  }

  // ---- recurrent (GRU) ----------------------------------------------------
  gruForward(args: GruForwardArgs): void {
    const op = 'gruForward';
    const t = {
      xProj: this.h(args.xProj, op), whh: this.h(args.whh, op), bhh: this.h(args.bhh, op),
      lengths: this.h(args.lengths, op), hAll: this.h(args.hAll, op), cache: this.h(args.cache, op),
      hLast: this.h(args.hLast, op),
    };
    const dims = gruForwardDims(op, args);
    this.checkLengths(op, t.lengths, dims.steps);
    gruForwardPasses(this.engine, t, args.reverse, dims);
  }

  gruBackward(args: GruBackwardArgs): void {
    const op = 'gruBackward';
    const t = {
      whh: this.h(args.whh, op), lengths: this.h(args.lengths, op), hAll: this.h(args.hAll, op),
      cache: this.h(args.cache, op), dhAll: this.h(args.dhAll, op), dhLast: this.h(args.dhLast, op),
      dxProj: this.h(args.dxProj, op), dwhh: this.h(args.dwhh, op), dbhh: this.h(args.dbhh, op),
    };
    const dims = gruBackwardDims(op, args);
    this.checkLengths(op, t.lengths, dims.steps);
    gruBackwardPasses(this.engine, t, args.reverse, dims);
  }

  /**
   * Lengths uploaded from the host are checked as on the CPU; lengths computed on the GPU
   * cannot be without a read-back (a bad one then only masks steps wrongly, never reads
   * outside a texture).
   */
  private checkLengths(op: string, lengths: GlTensor, steps: number): void {
    if (lengths.hostValid && lengths.host) validateLengths(op, lengths.host, steps);
  }

  private h(t: Tensor, op: string): GlTensor {
    return this.memory.handle(t, op);
  }
}
