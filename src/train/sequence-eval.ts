import type { SequenceSet } from '../data/types';
import { encodeStroke3, mirrorDrawing, mirrorSequenceSet, type Drawing } from '../data/strokes';
import { readHost } from '../nn/host';
import { SequencePacker } from '../nn/layers/gru-input';
import { classCountOf, lossFor, sequenceLayoutOf } from '../nn/models';
import type { Model } from '../nn/types';
import { EvalAccumulator, evaluateBatches } from './evaluate';
import { devBatcher } from './sequence-trainer';
import type { SequenceBatcher } from './sequence-batches';
import type { EvalReport } from './types';

export interface SequencePredictOptions {
  /**
   * Average each drawing's probabilities with its mirror image's (test-time augmentation): an
   * animal facing the other way is the same animal, and the default recipe trains on both.
   */
  mirrorAverage?: boolean;
}

export interface SequenceEvalOptions extends SequencePredictOptions {
  /**
   * Drawings per batch (default SEQUENCE_EVAL_BATCH). The GRU keeps a buffer set per (batch, padded
   * length): the batch a model was trained at reuses its training buffers instead of adding a set.
   */
  batchSize?: number;
}

/**
 * Full report of the BiGRU on a set of drawings: accuracy, loss, per-class accuracy, confusion,
 * hardest classes and the most confused class pairs. Any backend.
 */
export async function evaluateSequences(
  model: Model, set: SequenceSet, split: 'test' | 'dev', options: SequenceEvalOptions = {},
): Promise<EvalReport> {
  const C = classCountOf(model);
  if (set.classes.length && set.classes.length !== C) {
    throw new Error(`the model has ${C} outputs but the data has ${set.classes.length} classes`);
  }
  if (!set.count) throw new Error(`the ${split} split has no drawings`);
  const acc = new EvalAccumulator(C);
  acc.withConfusedPairs = true;
  const { maxLen, deltaScale } = sequenceLayoutOf(model);
  const batchers = [set, ...(options.mirrorAverage ? [mirrorSequenceSet(set)] : [])]
    .map((s) => devBatcher(model.backend, s, maxLen, deltaScale, options.batchSize));
  try {
    if (batchers.length === 1) await evaluateBatches(model, batchers[0], acc);
    else await evaluateAveraged(model, batchers[0], batchers[1], acc);
  } finally {
    for (const b of batchers) b.dispose();
  }
  const names = set.classes.length === C ? [...set.classes] : Array.from({ length: C }, (_, i) => String(i));
  return acc.report(split, names);
}

/**
 * Scores the mean of two views' probabilities. Both batchers walk sets of equal lengths sorted
 * the same way, so batch i holds the same drawings in the same rows.
 */
async function evaluateAveraged(model: Model, plain: SequenceBatcher, mirrored: SequenceBatcher, acc: EvalAccumulator): Promise<void> {
  const loss = lossFor(model);
  try {
    for (let i = 0; i < plain.batchesPerEpoch; i++) {
      const views = [plain.batch(i), mirrored.batch(i)];
      const probs: Float32Array[] = [];
      for (const b of views) probs.push(Float32Array.from(await readHost(model.backend, loss.forward(model.forward(b, false), b.labels).probs)));
      for (let j = 0; j < probs[0].length; j++) probs[0][j] = 0.5 * (probs[0][j] + probs[1][j]);
      acc.add(probs[0], views[0].hostLabels, views[0].size, i * plain.batchSize, (r) => plain.exampleAt(i, r));
    }
  } finally {
    loss.dispose();
  }
}

/** Softmax probabilities [C] of one drawing (refused when it has no points). */
export async function predictDrawing(model: Model, drawing: Drawing, options: SequencePredictOptions = {}): Promise<Float32Array> {
  const probs = await probsOf(model, drawing);
  if (!options.mirrorAverage) return probs;
  const mirrored = await probsOf(model, mirrorDrawing(drawing));
  return probs.map((p, c) => 0.5 * (p + mirrored[c]));
}

async function probsOf(model: Model, drawing: Drawing): Promise<Float32Array> {
  const { maxLen, deltaScale } = sequenceLayoutOf(model);
  const { data, length } = encodeStroke3(drawing, maxLen, deltaScale);
  const packer = new SequencePacker(model.backend);
  const loss = lossFor(model);
  const labels = model.backend.tensor([1]);
  try {
    const packed = packer.packList([data.subarray(0, 3 * length)]);
    const out = loss.forward(model.forward(packed, false), labels);
    return Float32Array.from(await readHost(model.backend, out.probs));
  } finally {
    model.backend.dispose(labels);
    loss.dispose();
    packer.dispose();
  }
}
