import { disposeParams, newParam } from '../params';
import type { Backend, MatmulOptions, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

interface DenseBuffers {
  y: Tensor;
  dx: Tensor | null;
}

// Hoisted so a step passes the same option objects every time (no per-step allocation).
const X_TIMES_W_T: MatmulOptions = { transB: true };
const DY_T_TIMES_X_ACC: MatmulOptions = { transA: true, accumulate: true };

/**
 * Fully connected layer as PyTorch's nn.Linear: W stored [out, in], y = x·Wᵀ + b.
 * Gradients: dW += dyᵀ·x, db += Σ_rows dy, dx = dy·W.
 */
export class Dense implements Layer {
  readonly weight: Param;
  readonly bias: Param;
  private input: Tensor | null = null;
  private readonly buffers: PerBatch<DenseBuffers>;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    readonly inSize: number,
    readonly outSize: number,
    private readonly needsInputGrad: boolean,
  ) {
    this.weight = newParam(backend, `${name}.weight`, [outSize, inSize], true);
    this.bias = newParam(backend, `${name}.bias`, [outSize], false);
    this.buffers = new PerBatch<DenseBuffers>(
      (b) => ({
        y: backend.tensor([b, outSize]),
        dx: needsInputGrad ? backend.tensor([b, inSize]) : null,
      }),
      (s) => {
        backend.dispose(s.y);
        if (s.dx) backend.dispose(s.dx);
      },
    );
  }

  params(): Param[] {
    return [this.weight, this.bias];
  }

  forward(x: Tensor): Tensor {
    if (x.size / batchOf(x) !== this.inSize) {
      throw new Error(`${this.name}: expected ${this.inSize} inputs per example, got ${x.size / batchOf(x)}`);
    }
    const { y } = this.buffers.get(batchOf(x));
    this.backend.matmul(x, this.weight.value, y, X_TIMES_W_T);
    this.backend.addRowVector(y, this.bias.value, y);
    this.input = x;
    return y;
  }

  backward(dy: Tensor): Tensor | null {
    const x = this.input;
    if (!x) throw new Error(`${this.name}: backward called before forward`);
    this.backend.matmul(dy, x, this.weight.grad, DY_T_TIMES_X_ACC);
    this.backend.sumRows(dy, this.bias.grad, true);
    if (!this.needsInputGrad) return null;
    const { dx } = this.buffers.get(batchOf(dy));
    this.backend.matmul(dy, this.weight.value, dx!);
    return dx;
  }

  dispose(): void {
    this.buffers.dispose();
    disposeParams(this.backend, this.params());
    this.input = null;
  }
}
