import { disposeParams, newParam } from '../params';
import type { Backend, Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import { PerBatch, batchOf, type Layer } from './layer';

interface ConvBuffers {
  y: Tensor;
  dx: Tensor | null;
}

/** Spatial size after a stride-1 k×k convolution with zero padding `pad` on every side. */
export function convOutSize(size: number, kernel: number, pad: number): number {
  return size + 2 * pad - kernel + 1;
}

/**
 * 2-D convolution as PyTorch's nn.Conv2d (stride 1, cross-correlation, zero padding): weight
 * [O, C, k, k], bias [O], NCHW activations. Gradients accumulate into weight.grad / bias.grad until
 * zeroGrad. The first layer of a network reads data and is built without an input gradient, which
 * skips its conv2dBackwardInput (the most expensive backward op there).
 */
export class Conv2d implements Layer {
  readonly weight: Param;
  readonly bias: Param;
  /** Per-example output shape [O, Ho, Wo]. */
  readonly outShape: readonly [number, number, number];
  private input: Tensor | null = null;
  private readonly buffers: PerBatch<ConvBuffers>;

  constructor(
    private readonly backend: Backend,
    readonly name: string,
    /** Per-example input shape [C, H, W]. */
    readonly inShape: readonly [number, number, number],
    readonly outChannels: number,
    readonly kernel: number,
    readonly pad: number,
    private readonly needsInputGrad: boolean,
  ) {
    const [c, h, w] = inShape;
    const ho = convOutSize(h, kernel, pad);
    const wo = convOutSize(w, kernel, pad);
    if (ho < 1 || wo < 1) throw new Error(`${name}: a ${kernel}×${kernel} kernel with padding ${pad} does not fit ${h}×${w}`);
    this.outShape = [outChannels, ho, wo];
    this.weight = newParam(backend, `${name}.weight`, [outChannels, c, kernel, kernel], true);
    this.bias = newParam(backend, `${name}.bias`, [outChannels], false);
    this.buffers = new PerBatch<ConvBuffers>(
      (b) => ({
        y: backend.tensor([b, outChannels, ho, wo]),
        dx: needsInputGrad ? backend.tensor([b, c, h, w]) : null,
      }),
      (s) => {
        backend.dispose(s.y);
        if (s.dx) backend.dispose(s.dx);
      },
    );
  }

  /** Inputs per output value (C·k·k): the fan-in of He initialization. */
  get fanIn(): number {
    return this.inShape[0] * this.kernel * this.kernel;
  }

  params(): Param[] {
    return [this.weight, this.bias];
  }

  forward(x: Tensor): Tensor {
    const { y } = this.buffers.get(batchOf(x));
    this.backend.conv2d(x, this.weight.value, this.bias.value, y, this.pad);
    this.input = x;
    return y;
  }

  backward(dy: Tensor): Tensor | null {
    const x = this.input;
    if (!x) throw new Error(`${this.name}: backward called before forward`);
    this.backend.conv2dBackwardWeight(x, dy, this.weight.grad, this.bias.grad, this.pad, true);
    if (!this.needsInputGrad) return null;
    const { dx } = this.buffers.get(batchOf(dy));
    this.backend.conv2dBackwardInput(dy, this.weight.value, dx!, this.pad);
    return dx;
  }

  dispose(): void {
    this.buffers.dispose();
    disposeParams(this.backend, this.params());
    this.input = null;
  }
}
