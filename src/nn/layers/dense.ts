import { disposeParams, newParam } from '../params';
import { activationSpec } from '../../kernels/activations';
import type { ActivationKind, Backend, MatmulOptions, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

interface DenseBuffers {
  y: Tensor;
  /** Gradient before the activation (only with a fused activation). */
  dz: Tensor | null;
  dx: Tensor | null;
}

/** The nonlinearity a Dense layer applies to its own output (see Dense.canFuse). */
export interface FusedActivation {
  kind: ActivationKind;
  slope: number;
}

const IDENTITY: FusedActivation = Object.freeze({ kind: 'identity', slope: 0 });

// Hoisted so a step passes the same option objects every time (no per-step allocation).
const DY_T_TIMES_X_ACC: MatmulOptions = { transA: true, accumulate: true };

/**
 * Fully connected layer as PyTorch's nn.Linear: W stored [out, in], y = f(x·Wᵀ + b), where f is
 * the identity or a fused activation (one backend.linear call: a GPU backend then adds the bias
 * and applies f while it writes the product, instead of two more passes over the output).
 * Gradients: dz = dy ⊙ f'(·), dW += dzᵀ·x, db += Σ_rows dz, dx = dz·W.
 * f' is taken from the output y alone, which each activation says is exact or not
 * (ActivationSpec.derivativeFromOutput): canFuse asks it.
 */
export class Dense implements Layer {
  readonly weight: Param;
  readonly bias: Param;
  private input: Tensor | null = null;
  private output: Tensor | null = null;
  private readonly buffers: PerBatch<DenseBuffers>;
  private readonly activation: FusedActivation;

  /** Whether `kind` can be fused: its derivative must follow from the output alone. */
  static canFuse(kind: ActivationKind, slope: number): boolean {
    return activationSpec(kind).derivativeFromOutput(slope);
  }

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    readonly inSize: number,
    readonly outSize: number,
    private readonly needsInputGrad: boolean,
    activation: FusedActivation = IDENTITY,
  ) {
    if (!Dense.canFuse(activation.kind, activation.slope)) {
      throw new Error(`${name}: ${activation.kind} with slope ${activation.slope} cannot be fused (its derivative needs the input)`);
    }
    this.activation = activation;
    const fused = activation.kind !== 'identity';
    this.weight = newParam(backend, `${name}.weight`, [outSize, inSize], true);
    this.bias = newParam(backend, `${name}.bias`, [outSize], false);
    this.buffers = new PerBatch<DenseBuffers>(
      (b) => ({
        y: backend.tensor([b, outSize]),
        dz: fused ? backend.tensor([b, outSize]) : null,
        dx: needsInputGrad ? backend.tensor([b, inSize]) : null,
      }),
      (s) => {
        for (const t of [s.y, s.dz, s.dx]) if (t) backend.dispose(t);
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
    const { kind, slope } = this.activation;
    this.backend.linear(x, this.weight.value, this.bias.value, y, kind, slope);
    this.input = x;
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor | null {
    const x = this.input, y = this.output;
    if (!x || !y) throw new Error(`${this.name}: backward called before forward`);
    const buffers = this.buffers.get(batchOf(dy));
    const dz = this.preActivationGrad(dy, y, buffers);
    this.backend.matmul(dz, x, this.weight.grad, DY_T_TIMES_X_ACC);
    this.backend.sumRows(dz, this.bias.grad, true);
    if (!this.needsInputGrad) return null;
    this.backend.matmul(dz, this.weight.value, buffers.dx!);
    return buffers.dx;
  }

  dispose(): void {
    this.buffers.dispose();
    disposeParams(this.backend, this.params());
    this.input = this.output = null;
  }

  private preActivationGrad(dy: Tensor, y: Tensor, buffers: DenseBuffers): Tensor {
    const { kind, slope } = this.activation;
    if (kind === 'identity') return dy;
    // y stands in for the input too: see canFuse.
    this.backend.activationBackward(kind, y, y, dy, buffers.dz!, slope);
    return buffers.dz!;
  }
}
