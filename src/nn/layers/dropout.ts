import type { Backend, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

interface DropoutBuffers {
  mask: Tensor;
  y: Tensor;
  dx: Tensor;
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
      }),
      (s) => {
        backend.dispose(s.mask);
        backend.dispose(s.y);
        backend.dispose(s.dx);
      },
    );
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
    this.backend.dropout(x, s.mask, s.y, this.p, stepSeed);
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

  dispose(): void {
    this.buffers.dispose();
    this.active = null;
  }
}
