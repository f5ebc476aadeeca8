/**
 * The RNN page's forms (strings, so half-typed values survive): the BiGRU's hyperparameters with
 * defaults from defaultRnnTrainConfig, the Quick Draw load request, and their parses into what the
 * worker takes, with messages that say what to fix.
 */
import { QUICKDRAW_ANIMALS, QUICKDRAW_DEFAULT_BASE, QUICKDRAW_DEFAULT_PER_CLASS } from '../data/quickdraw-common';
import { footprintOf, memoryProblem } from '../train/memory-estimate';
import { defaultRnnTrainConfig } from '../train/presets';
import type { RnnTrainConfig } from '../train/types';
import type { TrainOptions } from '../../workers/api';
import { inRange, numberIn, readRanges, type NumberRange, type ParseResult } from './hyperparams';

export const MAX_RNN_EPOCHS = 50;

export interface RnnForm {
  hidden: string;
  layers: string;
  maxLen: string;
  epochs: string;
  batchSize: string;
  lr: string;
  /** AdamW's decoupled weight decay. */
  weightDecay: string;
  /** Decay of the moving average of the weights that is evaluated and kept; 0 = off. */
  average: string;
  dropout: string;
  /** Dropout on the final states the classifier reads. */
  headDropout: string;
  labelSmoothing: string;
  /** Gradient-norm clipping threshold; 0 = off. */
  clip: string;
  /** Stroke-scale augmentation: (dx, dy) × a factor in [1 − s, 1 + s]; 0 = off. */
  scaleAugment: string;
  /** Per-axis stretch: dx × [1 − s, 1 + s], dy likewise, independently; 0 = off. */
  stretchAugment: string;
  /** Random rotation of the pen moves, up to ± this many degrees; 0 = off. */
  rotateAugment: string;
  /** Flip half the training drawings left–right. */
  mirrorAugment: boolean;
  seed: string;
  /** Train on only N drawings (an even share per class); empty = all of them. */
  trainLimit: string;
}

const DEFAULTS = defaultRnnTrainConfig();

export const DEFAULT_RNN_FORM: RnnForm = {
  hidden: String(DEFAULTS.net.hidden),
  layers: String(DEFAULTS.net.layers),
  maxLen: String(DEFAULTS.net.max_len),
  epochs: String(DEFAULTS.epochs),
  batchSize: String(DEFAULTS.batchSize),
  lr: String(DEFAULTS.optimizer.lr),
  weightDecay: String(DEFAULTS.optimizer.weightDecay),
  average: String(DEFAULTS.weightAverage ?? 0),
  dropout: String(DEFAULTS.net.dropout ?? 0),
  headDropout: String(DEFAULTS.net.head_dropout ?? 0),
  labelSmoothing: String(DEFAULTS.labelSmoothing ?? 0),
  clip: String(DEFAULTS.clipNorm ?? 0),
  scaleAugment: String(DEFAULTS.augment?.scale ?? 0),
  stretchAugment: String(DEFAULTS.augment?.stretch ?? 0),
  rotateAugment: String(DEFAULTS.augment?.rotate ?? 0),
  mirrorAugment: DEFAULTS.augment?.mirror === true,
  seed: String(DEFAULTS.seed),
  trainLimit: '',
};

/** The RNN page's numeric fields (the subset, optional, has its own). */
export const RNN_RANGES = {
  hidden: { label: 'Hidden size', min: 1, max: 512, integer: true },
  layers: { label: 'GRU layers', min: 1, max: 4, integer: true },
  maxLen: { label: 'Max steps', min: 8, max: 1000, integer: true },
  epochs: { label: 'Epochs', min: 1, max: MAX_RNN_EPOCHS, integer: true },
  batchSize: { label: 'Batch size', min: 1, max: 1024, integer: true },
  lr: { label: 'Learning rate', min: 1e-6, max: 1 },
  weightDecay: { label: 'Weight decay', min: 0, max: 1 },
  average: { label: 'Weight averaging', min: 0, max: 0.99999 },
  dropout: { label: 'Dropout', min: 0, max: 0.9 },
  headDropout: { label: 'Head dropout', min: 0, max: 0.9 },
  labelSmoothing: { label: 'Label smoothing', min: 0, max: 0.5 },
  clip: { label: 'Gradient clipping', min: 0, max: 1000 },
  scaleAugment: { label: 'Stroke-scale augmentation', min: 0, max: 0.5 },
  stretchAugment: { label: 'Stroke-stretch augmentation', min: 0, max: 0.5 },
  rotateAugment: { label: 'Stroke rotation', min: 0, max: 45 },
  seed: { label: 'Seed', min: 0, max: 2 ** 31 - 1, integer: true },
} as const satisfies Record<string, NumberRange>;
export const RNN_TRAIN_LIMIT: NumberRange = { label: 'Training subset', min: 20, max: 10_000_000, integer: true };

export interface RnnRun {
  config: RnnTrainConfig;
  options: TrainOptions;
}

/** Turns the form into a training run, or the first problem found. */
export function parseRnnForm(form: RnnForm): ParseResult<RnnRun> {
  const fields = readRanges(RNN_RANGES, form);
  if (!fields.ok) return fields;
  const v = (key: keyof typeof RNN_RANGES): number => fields.value[key];
  let trainLimit: number | undefined;
  if (form.trainLimit.trim() !== '') {
    const limit = inRange(RNN_TRAIN_LIMIT, form.trainLimit);
    if (!limit.ok) return limit;
    trainLimit = limit.value;
  }
  const config = defaultRnnTrainConfig({
    net: { ...DEFAULTS.net, hidden: v('hidden'), layers: v('layers'), max_len: v('maxLen'), dropout: v('dropout'),
      head_dropout: v('headDropout'),
    },
    optimizer: { ...DEFAULTS.optimizer, lr: v('lr'), weightDecay: v('weightDecay') },
    weightAverage: v('average') > 0 ? v('average') : undefined,
    epochs: v('epochs'),
    batchSize: v('batchSize'),
    labelSmoothing: v('labelSmoothing'),
    clipNorm: v('clip') > 0 ? v('clip') : undefined,
    augment: strokeAugment(v('scaleAugment'), v('stretchAugment'), v('rotateAugment'), form.mirrorAugment),
    seed: v('seed'),
  });
  const memory = memoryProblem(config);
  if (memory !== null) return { ok: false, error: memory };
  return { ok: true, value: { config, options: trainLimit === undefined ? {} : { trainLimit } } };
}

function strokeAugment(scale: number, stretch: number, rotate: number, mirror: boolean): RnnTrainConfig['augment'] {
  return scale > 0 || stretch > 0 || rotate > 0 || mirror ? { scale, stretch, rotate, mirror } : undefined;
}

/** Trainable parameters of the BiGRU (nn.GRU's weight_ih, weight_hh, bias_ih, bias_hh per direction) + fc, from the model's own shapes. */
export function rnnParameterCount(hidden: number, layers: number, classes: number): number {
  return footprintOf(defaultRnnTrainConfig({ net: { ...DEFAULTS.net, hidden, layers, outputSize: classes } })).parameters;
}

export interface QuickDrawForm {
  /** Folder URL holding `<class>.ndjson`. */
  base: string;
  /** Class names, separated by commas or new lines. */
  classes: string;
  perClass: string;
}

export interface QuickDrawRequest {
  base: string;
  classes: string[];
  perClass: number;
}

/** Under `npm start` / `vite preview` this path is proxied to Quick Draw's public simplified folder. */
export const QUICKDRAW_PROXY_BASE = '/quickdraw/';
export const MAX_PER_CLASS = 100_000;

/** Without the proxy (a static host) the Folder URL is Quick Draw's own public folder, unless another was chosen. */
export function quickDrawBaseWithoutProxy(base: string): string {
  return base === QUICKDRAW_PROXY_BASE ? QUICKDRAW_DEFAULT_BASE : base;
}

export const DEFAULT_QUICKDRAW_FORM: QuickDrawForm = {
  base: QUICKDRAW_PROXY_BASE,
  classes: QUICKDRAW_ANIMALS.join(', '),
  perClass: String(QUICKDRAW_DEFAULT_PER_CLASS),
};

export function parseClassList(text: string): string[] {
  return text.split(/[,\n]/).map((c) => c.trim()).filter((c) => c.length > 0);
}

export function parsePerClass(text: string): ParseResult<number> {
  return numberIn('Drawings per class', text, 1, MAX_PER_CLASS, { integer: true });
}

export function parseQuickDrawForm(form: QuickDrawForm): ParseResult<QuickDrawRequest> {
  const base = form.base.trim();
  if (!/^https?:\/\//i.test(base) && !base.startsWith('/') && !base.startsWith('.')) {
    return { ok: false, error: `"${form.base}" is not a folder URL: use something like https://example.org/quickdraw/ or /quickdraw/` };
  }
  const classes = parseClassList(form.classes);
  if (classes.length === 0) return { ok: false, error: 'Name at least one Quick Draw class, e.g. cat, dog' };
  const twice = classes.find((c, i) => classes.indexOf(c) !== i);
  if (twice) return { ok: false, error: `The class "${twice}" is listed twice` };
  const perClass = parsePerClass(form.perClass);
  if (!perClass.ok) return perClass;
  return { ok: true, value: { base, classes, perClass: perClass.value } };
}
