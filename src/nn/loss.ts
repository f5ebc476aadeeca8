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

/** How a run sets up its loss; absent fields = plain cross-entropy. */
export interface LossOptions {
  /** Label smoothing ε (PyTorch's `label_smoothing`); 0 = none. */
  smoothing?: number;
  /**
   * λ of the per-digit terms (loss-digit-marginals.ts) of the 100-way paired-digit cnn; other kinds
   * ignore it (cnn2head learns each digit with its own head already). 0 = off.
   */
  digitLoss?: number;
}

/** A classification loss as the trainer and evaluation use it. */
export interface ClassifierLoss {
  /** Classes of `probs` (and of the labels). */
  readonly classes: number;
  /** logits as the model returns them, labels [B] class indices. Outputs are reused per batch size. */
  forward(logits: Tensor, labels: Tensor): LossOutputs;
  /** [B, classes] scores of the last forward whose row argmax is the predicted class. */
  scores(logits: Tensor): Tensor;
  dispose(): void;
}

/**
 * Softmax cross-entropy (mean over the batch, optional label smoothing as PyTorch's
 * `label_smoothing`), owning its output buffers per batch size.
 */
export class SoftmaxCrossEntropy implements ClassifierLoss {
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

  /** The logits themselves: softmax keeps their row order. */
  scores(logits: Tensor): Tensor {
    return logits;
  }

  dispose(): void {
    this.buffers.dispose();
  }
}
