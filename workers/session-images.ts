/**
 * The networks that read images (the MLP on digits, the CNN on paired digits): runs with the image
 * Trainer, evaluation with the misclassified images, the hyperparameter search, and predicting one
 * image. Each subclass says which images are loaded.
 */
import { limitImageSet } from '../src/data/split';
import type { ImageSet } from '../src/data/types';
import type { Backend } from '../src/kernels/backend';
import { autotune, type AutotuneResult, type TrialResult } from '../src/train/autotune';
import { digitConfusions } from '../src/train/confusion';
import { evaluateAsync } from '../src/train/evaluate';
import type { TrainLoop } from '../src/train/train-loop';
import { Trainer } from '../src/train/trainer';
import type { TrainConfig, TrainEvents } from '../src/train/types';
import type { AutotuneRequest, EvalResult, InkPrediction, MisclassifiedDigit } from './api';
import type { CurrentModel } from './model-slots';
import { predictProbsAsync } from './predict';
import { NetworkSession, type RunData } from './session-network';

const MISCLASSIFIED_SHOWN = 30;
/** A smaller Training subset would leave the dev split nearly empty. */
const MIN_TRAIN_LIMIT = 100;

/** Images in the worker's memory, as a run and an evaluation read them. */
export interface LoadedImages {
  train: ImageSet;
  test: ImageSet;
  classes: string[];
  datasetId: string | null;
}

interface ImageRunData extends RunData {
  train: ImageSet;
  test: ImageSet;
}

export abstract class ImageNetworkSession extends NetworkSession<TrainConfig, ImageRunData> {
  /** Runs the search on the loaded images (stop() ends it); each finished trial is reported. */
  async autotune(request: AutotuneRequest, onTrial: (trial: TrialResult) => void): Promise<AutotuneResult> {
    await this.context.ready();
    this.context.refuseWhileTraining('start a search');
    const data = this.images();
    const search = new AbortController();
    this.context.setSearch(this.slot, search);
    try {
      return await autotune({
        backend: this.context.backend, base: request.base, data: { train: data.train, test: data.test },
        subset: request.subset, epochs: request.epochs, trials: request.trials, lrSweep: request.lrSweep,
        signal: search.signal, onTrial: (t) => void onTrial(t),
      });
    } finally {
      this.context.setSearch(this.slot, null);
    }
  }

  /** The network's probabilities for one input image (null when nothing is drawn or no model fits). */
  protected async predictImage(input: Uint8Array | null, fits: (model: CurrentModel['model'], input: Uint8Array) => boolean): Promise<InkPrediction> {
    await this.context.ready();
    const model = this.liveModel();
    if (!input || !model || !fits(model, input)) return { input, probs: null };
    // A copy: the result is transferred to the page, which must never detach backend memory.
    return { input, probs: await predictProbsAsync(model, input) };
  }

  /** The images loaded for this network; throws (saying what to do) when there are none. */
  protected abstract images(): LoadedImages;

  protected runData(trainLimit: number | undefined): ImageRunData {
    const data = this.images();
    this.checkTrainLimit(trainLimit, MIN_TRAIN_LIMIT, 'examples');
    const train = trainLimit === undefined ? data.train : limitImageSet(data.train, trainLimit);
    return { train, test: data.test, classes: [...data.classes], datasetId: data.datasetId, trainCount: train.count };
  }

  protected createLoop(backend: Backend, config: TrainConfig, data: ImageRunData, events: TrainEvents): TrainLoop {
    return new Trainer(backend, config, { train: data.train, test: data.test }, events);
  }

  /** The last epoch's accuracies. */
  protected runMetrics(loop: TrainLoop): Record<string, unknown> {
    const last = loop.lastEpoch;
    return last ? { epochs: last.epoch, train_accuracy: last.trainAccuracy, dev_accuracy: last.devAccuracy } : { epochs: 0 };
  }

  protected async evaluateModel(current: CurrentModel): Promise<EvalResult> {
    const set = this.images().test;
    const report = await evaluateAsync(current.model, set, 'test');
    const perImage = set.inputShape.reduce((a, b) => a * b, 1);
    const examples: MisclassifiedDigit[] = report.misclassified.slice(0, MISCLASSIFIED_SHOWN).map((m) => ({
      ...m,
      pixels: set.pixels.slice(m.index * perImage, (m.index + 1) * perImage),
    }));
    const result: EvalResult = { report, examples, inputShape: [...set.inputShape] };
    if (report.confusion.length === 100) result.digitConfusion = digitConfusions(report.confusion);
    return result;
  }
}
