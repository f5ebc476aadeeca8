import type { Backend } from '../kernels/backend';
import type { SequenceSet } from '../data/types';
import { classCountOf, modelKind, sequenceLayoutOf } from '../nn/models';
import type { Model } from '../nn/types';
import { SEQUENCE_EVAL_BATCH, SequenceBatcher } from './sequence-batches';
import { TrainLoop } from './train-loop';
import type { RnnTrainConfig, SequenceTrainData, TrainEvents } from './types';

/**
 * Trains the BiGRU (docs/weights.md, `rnn`) on stroke-3 drawings: length-bucketed batches of `data.train`
 * (optionally stroke-scaled), evaluated on `data.dev` each epoch; the loop is TrainLoop's.
 */
export class SequenceTrainer extends TrainLoop {
  declare readonly config: RnnTrainConfig;
  constructor(backend: Backend, config: RnnTrainConfig, readonly data: SequenceTrainData, events: TrainEvents, model?: Model) {
    checkClasses(data);
    const net = model ?? buildSequenceModel(backend, config, data);
    const { maxLen, deltaScale } = sequenceLayoutOf(net);
    if (classCountOf(net) !== data.train.classes.length) {
      throw new Error(`the model has ${classCountOf(net)} outputs but the data has ${data.train.classes.length} classes`);
    }
    const trainBatches = new SequenceBatcher(backend, data.train, null, {
      batchSize: config.batchSize, maxLen, deltaScale, augment: config.augment ?? null,
    });
    // Dev batches of the training batch's size reuse the buffers its steps allocated.
    const devBatches = data.dev.count ? devBatcher(backend, data.dev, maxLen, deltaScale, config.batchSize) : null;
    super(backend, config, net, trainBatches, devBatches, events);
  }
}

function buildSequenceModel(backend: Backend, config: RnnTrainConfig, data: SequenceTrainData): Model {
  const kind = modelKind(config.model);
  return kind.build(backend, kind.fitToData(config.net, [], data.train.classes.length), config.seed);
}

/** Dev/test batches: sorted by length once (fewest padded steps), never augmented. */
export function devBatcher(backend: Backend, set: SequenceSet, maxLen: number, deltaScale: number, batchSize = SEQUENCE_EVAL_BATCH): SequenceBatcher {
  const b = new SequenceBatcher(backend, set, null, { batchSize, maxLen, deltaScale });
  b.sortByLength();
  return b;
}

function checkClasses(data: SequenceTrainData): void {
  if (!data.train.count) throw new Error('the training split has no drawings');
  const names = data.train.classes.join('\u0000');
  for (const split of [data.dev, data.test]) {
    if (split.classes.join('\u0000') !== names) throw new Error('train, dev and test must have the same classes in the same order');
  }
}
