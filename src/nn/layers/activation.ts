import type { ActivationKind, Backend, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

interface ActivationBuffers {
  y: Tensor;
  dx: Tensor;
}

/** Elementwise nonlinearity; keeps its input (relu/leaky need it) and output (tanh/sigmoid need it). */
export class Activation implements Layer {
  private input: Tensor | null = null;
  private output: Tensor | null = null;
  private readonly buffers: PerBatch<ActivationBuffers>;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    readonly kind: ActivationKind,
    /** Values per example. */
    readonly width: number,
    readonly slope = 0.01,
  ) {
    this.buffers = new PerBatch<ActivationBuffers>(
      (b) => ({ y: backend.tensor([b, width]), dx: backend.tensor([b, width]) }),
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
    const y = this.buffersFor(x).y;
    this.backend.activation(this.kind, x, y, this.slope);
    this.input = x;
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    if (!this.input || !this.output) throw new Error(`${this.name}: backward called before forward`);
    const dx = this.buffersFor(dy).dx;
    this.backend.activationBackward(this.kind, this.input, this.output, dy, dx, this.slope);
    return dx;
  }

  dispose(): void {
    this.buffers.dispose();
    this.input = this.output = null;
  }

  private buffersFor(x: Tensor): ActivationBuffers {
    return this.buffers.get(batchOf(x));
  }
}
