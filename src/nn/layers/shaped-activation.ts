import type { ActivationKind, Backend, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

interface Buffers {
  y: Tensor;
  dx: Tensor;
}

/**
 * Elementwise nonlinearity whose outputs keep a per-example shape (e.g. [C, H, W] feature maps,
 * which pooling and convolution check), unlike the flat [B, width] buffers of `Activation`.
 */
export class ShapedActivation implements Layer {
  private input: Tensor | null = null;
  private output: Tensor | null = null;
  private readonly buffers: PerBatch<Buffers>;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    readonly kind: ActivationKind,
    /** Per-example shape, e.g. [16, 14, 28]. */
    readonly shape: readonly number[],
    readonly slope = 0.01,
  ) {
    this.buffers = new PerBatch<Buffers>(
      (b) => ({ y: backend.tensor([b, ...shape]), dx: backend.tensor([b, ...shape]) }),
      (s) => {
        backend.dispose(s.y);
        backend.dispose(s.dx);
      },
    );
  }

  params(): Param[] {
    return [];
  }

  forward(x: Tensor): Tensor {
    const { y } = this.buffers.get(batchOf(x));
    this.backend.activation(this.kind, x, y, this.slope);
    this.input = x;
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    if (!this.input || !this.output) throw new Error(`${this.name}: backward called before forward`);
    const { dx } = this.buffers.get(batchOf(dy));
    this.backend.activationBackward(this.kind, this.input, this.output, dy, dx, this.slope);
    return dx;
  }

  dispose(): void {
    this.buffers.dispose();
    this.input = this.output = null;
  }
}
