import type { RngState } from '../kernels/rng';
import type { FloatArray } from '../kernels/backend';
import type { ImageSet } from '../data/types';
import { readHost, readHostSync } from '../nn/host';
import { classCountOf, lossFor, modelInputSize, modelKind } from '../nn/models';
import type { Model } from '../nn/types';
import { Batcher, type Batch } from './batches';
import { confusedPairs } from './confusion';
import type { DigitAccuracy, EvalReport } from './types';

/** What the training loop and evaluation walk: Batcher (images) and SequenceBatcher (drawings). */
export interface BatchSource {
  readonly count: number;
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
  /** `epochs`: the run's length (epochs count from 1), for augmentation that ends before the run does. */
  shuffleForEpoch(seed: number, epoch: number, epochs?: number): void;
  /** The per-epoch augmentation stream's position (training batchers), for a checkpoint mid-epoch. */
  augmentState?(): RngState;
  restoreAugmentState?(state: RngState): void;
  batch(i: number): Batch;
  /** Index in the walked set of row r of batch i, when batches do not follow the set's order. */
  exampleAt?(i: number, r: number): number;
  dispose(): void;
}

/** Image evaluation runs in batches of this many examples (the memory estimate counts them). */
export const EVAL_BATCH = 256;
const MAX_MISCLASSIFIED = 24;
const HARDEST = 5;
// Keeps −log p finite when a float32 probability underflows to 0.
const MIN_PROB = 1e-30;

/** Running totals over evaluated batches: accuracy, plain cross-entropy, confusion, misclassified. */
export class EvalAccumulator {
  count = 0;
  correct = 0;
  lossSum = 0;
  readonly confusion: number[][];
  readonly misclassified: EvalReport['misclassified'] = [];
  /** Paired digits only: examples whose tens / ones digit was right. */
  private tensCorrect = 0;
  private onesCorrect = 0;

  constructor(
    readonly classes: number,
    /** Classes are the numbers 00..99: also count each digit's accuracy. */
    readonly digitPairs = false,
  ) {
    this.confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  }

  /** Also report the most confused class pairs (sequence models). */
  withConfusedPairs = false;

  /** probs [size, C] of examples whose indices in the evaluated set start at `offset` (or are `indexOf(r)`). */
  add(probs: FloatArray, labels: Uint8Array, size: number, offset: number, indexOf?: (r: number) => number): void {
    const C = this.classes;
    for (let r = 0; r < size; r++) {
      const label = labels[r];
      if (label >= C) throw new Error(`label ${label} is out of range for ${C} classes`);
      let best = 0;
      for (let c = 1; c < C; c++) if (probs[r * C + c] > probs[r * C + best]) best = c;
      this.lossSum -= Math.log(Math.max(MIN_PROB, probs[r * C + label]));
      this.confusion[label][best]++;
      if (this.digitPairs) this.countDigits(label, best);
      if (best === label) this.correct++;
      else if (this.misclassified.length < MAX_MISCLASSIFIED) {
        this.misclassified.push({ index: indexOf ? indexOf(r) : offset + r, label, predicted: best, confidence: probs[r * C + best] });
      }
    }
    this.count += size;
  }

  private countDigits(label: number, predicted: number): void {
    if (Math.floor(label / 10) === Math.floor(predicted / 10)) this.tensCorrect++;
    if (label % 10 === predicted % 10) this.onesCorrect++;
  }

  /** Tens and ones accuracy of paired-digit models; undefined otherwise or before any example. */
  get digitAccuracy(): DigitAccuracy | undefined {
    if (!this.digitPairs || !this.count) return undefined;
    return { tens: this.tensCorrect / this.count, ones: this.onesCorrect / this.count };
  }

  get accuracy(): number {
    return this.count ? this.correct / this.count : NaN;
  }

  get loss(): number {
    return this.count ? this.lossSum / this.count : NaN;
  }

  report(split: 'test' | 'dev', classNames: string[]): EvalReport {
    const perClassAccuracy = this.confusion.map((row, c) => {
      const total = row.reduce((a, b) => a + b, 0);
      return total ? row[c] / total : NaN;
    });
    const hardest = perClassAccuracy
      .map((acc, c) => ({ acc, c }))
      .filter((x) => !Number.isNaN(x.acc))
      .sort((a, b) => a.acc - b.acc || a.c - b.c)
      .slice(0, HARDEST)
      .map((x) => x.c);
    const report: EvalReport = {
      split,
      count: this.count,
      accuracy: this.accuracy,
      loss: this.loss,
      classes: classNames,
      perClassAccuracy,
      confusion: this.confusion,
      hardest,
      misclassified: this.misclassified,
    };
    const digits = this.digitAccuracy;
    if (digits) report.digitAccuracy = digits;
    if (this.withConfusedPairs) report.confusedPairs = confusedPairs(this.confusion);
    return report;
  }
}

/** Paired-MNIST models (the CNN page's), whose 100 classes are the numbers 10·tens + ones. */
export function isDigitPairModel(model: Model): boolean {
  return modelKind(model.kind).network === 'cnn' && classCountOf(model) === 100;
}

function outputClasses(model: Model, set: ImageSet): number {
  const C = classCountOf(model);
  if (set.classes.length && set.classes.length !== C) {
    throw new Error(`the model has ${C} outputs but the data has ${set.classes.length} classes`);
  }
  return C;
}

/** Throws when the data's values per example do not match what the model takes. */
export function checkInputSize(model: Model, valuesPerExample: number): void {
  const expected = modelInputSize(model);
  if (expected !== undefined && expected !== valuesPerExample) {
    throw new Error(`the data has ${valuesPerExample} values per example, the model expects ${expected}`);
  }
}

/** A batch's class probabilities [size, classes] from the model in inference mode, computed elsewhere (e.g. split over workers). */
export type BatchProbabilities = (batch: Batch) => Promise<FloatArray>;

/**
 * Runs the model (inference mode) over `batcher`'s examples in order, reading probabilities back
 * batch by batch. `between` is awaited after each batch (the trainer yields to the event loop there).
 * `probabilitiesOf`, when given, computes each batch's probabilities instead of the model here.
 */
export async function evaluateBatches(
  model: Model,
  batcher: BatchSource,
  acc: EvalAccumulator,
  between?: () => Promise<void> | null,
  probabilitiesOf?: BatchProbabilities,
): Promise<void> {
  const loss = lossFor(model);
  try {
    for (let i = 0; i < batcher.batchesPerEpoch; i++) {
      const b = batcher.batch(i);
      const probs = probabilitiesOf
        ? await probabilitiesOf(b)
        : await readHost(model.backend, loss.forward(model.forward(b, false), b.labels).probs);
      const indexOf = batcher.exampleAt ? (r: number) => batcher.exampleAt!(i, r) : undefined;
      acc.add(probs, b.hostLabels, b.size, i * batcher.batchSize, indexOf);
      await between?.();
    }
  } finally {
    loss.dispose();
  }
}

/** Full report on a whole set (synchronous: needs a backend with readSync, e.g. CPU). */
export function evaluate(model: Model, set: ImageSet, split: 'test' | 'dev'): EvalReport {
  const acc = new EvalAccumulator(outputClasses(model, set), isDigitPairModel(model));
  const batcher = new Batcher(model.backend, set, null, EVAL_BATCH, model.norm);
  const loss = lossFor(model);
  try {
    checkInputSize(model, batcher.inputSize);
    for (let i = 0; i < batcher.batchesPerEpoch; i++) {
      const b = batcher.batch(i);
      const out = loss.forward(model.forward(b, false), b.labels);
      acc.add(readHostSync(model.backend, out.probs), b.hostLabels, b.size, i * EVAL_BATCH);
    }
  } finally {
    loss.dispose();
    batcher.dispose();
  }
  return acc.report(split, classNames(set, acc.classes));
}

/** evaluate for any backend. */
export async function evaluateAsync(model: Model, set: ImageSet, split: 'test' | 'dev'): Promise<EvalReport> {
  const acc = new EvalAccumulator(outputClasses(model, set), isDigitPairModel(model));
  const batcher = new Batcher(model.backend, set, null, EVAL_BATCH, model.norm);
  try {
    checkInputSize(model, batcher.inputSize);
    await evaluateBatches(model, batcher, acc);
  } finally {
    batcher.dispose();
  }
  return acc.report(split, classNames(set, acc.classes));
}

function classNames(set: ImageSet, C: number): string[] {
  return set.classes.length === C ? [...set.classes] : Array.from({ length: C }, (_, i) => String(i));
}

/**
 * Softmax probabilities [count, C] for raw pixels (count × inputSize bytes, MNIST convention),
 * normalized as the model's training data was. Synchronous (CPU backend).
 */
export function predictProbs(model: Model, pixels: Uint8Array, count: number): Float32Array {
  const inputSize = modelInputSize(model);
  if (inputSize === undefined) throw new Error(`predictProbs: ${model.kind} models are not supported yet`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`);
  if (pixels.length < count * inputSize) {
    throw new Error(`expected ${count * inputSize} pixels for ${count} inputs, got ${pixels.length}`);
  }
  const C = classCountOf(model);
  const set: ImageSet = { inputShape: [inputSize], classes: [], count, pixels, labels: new Uint8Array(count) };
  const batcher = new Batcher(model.backend, set, null, Math.min(count, EVAL_BATCH), model.norm);
  const loss = lossFor(model);
  const out = new Float32Array(count * C);
  try {
    for (let i = 0; i < batcher.batchesPerEpoch; i++) {
      const b = batcher.batch(i);
      const probs = readHostSync(model.backend, loss.forward(model.forward(b, false), b.labels).probs);
      out.set(probs.subarray(0, b.size * C), i * batcher.batchSize * C);
    }
  } finally {
    loss.dispose();
    batcher.dispose();
  }
  return out;
}
