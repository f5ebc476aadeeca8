import type { SequenceSet } from '../data/types';
import { encodeStroke3, type Drawing } from '../data/strokes';
import { readHost } from '../nn/host';
import { SequencePacker } from '../nn/layers/gru-input';
import { classCountOf, lossFor } from '../nn/models';
import type { RnnModel } from '../nn/models/rnn';
import { EvalAccumulator, evaluateBatches } from './evaluate';
import { devBatcher } from './sequence-trainer';
import type { EvalReport } from './types';

/**
 * Full report of the BiGRU on a set of drawings: accuracy, loss, per-class accuracy, confusion,
 * hardest classes and the most confused class pairs. Any backend.
 */
export async function evaluateSequences(model: RnnModel, set: SequenceSet, split: 'test' | 'dev'): Promise<EvalReport> {
  const C = classCountOf(model);
  if (set.classes.length && set.classes.length !== C) {
    throw new Error(`the model has ${C} outputs but the data has ${set.classes.length} classes`);
  }
  if (!set.count) throw new Error(`the ${split} split has no drawings`);
  const acc = new EvalAccumulator(C);
  acc.withConfusedPairs = true;
  const batcher = devBatcher(model.backend, set, model.config.max_len, model.config.delta_scale);
  try {
    await evaluateBatches(model, batcher, acc);
  } finally {
    batcher.dispose();
  }
  const names = set.classes.length === C ? [...set.classes] : Array.from({ length: C }, (_, i) => String(i));
  return acc.report(split, names);
}

/** Softmax probabilities [C] of one drawing (refused when it has no points). */
export async function predictDrawing(model: RnnModel, drawing: Drawing): Promise<Float32Array> {
  const { max_len, delta_scale } = model.config;
  const { data, length } = encodeStroke3(drawing, max_len, delta_scale);
  const packer = new SequencePacker(model.backend);
  const loss = lossFor(model);
  const labels = model.backend.tensor([1]);
  try {
    const packed = packer.packList([data.subarray(0, 3 * length)]);
    const out = loss.forward(model.forwardSequences(packed, false), labels);
    return Float32Array.from(await readHost(model.backend, out.probs));
  } finally {
    model.backend.dispose(labels);
    loss.dispose();
    packer.dispose();
  }
}
