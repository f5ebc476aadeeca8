import type { Backend, Tensor } from '../kernels/backend';
import { PerBatch, batchOf } from './layers/layer';

export interface LossOutputs {
  /** [1]: mean loss over the batch. */
  loss: Tensor;
  /** [B, C] softmax probabilities. */
  probs: Tensor;
  /** [B, C] dLoss/dLogits. */
  dlogits: Tensor;
}

/**
 * Softmax cross-entropy (mean over the batch, optional label smoothing as PyTorch's
 * `label_smoothing`), owning its output buffers per batch size.
 */
export class SoftmaxCrossEntropy {
  private readonly buffers: PerBatch<LossOutputs>;

  constructor(
    private readonly backend: Backend,
    readonly classes: number,
    readonly smoothing = 0,
  ) {
    if (!(smoothing >= 0 && smoothing < 1)) {
      throw new Error(`label smoothing must be in [0, 1), got ${smoothing}`);
    }
    this.buffers = new PerBatch<LossOutputs>(
      (b) => ({
        loss: backend.tensor([1]),
        probs: backend.tensor([b, classes]),
        dlogits: backend.tensor([b, classes]),
      }),
      (o) => {
        backend.dispose(o.loss);
        backend.dispose(o.probs);
        backend.dispose(o.dlogits);
      },
    );
  }

  /** logits [B, C], labels [B] class indices. The returned tensors are reused per batch size. */
  forward(logits: Tensor, labels: Tensor): LossOutputs {
    const out = this.buffers.get(batchOf(logits));
    this.backend.softmaxCrossEntropy(logits, labels, out.probs, out.dlogits, out.loss, this.smoothing);
    return out;
  }

  dispose(): void {
    this.buffers.dispose();
  }
}
