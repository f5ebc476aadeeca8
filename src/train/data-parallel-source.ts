import type { FloatArray, Tensor } from '../kernels/backend';
import { readHost } from '../nn/host';
import { PerBatch } from '../nn/layers/layer';
import type { ClassifierLoss } from '../nn/loss';
import type { Model } from '../nn/types';
import type { Batch } from './batches';
import type { LoopConfig } from './types';

/** What one batch's gradient computation measured. */
export interface StepGradients {
  /** Mean loss over the whole batch; NaN/Inf means diverged (the grads must not be used). */
  loss: number;
  /** Examples of the batch predicted right; the loop asks after the optimizer step (a GPU read overlaps it). */
  correct(): number | Promise<number>;
}

/**
 * The seam between TrainLoop and whoever computes gradients: it zeroes the model's grads and
 * fills them with the mean gradient of the batch. The loop then clips and runs the optimizer.
 */
export interface GradientSource {
  /** Called once when the run starts (e.g. starting workers). */
  prepare?(): Promise<void>;
  /**
   * `whileWaiting`, when given, may be called once the batch's data has been read (it may then be
   * overwritten) and this thread would otherwise wait, e.g. on other workers.
   */
  compute(batch: Batch, whileWaiting?: () => void): Promise<StepGradients>;
  /** A batch's class probabilities in inference mode, where this source can share that work out (else the loop evaluates here). */
  probabilities?(batch: Batch): Promise<FloatArray>;
  dispose(): void;
}

/** What a source is built from: the loop's model (master weights), loss and settings. */
export interface GradientContext {
  model: Model;
  loss: ClassifierLoss;
  config: LoopConfig;
}

export type GradientSourceFactory = (ctx: GradientContext) => GradientSource;

/** One thread, the whole batch: forward, loss, backward on the loop's own model. */
export class LocalGradients implements GradientSource {
  private readonly preds: PerBatch<Tensor>;

  constructor(private readonly model: Model, private readonly loss: ClassifierLoss) {
    const backend = model.backend;
    this.preds = new PerBatch((b) => backend.tensor([b]), (t) => backend.dispose(t));
  }

  async compute(batch: Batch): Promise<StepGradients> {
    const { model } = this;
    const backend = model.backend;
    model.zeroGrad();
    const logits = model.forward(batch, true);
    const out = this.loss.forward(logits, batch.labels);
    const loss = (await readHost(backend, out.loss))[0];
    if (!Number.isFinite(loss)) return { loss, correct: () => 0 };
    const preds = this.preds.get(batch.size);
    backend.argmaxRows(this.loss.scores(logits), preds);
    model.backward(out.dlogits);
    return {
      loss,
      correct: async () => {
        const predicted = await readHost(backend, preds);
        let correct = 0;
        for (let r = 0; r < batch.size; r++) if (predicted[r] === batch.hostLabels[r]) correct++;
        return correct;
      },
    };
  }

  dispose(): void {
    this.preds.dispose();
  }
}
