import { hashUniform, type Backend, type Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

interface DropoutBuffers {
  mask: Tensor;
  y: Tensor;
  dx: Tensor;
  /** Host mask for a batch slice (see BatchRows); made on first use. */
  hostMask: Float32Array | Float64Array | null;
}

/**
 * Where a slice of a batch sits in the whole batch, so an example draws the same dropout mask
 * however the batch is split across workers (data parallelism). Row R of a slice tensor is
 * example (offset + R mod rows) of the whole batch, at time step ⌊R / rows⌋ for time-major
 * sequence tensors; it gets the hash indices that row has in the unsplit tensor.
 */
export interface BatchRows {
  offset: number;
  rows: number;
  total: number;
}

const sliceOfBackend = new WeakMap<Backend, BatchRows>();

/** Training forwards on `backend` draw masks as rows of the whole batch; null = the tensor is the whole batch. */
export function setDropoutRows(backend: Backend, rows: BatchRows | null): void {
  if (rows) sliceOfBackend.set(backend, rows);
  else sliceOfBackend.delete(backend);
}

/**
 * Inverted dropout (training only; identity at inference). Each forward draws a fresh mask from
 * the backend's counter hash with a seed derived from (base seed, call count), so a run with the
 * same seed drops the same units on every backend.
 */
export class Dropout implements Layer {
  private calls = 0;
  private active: DropoutBuffers | null = null;
  private readonly buffers: PerBatch<DropoutBuffers>;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    readonly p: number,
    readonly width: number,
    private readonly seed: number,
  ) {
    if (!(p >= 0 && p < 1)) throw new Error(`${name}: dropout probability must be in [0, 1), got ${p}`);
    this.buffers = new PerBatch<DropoutBuffers>(
      (b) => ({
        mask: backend.tensor([b, width]),
        y: backend.tensor([b, width]),
        dx: backend.tensor([b, width]),
        hostMask: null,
      }),
      (s) => {
        backend.dispose(s.mask);
        backend.dispose(s.y);
        backend.dispose(s.dx);
      },
    );
  }

  /** Training forwards so far: the mask stream's position, saved and restored with a run. */
  get callCount(): number {
    return this.calls;
  }

  set callCount(calls: number) {
    this.calls = calls;
  }

  params(): Param[] {
    return [];
  }

  forward(x: Tensor, training: boolean): Tensor {
    if (!training || this.p === 0) {
      this.active = null;
      return x;
    }
    const s = this.buffers.get(batchOf(x));
    const stepSeed = (this.seed + Math.imul(++this.calls, 0x9e3779b1)) | 0;
    const slice = sliceOfBackend.get(this.backend);
    if (slice) this.sliceDropout(x, s, stepSeed, slice);
    else this.backend.dropout(x, s.mask, s.y, this.p, stepSeed);
    this.active = s;
    return s.y;
  }

  backward(dy: Tensor): Tensor {
    // Inference-mode forward passed x through untouched, so the gradient passes through too.
    if (!this.active) return dy;
    const s = this.buffers.get(batchOf(dy));
    this.backend.mul(dy, s.mask, s.dx);
    return s.dx;
  }

  /** The kernel's mask rule (cpu/dropout.ts) at the indices the rows have in the whole batch. */
  private sliceDropout(x: Tensor, s: DropoutBuffers, seed: number, slice: BatchRows): void {
    const rows = batchOf(x), width = this.width, p = this.p;
    const host = (s.hostMask ??= this.backend.precision === 'f64' ? new Float64Array(rows * width) : new Float32Array(rows * width));
    const keepScale = 1 / (1 - p);
    for (let r = 0; r < rows; r++) {
      const globalRow = Math.floor(r / slice.rows) * slice.total + slice.offset + (r % slice.rows);
      const base = globalRow * width, at = r * width;
      for (let c = 0; c < width; c++) host[at + c] = hashUniform(seed, base + c) >= p ? keepScale : 0;
    }
    this.backend.write(s.mask, host);
    this.backend.mul(x, s.mask, s.y);
  }

  dispose(): void {
    this.buffers.dispose();
    this.active = null;
  }
}
