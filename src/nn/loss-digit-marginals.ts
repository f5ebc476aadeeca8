import type { Backend, Tensor } from '../kernels/backend';
import { SoftmaxCrossEntropy, type ClassifierLoss, type LossOutputs } from './loss';

/**
 * Loss of the 100-way paired-digit classifier (cnn) with a per-digit term: logits [B, D²] over the
 * numbers 10·tens + ones, labels [B] those numbers. loss = CE over the D² numbers (with label
 * smoothing) + λ·(−log p_tens(tens) − log p_ones(ones)), batch means, where p_tens and p_ones are
 * the marginals of the same softmax seen as a D×D grid.
 *
 * Why: each number is one class in D², so plain cross-entropy teaches each digit from 1/D² of the
 * data at a time; the marginals' terms push every number that shares the right tens (or ones)
 * digit, as a per-digit classifier would, without changing the model or its file. The model
 * still predicts the argmax over the D² numbers; `probs` are the joint softmax.
 */
export class DigitMarginalLoss implements ClassifierLoss {
  readonly classes: number;
  private readonly joint: SoftmaxCrossEntropy;

  constructor(
    private readonly backend: Backend,
    readonly digits: number,
    /** λ, the weight of the two marginal cross-entropies. */
    readonly weight: number,
    smoothing = 0,
  ) {
    if (!(Number.isInteger(digits) && digits >= 1)) throw new Error(`digits per position must be a whole number ≥ 1, got ${digits}`);
    if (!(weight >= 0 && Number.isFinite(weight))) throw new Error(`the digit-marginal weight must be a number ≥ 0, got ${weight}`);
    this.classes = digits * digits;
    this.joint = new SoftmaxCrossEntropy(backend, this.classes, smoothing);
  }

  /** The joint loss's outputs (reused per batch size) with the marginal terms added into loss and dlogits. */
  forward(logits: Tensor, labels: Tensor): LossOutputs {
    const out = this.joint.forward(logits, labels);
    this.backend.gridMarginalCrossEntropy(logits, labels, this.digits, this.weight, out.dlogits, out.loss);
    return out;
  }

  scores(logits: Tensor): Tensor {
    return logits;
  }

  dispose(): void {
    this.joint.dispose();
  }
}
