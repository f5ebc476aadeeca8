import { disposeParams, newParam } from '../params';
import {
  gruCacheShape,
  type Backend, type GruBackwardArgs, type GruForwardArgs, type MatmulOptions, type Tensor,
} from '../../kernels/backend';
import type { Rng } from '../../kernels/rng';
import type { Param } from '../types';
import { ColumnBlocks } from './gru-columns';
import { PerShape, STEP_FEATURES } from './gru-input';
import { Dropout } from './dropout';

const PLAIN: MatmulOptions = {};
const ACC: MatmulOptions = { accumulate: true };
const TRANS_B: MatmulOptions = { transB: true };
const TRANS_B_ACC: MatmulOptions = { transB: true, accumulate: true };
const TRANS_A_ACC: MatmulOptions = { transA: true, accumulate: true };

/** One direction of one layer: PyTorch's weight_ih, weight_hh, bias_ih, bias_hh (+ `_reverse`). */
interface Direction {
  wih: Param;
  whh: Param;
  bih: Param;
  bhh: Param;
  /** Layers above the first read (forward, backward) of the layer below: W_ih cut in two. */
  inputBlocks: ColumnBlocks | null;
  /** Between layers (training only); null on the top layer. */
  dropout: Dropout | null;
}

interface DirectionBuffers {
  hAll: Tensor;
  cache: Tensor;
  hLast: Tensor;
  forwardArgs: GruForwardArgs;
  backwardArgs: GruBackwardArgs;
  /** [T·B, H]: ∂L/∂(this direction's output as the next layer reads it); null on the top layer. */
  dOutput: Tensor | null;
}

interface ShapeBuffers {
  /** [T·B, 3H]: input projections; each direction's are consumed by its gruForward at once. */
  xProj: Tensor;
  /** [T·B, 3H]: each gruBackward's dxProj, consumed before the next. */
  dxProj: Tensor;
  /** [layer][direction]. */
  dirs: DirectionBuffers[][];
  /** [layer][part]: what each layer read in the last forward ([x] for layer 0). */
  inputs: Tensor[][];
  /** Stay zero: ∂L/∂hAll of the top layer and ∂L/∂hLast of the layers below it. */
  zeroAll: Tensor;
  zeroLast: Tensor;
}

export interface BiGruOptions {
  hidden: number;
  layers: number;
  /** Dropout on each layer's outputs except the last (training only), as nn.GRU's `dropout`. */
  dropout?: number;
  /** Values per input step (3 for drawings). */
  inputSize?: number;
  /** Seeds the dropout masks. */
  seed?: number;
}

/**
 * A stack of bidirectional GRU layers, exactly PyTorch's
 * nn.GRU(inputSize, H, L, bidirectional=True, dropout=p) on packed sequences, named `prefix.*`
 * as its state_dict. Input: PackedSequences-style time-major x [T·B, inputSize] plus lengths [B];
 * output: the top layer's final states (PyTorch's h_n[-2], h_n[-1]). The input gets no gradient.
 */
export class BiGru {
  readonly hidden: number;
  readonly layers: number;
  readonly inputSize: number;
  private readonly dirs: Direction[][];
  private readonly allParams: Param[];
  private readonly buffers: PerShape<ShapeBuffers>;
  private last: { set: ShapeBuffers; lengths: Tensor } | null = null;

  constructor(private readonly backend: Backend, readonly prefix: string, opts: BiGruOptions) {
    const { hidden: H, layers: L, dropout = 0, inputSize = STEP_FEATURES, seed = 0 } = opts;
    this.hidden = H;
    this.layers = L;
    this.inputSize = inputSize;
    this.dirs = [];
    for (let k = 0; k < L; k++) {
      const width = k === 0 ? inputSize : 2 * H;
      this.dirs.push([false, true].map((reverse, d) => {
        const suffix = `_l${k}${reverse ? '_reverse' : ''}`;
        const wih = newParam(backend, `${prefix}.weight_ih${suffix}`, [3 * H, width], true);
        return {
          wih,
          whh: newParam(backend, `${prefix}.weight_hh${suffix}`, [3 * H, H], true),
          bih: newParam(backend, `${prefix}.bias_ih${suffix}`, [3 * H], false),
          bhh: newParam(backend, `${prefix}.bias_hh${suffix}`, [3 * H], false),
          inputBlocks: k > 0 ? new ColumnBlocks(backend, wih, 2) : null,
          dropout: k + 1 < L && dropout > 0
            ? new Dropout(backend, `${prefix}.dropout${suffix}`, dropout, H, (seed ^ Math.imul(2 * k + d + 1, 0x5bd1e995)) | 0)
            : null,
        };
      }));
    }
    this.allParams = this.dirs.flatMap((pair) => pair.flatMap((p) => [p.wih, p.whh, p.bih, p.bhh]));
    this.buffers = new PerShape((batch, steps) => this.createBuffers(batch, steps), (s) => this.releaseBuffers(s));
  }

  /** In PyTorch's order: per layer, forward then reverse, each weight_ih, weight_hh, bias_ih, bias_hh. */
  params(): Param[] {
    return this.allParams;
  }

  /** As nn.GRU.reset_parameters: every tensor U(−1/√H, 1/√H), drawn in params() order. */
  init(rng: Rng): void {
    const bound = 1 / Math.sqrt(this.hidden);
    for (const p of this.allParams) {
      const values = new Float64Array(p.value.size);
      for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * bound;
      this.backend.write(p.value, values);
    }
  }

  /**
   * x [T·B, inputSize] time-major, lengths [B] (integers 0..T as floats; padded steps of x must
   * be finite). Returns [forward hLast, reverse hLast] of the top layer, each [B, H], owned by
   * the layer and valid until the next forward of the same shape.
   */
  forward(x: Tensor, lengths: Tensor, training: boolean): readonly [Tensor, Tensor] {
    const batch = lengths.size;
    const steps = batch > 0 ? x.size / (batch * this.inputSize) : 0;
    if (x.shape.length !== 2 || x.shape[1] !== this.inputSize || !Number.isInteger(steps) || steps < 1) {
      throw new Error(`${this.prefix}: input must be time-major [T·B, ${this.inputSize}] for B = ${batch} lengths, got [${x.shape.join(',')}]`);
    }
    const set = this.buffers.get(batch, steps);
    set.inputs[0][0] = x;
    for (let k = 0; k < this.layers; k++) {
      const pair = this.dirs[k];
      for (let d = 0; d < 2; d++) {
        this.project(pair[d], set.inputs[k], set.xProj);
        const args = set.dirs[k][d].forwardArgs;
        args.lengths = lengths;
        this.backend.gruForward(args);
      }
      if (k + 1 < this.layers) {
        for (let d = 0; d < 2; d++) set.inputs[k + 1][d] = passDropout(pair[d].dropout, set.dirs[k][d].hAll, training);
      }
    }
    this.last = { set, lengths };
    const top = set.dirs[this.layers - 1];
    return [top[0].hLast, top[1].hLast];
  }

  /** Given ∂L/∂(top forward hLast) and ∂L/∂(top reverse hLast), accumulates every param.grad. */
  backward(dLastForward: Tensor, dLastReverse: Tensor): void {
    if (!this.last) throw new Error(`${this.prefix}: backward called before forward`);
    const { set, lengths } = this.last;
    for (let k = this.layers - 1; k >= 0; k--) {
      for (let d = 0; d < 2; d++) {
        const dir = this.dirs[k][d], args = set.dirs[k][d].backwardArgs;
        const isTop = k === this.layers - 1;
        args.lengths = lengths;
        args.dhLast = isTop ? (d === 0 ? dLastForward : dLastReverse) : set.zeroLast;
        args.dhAll = isTop ? set.zeroAll : passDropoutBack(dir.dropout, set.dirs[k][d].dOutput!);
        this.backend.gruBackward(args);
        this.backpropProjection(dir, set, k, d);
      }
    }
  }

  dispose(): void {
    this.buffers.dispose();
    for (const pair of this.dirs) {
      for (const dir of pair) {
        dir.inputBlocks?.dispose();
        dir.dropout?.dispose();
      }
    }
    disposeParams(this.backend, this.allParams);
    this.last = null;
  }

  /** xProj = Σ_parts part·W_partᵀ + b_ih (one matmul for layer 0, two accumulating above it). */
  private project(dir: Direction, inputs: Tensor[], xProj: Tensor): void {
    if (dir.inputBlocks) {
      dir.inputBlocks.refresh();
      this.backend.matmul(inputs[0], dir.inputBlocks.blocks[0], xProj, TRANS_B);
      this.backend.matmul(inputs[1], dir.inputBlocks.blocks[1], xProj, TRANS_B_ACC);
    } else {
      this.backend.matmul(inputs[0], dir.wih.value, xProj, TRANS_B);
    }
    this.backend.addRowVector(xProj, dir.bih.value, xProj);
  }

  /**
   * From dxProj: b_ih and W_ih gradients, and (above layer 0) the gradient of the layer below's
   * outputs, which both directions of this layer read: the first overwrites, the second adds.
   */
  private backpropProjection(dir: Direction, set: ShapeBuffers, k: number, d: number): void {
    this.backend.sumRows(set.dxProj, dir.bih.grad, true);
    const inputs = set.inputs[k];
    if (!dir.inputBlocks) {
      this.backend.matmul(set.dxProj, inputs[0], dir.wih.grad, TRANS_A_ACC);
      return;
    }
    for (let part = 0; part < 2; part++) {
      dir.inputBlocks.accumulateGrad(part, set.dxProj, inputs[part]);
      const below = set.dirs[k - 1][part].dOutput!;
      this.backend.matmul(set.dxProj, dir.inputBlocks.blocks[part], below, d === 0 ? PLAIN : ACC);
    }
  }

  private createBuffers(batch: number, steps: number): ShapeBuffers {
    const b = this.backend, H = this.hidden, rows = steps * batch;
    const xProj = b.tensor([rows, 3 * H]), dxProj = b.tensor([rows, 3 * H]);
    const zeroAll = b.tensor([rows, H]), zeroLast = b.tensor([batch, H]);
    const dirs = this.dirs.map((pair, k) => pair.map((dir, d): DirectionBuffers => {
      const hAll = b.tensor([rows, H]), cache = b.tensor(gruCacheShape(steps, batch, H)), hLast = b.tensor([batch, H]);
      const common = { whh: dir.whh.value, lengths: zeroLast, reverse: d === 1, hAll, cache };
      return {
        hAll, cache, hLast,
        forwardArgs: { ...common, xProj, bhh: dir.bhh.value, hLast },
        backwardArgs: { ...common, dhAll: zeroAll, dhLast: zeroLast, dxProj, dwhh: dir.whh.grad, dbhh: dir.bhh.grad },
        dOutput: k + 1 < this.layers ? b.tensor([rows, H]) : null,
      };
    }));
    const inputs = this.dirs.map((_, k) => (k === 0 ? [zeroAll] : [zeroAll, zeroAll]));
    return { xProj, dxProj, dirs, inputs, zeroAll, zeroLast };
  }

  private releaseBuffers(s: ShapeBuffers): void {
    const owned = [s.xProj, s.dxProj, s.zeroAll, s.zeroLast];
    for (const pair of s.dirs) for (const d of pair) owned.push(d.hAll, d.cache, d.hLast, ...(d.dOutput ? [d.dOutput] : []));
    for (const t of owned) this.backend.dispose(t);
  }
}

function passDropout(dropout: Dropout | null, h: Tensor, training: boolean): Tensor {
  return dropout ? dropout.forward(h, training) : h;
}

function passDropoutBack(dropout: Dropout | null, dy: Tensor): Tensor {
  return dropout ? dropout.backward(dy) : dy;
}
