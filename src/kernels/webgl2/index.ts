import type {
  ActivationKind, AdamParams, FloatArray, GruBackwardArgs, GruForwardArgs, Tensor,
} from '../backend';
import { CheckedBackend } from '../checked';
import type { ConvGeometry, PoolGeometry } from '../validate-conv';
import type { GruDims } from '../validate-gru';
import { createGlContext, probeCapabilities, type GlCanvas } from './context';
import { GlEngine } from './engine';
import { GlMemory } from './memory';
import { conv2dBackwardInputPass, conv2dBackwardWeightPass, conv2dPass } from './ops/conv';
import { dropoutPass } from './ops/dropout';
import { activationBackwardPass, activationPass, axpyPass, copyPass, mulPass, scalePass } from './ops/elementwise';
import { gruForwardPasses } from './ops/gru';
import { gruBackwardPasses } from './ops/gru-backward';
import { gridMarginalCrossEntropyPass } from './ops/grid-marginal';
import { softmaxCrossEntropyPass } from './ops/loss';
import { linearPass } from './ops/linear';
import { matmulPass, type MatmulDims } from './ops/matmul';
import { adamPass, momentumPass, sgdPass } from './ops/optimizers';
import { maxPool2dBackwardPass, maxPool2dPass } from './ops/pool';
import { addRowVectorPass, argmaxRowsPass, sumRowsPass, sumSquaresPass } from './ops/rows';
import type { GlTensor } from './tensor';
import { colsOf, rowsOf } from '../validate';
import type { TexturePoolStats } from './textures';

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

/**
 * Backend on WebGL2 fragment shaders: every tensor is a float32 texture (layout in tensor.ts),
 * every op one or a few fullscreen passes (ops/*), data stays on the GPU between ops and only
 * `read` brings it back, asynchronously (readback.ts). No `readSync`: a synchronous GPU read
 * would stall the pipeline. Works in a worker on an OffscreenCanvas.
 * Convolution gathers im2col straight into the operands of the packed block matmul (ops/conv.ts;
 * thin weight gradients take a two-pass reduction, ops/conv-weight-direct.ts); pooling is a
 * direct gather shader (ops/pool.ts); the GRU loops over time steps with a few passes per step
 * (ops/gru.ts, ops/gru-backward.ts).
 */
export class WebGl2Backend extends CheckedBackend {
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
    super();
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

  protected store(t: Tensor, data: ArrayLike<number>): void {
    this.memory.write(t, data);
  }

  /** Labels and lengths uploaded from the host keep a host copy; values computed on the GPU do not. */
  protected hostValues(t: Tensor, op: string): FloatArray | undefined {
    const g = this.h(t, op);
    return g.hostValid && g.host ? g.host : undefined;
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
  protected runMatmul(
    a: Tensor, b: Tensor, out: Tensor, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean,
  ): void {
    const A = this.h(a, 'matmul'), B = this.h(b, 'matmul'), C = this.memory.handleDeferred(out, 'matmul');
    if (out.size === 0) return;
    const dims = this.setDims(m, n, k, transA, transB, this.memory.accumulates(C, accumulate));
    if (k === 0) {
      if (!dims.accumulate) this.memory.zero(C);
      return;
    }
    matmulPass(this.engine, A, B, C, dims);
  }

  protected runAddRowVector(x: Tensor, bias: Tensor, out: Tensor, _rows: number, cols: number): void {
    const X = this.h(x, 'addRowVector'), Bv = this.h(bias, 'addRowVector'), O = this.h(out, 'addRowVector');
    if (x.size > 0) addRowVectorPass(this.engine, X, Bv, O, cols);
  }

  private setDims(m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): MatmulDims {
    const d = this.dims;
    d.m = m; d.n = n; d.k = k; d.transA = transA; d.transB = transB; d.accumulate = accumulate;
    return d;
  }

  protected runLinear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, activation: ActivationKind, slope: number): void {
    const X = this.h(x, 'linear'), W = this.h(weight, 'linear'), Bv = this.h(bias, 'linear');
    const O = this.memory.handleDeferred(out, 'linear');
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

  protected runSumRows(x: Tensor, out: Tensor, rows: number, cols: number, accumulate: boolean): void {
    const X = this.h(x, 'sumRows'), O = this.memory.handleDeferred(out, 'sumRows');
    if (out.size === 0) return;
    accumulate = this.memory.accumulates(O, accumulate);
    if (rows === 0) {
      if (!accumulate) this.memory.zero(O);
      return;
    }
    sumRowsPass(this.engine, X, O, rows, cols, accumulate);
  }

  // ---- elementwise --------------------------------------------------------
  protected runActivation(kind: ActivationKind, x: Tensor, out: Tensor, slope: number): void {
    const X = this.h(x, 'activation'), O = this.h(out, 'activation');
    if (x.size > 0) activationPass(this.engine, kind, X, O, slope);
  }

  protected runActivationBackward(kind: ActivationKind, x: Tensor, y: Tensor, dy: Tensor, dx: Tensor, slope: number): void {
    const op = 'activationBackward';
    const X = this.h(x, op), Y = this.h(y, op), DY = this.h(dy, op), DX = this.h(dx, op);
    if (dy.size > 0) activationBackwardPass(this.engine, kind, X, Y, DY, DX, slope);
  }

  protected runScale(x: Tensor, alpha: number, out: Tensor): void {
    const X = this.h(x, 'scale'), O = this.h(out, 'scale');
    if (x.size > 0) scalePass(this.engine, X, alpha, O);
  }

  protected runAxpy(alpha: number, x: Tensor, y: Tensor): void {
    const X = this.h(x, 'axpy'), Y = this.h(y, 'axpy');
    if (x.size > 0) axpyPass(this.engine, alpha, X, Y);
  }

  protected runMul(a: Tensor, b: Tensor, out: Tensor): void {
    const A = this.h(a, 'mul'), B = this.h(b, 'mul'), O = this.h(out, 'mul');
    if (a.size > 0) mulPass(this.engine, A, B, O);
  }

  protected runFill(t: Tensor, value: number): void {
    this.memory.fill(this.h(t, 'fill'), value);
  }

  protected runCopy(src: Tensor, dst: Tensor): void {
    const S = this.h(src, 'copy'), D = this.h(dst, 'copy');
    if (src.size > 0) copyPass(this.engine, S, D);
  }

  // ---- losses and metrics -------------------------------------------------
  protected runSoftmaxCrossEntropy(
    logits: Tensor, labels: Tensor, probs: Tensor, dlogits: Tensor, loss: Tensor, rows: number, classes: number, smoothing: number,
  ): void {
    const op = 'softmaxCrossEntropy';
    const Z = this.h(logits, op), Y = this.h(labels, op), P = this.h(probs, op);
    const D = this.h(dlogits, op), L = this.h(loss, op);
    softmaxCrossEntropyPass(this.engine, Z, Y, P, D, L, rows, classes, smoothing);
  }

  protected runGridMarginalCrossEntropy(
    logits: Tensor, labels: Tensor, dlogits: Tensor, loss: Tensor, batch: number, gridRows: number, gridCols: number, weight: number,
  ): void {
    const op = 'gridMarginalCrossEntropy';
    const Z = this.h(logits, op), Y = this.h(labels, op), D = this.h(dlogits, op), L = this.h(loss, op);
    gridMarginalCrossEntropyPass(this.engine, Z, Y, D, L, batch, gridRows, gridCols, weight);
  }

  protected runArgmaxRows(x: Tensor, out: Tensor, rows: number, cols: number): void {
    const X = this.h(x, 'argmaxRows'), O = this.h(out, 'argmaxRows');
    if (rows > 0) argmaxRowsPass(this.engine, X, O, cols);
  }

  protected runSumSquares(x: Tensor, out: Tensor): void {
    const X = this.h(x, 'sumSquares'), O = this.h(out, 'sumSquares');
    if (x.size === 0) this.memory.zero(O);
    else sumSquaresPass(this.engine, X, O);
  }

  // ---- regularization -----------------------------------------------------
  protected runDropout(x: Tensor, mask: Tensor, out: Tensor, p: number, seed: number): void {
    const X = this.h(x, 'dropout'), M = this.h(mask, 'dropout'), O = this.h(out, 'dropout');
    if (x.size > 0) dropoutPass(this.engine, X, M, O, p, seed);
  }

  // ---- optimizer updates --------------------------------------------------
  protected runSgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay: number): void {
    const P = this.h(param, 'sgdStep'), G = this.h(grad, 'sgdStep');
    if (param.size > 0) sgdPass(this.engine, P, G, lr, weightDecay);
  }

  protected runMomentumStep(
    param: Tensor, grad: Tensor, velocity: Tensor, lr: number, momentum: number, weightDecay: number,
  ): void {
    const op = 'momentumStep';
    const P = this.h(param, op), G = this.h(grad, op), V = this.h(velocity, op);
    if (param.size > 0) momentumPass(this.engine, P, G, V, lr, momentum, weightDecay);
  }

  protected runAdamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, p: AdamParams): void {
    const P = this.h(param, 'adamStep'), G = this.h(grad, 'adamStep');
    const M = this.h(m, 'adamStep'), V = this.h(v, 'adamStep');
    if (param.size > 0) adamPass(this.engine, P, G, M, V, p);
  }

  // ---- convolution (CNN) --------------------------------------------------
  protected runConv2d(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, g: ConvGeometry): void {
    const op = 'conv2d';
    const X = this.h(x, op), Wt = this.h(weight, op), Bs = this.h(bias, op), O = this.h(out, op);
    if (out.size > 0) conv2dPass(this.engine, X, Wt, Bs, O, g);
  }

  protected runConv2dBackwardInput(dy: Tensor, weight: Tensor, dx: Tensor, g: ConvGeometry): void {
    const op = 'conv2dBackwardInput';
    const DY = this.h(dy, op), Wt = this.h(weight, op), DX = this.h(dx, op);
    if (dx.size > 0) conv2dBackwardInputPass(this.engine, DY, Wt, DX, g);
  }

  protected runConv2dBackwardWeight(
    x: Tensor, dy: Tensor, dweight: Tensor, dbias: Tensor, g: ConvGeometry, accumulate: boolean,
  ): void {
    const op = 'conv2dBackwardWeight';
    const X = this.h(x, op), DY = this.h(dy, op), DW = this.h(dweight, op), DB = this.h(dbias, op);
    if (dweight.size === 0) return;
    if (g.batch === 0 || g.inC === 0) {
      if (!accumulate) { this.memory.zero(DW); this.memory.zero(DB); }
      return;
    }
    conv2dBackwardWeightPass(this.engine, X, DY, DW, DB, g, accumulate);
  }

  protected runMaxPool2d(x: Tensor, out: Tensor, argmax: Tensor, g: PoolGeometry): void {
    const op = 'maxPool2d';
    const X = this.h(x, op), O = this.h(out, op), A = this.h(argmax, op);
    if (out.size > 0) maxPool2dPass(this.engine, X, O, A, g);
  }

  protected runMaxPool2dBackward(dy: Tensor, argmax: Tensor, dx: Tensor, g: PoolGeometry): void {
    const op = 'maxPool2dBackward';
    const DY = this.h(dy, op), A = this.h(argmax, op), DX = this.h(dx, op);
    if (dy.size === 0) this.memory.zero(DX); // no window fits: nothing flows back
    else if (dx.size > 0) maxPool2dBackwardPass(this.engine, DY, A, DX, g);
  }

  // ---- recurrent (GRU) ----------------------------------------------------
  protected runGruForward(args: GruForwardArgs, dims: GruDims): void {
    const op = 'gruForward';
    const t = {
      xProj: this.h(args.xProj, op), whh: this.h(args.whh, op), bhh: this.h(args.bhh, op),
      lengths: this.h(args.lengths, op), hAll: this.h(args.hAll, op), cache: this.h(args.cache, op),
      hLast: this.h(args.hLast, op),
    };
    gruForwardPasses(this.engine, t, args.reverse, dims);
  }

  protected runGruBackward(args: GruBackwardArgs, dims: GruDims): void {
    const op = 'gruBackward';
    const t = {
      whh: this.h(args.whh, op), lengths: this.h(args.lengths, op), hAll: this.h(args.hAll, op),
      cache: this.h(args.cache, op), dhAll: this.h(args.dhAll, op), dhLast: this.h(args.dhLast, op),
      dxProj: this.h(args.dxProj, op), dwhh: this.h(args.dwhh, op), dbhh: this.h(args.dbhh, op),
    };
    gruBackwardPasses(this.engine, t, args.reverse, dims);
  }

  private h(t: Tensor, op: string): GlTensor {
    return this.memory.handle(t, op);
  }
}
