import type { Backend, MatmulOptions, Tensor } from '../kernels/backend';
import { PerBatch, batchOf } from './layers/layer';
import { SoftmaxCrossEntropy, type ClassifierLoss, type LossOutputs } from './loss';

interface Buffers {
  joint: Tensor;
  /** Returned by forward: dlogits is ours, loss and probs are the joint loss's (stable per batch size). */
  out: LossOutputs;
}

const TIMES_T: MatmulOptions = { transB: true };

/**
 * Loss of a two-headed digit classifier (cnn2head): logits [B, 2·D] = head1's D (tens) then head2's
 * D (ones), labels [B] the numbers 10·tens + ones; loss = CE(head1, tens) + CE(head2, ones), each a
 * batch mean as PyTorch's CrossEntropyLoss.
 *
 * Computed as ONE softmax cross-entropy over the D² numbers with joint logits
 * J[t·D + o] = z1[t] + z2[o] (J = logits·M for a constant 0/1 matrix M [2D, D²]). Then
 * softmax(J) = p1 ⊗ p2, so −log softmax(J)[y] = CE1 + CE2 exactly; ∂L/∂J·Mᵀ sums the joint gradient
 * back to (p1 − onehot(tens))/B and (p2 − onehot(ones))/B, the two heads' own gradients; and the
 * probabilities and argmax come out over the D² numbers, so whole-number accuracy needs nothing
 * extra. No digit labels have to be derived on the backend. Label smoothing, if any, applies to the
 * joint distribution.
 */
export class TwoHeadLoss implements ClassifierLoss {
  readonly classes: number;
  private readonly joint: SoftmaxCrossEntropy;
  private readonly combine: Tensor;
  private readonly buffers: PerBatch<Buffers>;

  constructor(
    private readonly backend: Backend,
    readonly digits = 10,
    smoothing = 0,
  ) {
    const d = digits;
    this.classes = d * d;
    this.joint = new SoftmaxCrossEntropy(backend, this.classes, smoothing);
    const m = new Float32Array(2 * d * this.classes);
    for (let t = 0; t < d; t++) {
      for (let o = 0; o < d; o++) {
        m[t * this.classes + t * d + o] = 1;
        m[(d + o) * this.classes + t * d + o] = 1;
      }
    }
    this.combine = backend.tensor([2 * d, this.classes], m);
    this.buffers = new PerBatch<Buffers>(
      (b) => {
        const dlogits = backend.tensor([b, 2 * d]);
        return { joint: backend.tensor([b, this.classes]), out: { loss: dlogits, probs: dlogits, dlogits } };
      },
      (s) => {
        backend.dispose(s.joint);
        backend.dispose(s.out.dlogits);
      },
    );
  }

  forward(logits: Tensor, labels: Tensor): LossOutputs {
    const s = this.buffers.get(batchOf(logits));
    this.backend.matmul(logits, this.combine, s.joint);
    const joint = this.joint.forward(s.joint, labels);
    this.backend.matmul(joint.dlogits, this.combine, s.out.dlogits, TIMES_T);
    s.out.loss = joint.loss;
    s.out.probs = joint.probs;
    return s.out;
  }

  /** The joint logits of the last forward (argmax = 10·argmax(head1) + argmax(head2)). */
  scores(logits: Tensor): Tensor {
    return this.buffers.get(batchOf(logits)).joint;
  }

  dispose(): void {
    this.joint.dispose();
    this.buffers.dispose();
    this.backend.dispose(this.combine);
  }
}
