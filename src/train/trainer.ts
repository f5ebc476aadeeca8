import type { Backend } from '../kernels/backend';
import { modelKind } from '../nn/models';
import type { Model } from '../nn/types';
import { Batcher, computeNorm, splitIndices } from './batches';
import { checkInputSize } from './evaluate';
import { TrainLoop } from './train-loop';
import type { TrainConfig, TrainData, TrainEvents } from './types';

export type { TrainerState } from './train-loop';

const DEV_BATCH = 256;

/**
 * Trains an image model (MLP, CNN) on `data.train`, split seeded into train/dev by
 * `trainFraction`; the loop itself (events, pause/resume/stop, NaN rollback) is TrainLoop's.
 */
export class Trainer extends TrainLoop {
  declare readonly config: TrainConfig;
  /** Indices into data.train of the examples trained on and of the dev examples. */
  readonly split: { train: Int32Array; dev: Int32Array };

  constructor(backend: Backend, config: TrainConfig, readonly data: TrainData, events: TrainEvents, model?: Model) {
    const train = data.train;
    const split = splitIndices(train.count, config.trainFraction, config.seed);
    const net = model ?? buildDefaultModel(backend, config, data);
    checkInputSize(net, train.inputShape.reduce((a, b) => a * b, 1));
    if (config.standardize && !net.norm) net.norm = computeNorm(train, split.train);
    if (config.earlyStopping && !split.dev.length) throw new Error('early stopping needs a dev split: set trainFraction below 1');
    const trainBatches = new Batcher(backend, train, split.train, config.batchSize, net.norm, config.augment);
    const devBatches = split.dev.length ? new Batcher(backend, train, split.dev, DEV_BATCH, net.norm) : null;
    super(backend, config, net, trainBatches, devBatches, events);
    this.split = split;
  }
}

function buildDefaultModel(backend: Backend, config: TrainConfig, data: TrainData): Model {
  const { train } = data;
  if (!(config.epochs >= 1) || !Number.isInteger(config.epochs)) throw new Error(`epochs must be a positive integer, got ${config.epochs}`);
  const kind = modelKind(config.model);
  return kind.build(backend, kind.fitToData(config.net, train.inputShape, train.classes.length), config.seed);
}
