import type { Backend, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

interface PoolBuffers {
  y: Tensor;
  argmax: Tensor;
  dx: Tensor;
}

/**
 * Max-pool 2×2 stride 2 as PyTorch's nn.MaxPool2d(2) (odd trailing row/column dropped). The
 * forward keeps each window's winner, so backward is a scatter with no recompute.
 */
export class MaxPool2d implements Layer {
  /** Per-example output shape [C, ⌊H/2⌋, ⌊W/2⌋]. */
  readonly outShape: readonly [number, number, number];
  private active: PoolBuffers | null = null;
  private readonly buffers: PerBatch<PoolBuffers>;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    /** Per-example input shape [C, H, W]. */
    readonly inShape: readonly [number, number, number],
  ) {
    const [c, h, w] = inShape;
    if (h < 2 || w < 2) throw new Error(`${name}: 2×2 pooling needs at least 2×2 inputs, got ${h}×${w}`);
    this.outShape = [c, Math.floor(h / 2), Math.floor(w / 2)];
    const out = this.outShape;
    this.buffers = new PerBatch<PoolBuffers>(
      (b) => ({
        y: backend.tensor([b, ...out]),
        argmax: backend.tensor([b, ...out]),
        dx: backend.tensor([b, c, h, w]),
      }),
      (s) => {
        backend.dispose(s.y);
        backend.dispose(s.argmax);
        backend.dispose(s.dx);
      },
    );
  }

  params(): Param[] {
    return [];
  }

  forward(x: Tensor): Tensor {
    const s = this.buffers.get(batchOf(x));
    this.backend.maxPool2d(x, s.y, s.argmax);
    this.active = s;
    return s.y;
  }

  backward(dy: Tensor): Tensor {
    const s = this.active;
    if (!s) throw new Error(`${this.name}: backward called before forward`);
    this.backend.maxPool2dBackward(dy, s.argmax, s.dx);
    return s.dx;
  }

  dispose(): void {
    this.buffers.dispose();
    this.active = null;
  }
}
