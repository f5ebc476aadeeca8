/**
 * The CNN page's hyperparameter form (strings, so half-typed values survive), its defaults from the
 * seed CNN recipe, and the parse into a CnnTrainConfig with messages that say what to fix.
 */
import { SEED_CNN_AUGMENT, type AugmentOptions } from '../data/augment';
import { memoryProblem } from '../train/memory-estimate';
import { CNN_RECIPES, defaultCnnTrainConfig, type CnnRecipe } from '../train/presets';
import type { CnnTrainConfig } from '../train/types';
import type { TrainOptions } from '../../workers/api';
import { inRange, readRanges, type NumberRange, type ParseResult } from './hyperparams';

export type CnnVariant = CnnTrainConfig['model'];
export const CNN_VARIANTS: readonly CnnVariant[] = ['cnn', 'cnn2head'];
export const MAX_CNN_EPOCHS = 50;

export interface CnnForm {
  variant: CnnVariant;
  lr: string;
  /** Decay the learning rate along a cosine to 1% over the run (else constant). */
  cosine: boolean;
  l2: string;
  /** Dropout before the output layer(s). */
  dropout: string;
  batchSize: string;
  epochs: string;
  augment: boolean;
  /** With augmentation: re-pair the digits of each batch (new two-digit numbers every epoch). */
  remix: boolean;
  /** With augmentation: rotate each digit by up to ± this many degrees; 0 = off. */
  warpRotate: string;
  /** With augmentation: scale each digit by a factor in [1 − s, 1 + s]; 0 = off. */
  warpScale: string;
  /** Decay of the moving average of the weights that is evaluated and kept; 0 = off. */
  average: string;
  /** Early-stopping patience in epochs; 0 = off. */
  patience: string;
  seed: string;
  /** Train on only the first N pairs (quick runs); empty = all of them. */
  trainLimit: string;
}

/** The form that trains `config` (the variant, seed and subset are the caller's). */
export function cnnFormOf(config: CnnTrainConfig): CnnForm {
  return {
    variant: config.model,
    lr: String(config.optimizer.lr),
    cosine: config.lrSchedule?.kind === 'cosine',
    l2: String(config.optimizer.weightDecay),
    dropout: String(config.net.dropout ?? 0),
    batchSize: String(config.batchSize),
    epochs: String(config.epochs),
    augment: config.augment !== undefined,
    remix: config.augment?.remixHalves === true,
    warpRotate: String(config.augment?.warp?.rotate ?? 0),
    warpScale: String(config.augment?.warp?.scale ?? 0),
    average: String(config.weightAverage ?? 0),
    patience: String(config.earlyStopping?.patience ?? 0),
    seed: String(config.seed),
    trainLimit: '',
  };
}

export const DEFAULT_CNN_FORM: CnnForm = cnnFormOf(defaultCnnTrainConfig());

/** The form fields a recipe sets (the network variant, seed and subset stay as the user left them). */
export function cnnRecipeForm(recipe: CnnRecipe): Partial<CnnForm> {
  const { variant: _variant, seed: _seed, trainLimit: _limit, ...fields } = cnnFormOf(CNN_RECIPES[recipe]());
  return fields;
}

/** The CNN page's numeric fields (the subset, optional, has its own). */
export const CNN_RANGES = {
  lr: { label: 'Learning rate', min: 1e-6, max: 1 },
  l2: { label: 'L2 λ', min: 0, max: 1 },
  dropout: { label: 'Dropout', min: 0, max: 0.95 },
  batchSize: { label: 'Batch size', min: 1, max: 1024, integer: true },
  epochs: { label: 'Epochs', min: 1, max: MAX_CNN_EPOCHS, integer: true },
  average: { label: 'Weight averaging', min: 0, max: 0.99999 },
  patience: { label: 'Early-stopping patience', min: 0, max: MAX_CNN_EPOCHS, integer: true },
  seed: { label: 'Seed', min: 0, max: 2 ** 31 - 1, integer: true },
  warpRotate: { label: 'Digit rotation', min: 0, max: 45 },
  warpScale: { label: 'Digit scaling', min: 0, max: 0.45 },
} as const satisfies Record<string, NumberRange>;
export const CNN_TRAIN_LIMIT: NumberRange = { label: 'Training subset', min: 100, max: 1_000_000, integer: true };

export interface CnnRun {
  config: CnnTrainConfig;
  options: TrainOptions;
}

/** Turns the form into a training run, or the first problem found. */
export function parseCnnForm(form: CnnForm): ParseResult<CnnRun> {
  if (!CNN_VARIANTS.includes(form.variant)) return { ok: false, error: `Unknown network "${form.variant}"` };
  const fields = readRanges(CNN_RANGES, form);
  if (!fields.ok) return fields;
  const v = fields.value;
  let trainLimit: number | undefined;
  if (form.trainLimit.trim() !== '') {
    const limit = inRange(CNN_TRAIN_LIMIT, form.trainLimit);
    if (!limit.ok) return limit;
    trainLimit = limit.value;
  }
  const patience = v.patience;
  const config = defaultCnnTrainConfig({
    model: form.variant,
    batchSize: v.batchSize,
    epochs: v.epochs,
    seed: v.seed,
    augment: form.augment ? cnnAugment(form.remix, v.warpRotate, v.warpScale) : undefined,
    earlyStopping: patience > 0 ? { patience, minDelta: 1e-3 } : undefined,
    lrSchedule: form.cosine ? { kind: 'cosine', minFactor: 0.01 } : { kind: 'constant' },
    weightAverage: v.average > 0 ? v.average : undefined,
  });
  config.net = { ...config.net, dropout: v.dropout };
  config.optimizer = { ...config.optimizer, lr: v.lr, weightDecay: v.l2 };
  const memory = memoryProblem(config);
  if (memory !== null) return { ok: false, error: memory };
  return { ok: true, value: { config, options: trainLimit === undefined ? {} : { trainLimit } } };
}

function cnnAugment(remix: boolean, rotate: number, scale: number): AugmentOptions {
  return {
    ...SEED_CNN_AUGMENT,
    ...(remix ? { remixHalves: true } : {}),
    ...(rotate > 0 || scale > 0 ? { warp: { rotate, scale } } : {}),
  };
}
