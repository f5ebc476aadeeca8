/**
 * The hyperparameter form: what the user typed (strings, so half-typed values survive), its
 * defaults, and the parse into a TrainConfig with messages that say what to fix.
 */
import type { MlpConfig } from '../nn/types';
import { footprintOf, memoryProblem } from '../train/memory-estimate';
import { defaultMlpTrainConfig } from '../train/presets';
import type { MlpTrainConfig, OptimizerKind } from '../train/types';

export type Activation = MlpConfig['activation'];

export const ACTIVATIONS: readonly Activation[] = ['relu', 'leaky_relu', 'tanh', 'sigmoid'];
export const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'momentum', 'adam'];

export type ScheduleKind = 'constant' | 'cosine';
export const SCHEDULES: readonly ScheduleKind[] = ['cosine', 'constant'];

export interface HyperForm {
  hidden: string;
  activation: Activation;
  optimizer: OptimizerKind;
  lr: string;
  schedule: ScheduleKind;
  momentum: string;
  batchSize: string;
  l2: string;
  epochs: string;
  seed: string;
  /** Percentage of the train split used for training; the rest is the dev set. */
  trainPercent: string;
  /** Dropout after each hidden activation (training only); absent or "0" = none. */
  dropout?: string;
  /** Label smoothing ε of the loss; absent = the default recipe's. */
  labelSmoothing?: string;
}

const DEFAULTS = defaultMlpTrainConfig();

export const DEFAULT_FORM: HyperForm = {
  hidden: DEFAULTS.net.hidden.join(','),
  activation: DEFAULTS.net.activation,
  optimizer: DEFAULTS.optimizer.kind,
  lr: String(DEFAULTS.optimizer.lr),
  schedule: DEFAULTS.lrSchedule?.kind === 'cosine' ? 'cosine' : 'constant',
  momentum: '0.9',
  batchSize: String(DEFAULTS.batchSize),
  l2: String(DEFAULTS.optimizer.weightDecay),
  epochs: String(DEFAULTS.epochs),
  seed: String(DEFAULTS.seed),
  trainPercent: String(Math.round(DEFAULTS.trainFraction * 100)),
  dropout: '0',
  labelSmoothing: String(DEFAULTS.labelSmoothing ?? 0),
};

/** Learning rates that work well as a starting point for each optimizer. */
export const DEFAULT_LR: Record<OptimizerKind, string> = {
  sgd: '0.1',
  momentum: '0.05',
  adam: String(DEFAULTS.optimizer.lr),
  adamw: String(DEFAULTS.optimizer.lr),
};

export const MNIST_INPUTS = 784;
export const MNIST_CLASSES = 10;
const MAX_UNITS = 4096;
const MAX_LAYERS = 8;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** "256, 128,64" → [256, 128, 64]; empty → [] (a linear softmax classifier). */
export function parseHidden(text: string): ParseResult<number[]> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: [] };
  const parts = trimmed.split(/[\s,]+/).filter((p) => p !== '');
  const sizes: number[] = [];
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d+$/.test(part) || n < 1 || n > MAX_UNITS) {
      return { ok: false, error: `Hidden sizes: "${part}" is not a whole number between 1 and ${MAX_UNITS}` };
    }
    sizes.push(n);
  }
  if (sizes.length > MAX_LAYERS) {
    return { ok: false, error: `Hidden sizes: at most ${MAX_LAYERS} hidden layers, got ${sizes.length}` };
  }
  return { ok: true, value: sizes };
}

/** Weights + biases of a fully connected stack: Σ (in·out + out), from the model's own tensor shapes. */
export function mlpParameterCount(hidden: readonly number[], inputs = MNIST_INPUTS, classes = MNIST_CLASSES): number {
  const net = { hidden: [...hidden], activation: 'relu' as const, inputSize: inputs, outputSize: classes };
  return footprintOf(defaultMlpTrainConfig({ net })).parameters;
}

/**
 * The declared range of a numeric field: the form's validation and the link's parser both read it
 * (through the page's parse), so a link cannot set what the form would refuse.
 */
export interface NumberRange {
  label: string;
  min: number;
  max: number;
  integer?: boolean;
  /** The range is (min, max] rather than [min, max]. */
  minExclusive?: boolean;
}

/** The MLP page's numeric fields. */
export const MLP_RANGES = {
  lr: { label: 'Learning rate', min: 0, max: 10, minExclusive: true },
  momentum: { label: 'Momentum', min: 0, max: 0.999 },
  batchSize: { label: 'Batch size', min: 1, max: 4096, integer: true },
  l2: { label: 'L2 λ', min: 0, max: 1 },
  epochs: { label: 'Epochs', min: 1, max: 500, integer: true },
  seed: { label: 'Seed', min: 0, max: 2 ** 31 - 1, integer: true },
  trainPercent: { label: 'Train/dev split', min: 50, max: 99 },
  dropout: { label: 'Dropout', min: 0, max: 0.9 },
  labelSmoothing: { label: 'Label smoothing', min: 0, max: 0.5 },
} as const satisfies Record<string, NumberRange>;

/** A field's text read against its declared range. */
export function inRange(range: NumberRange, text: string): ParseResult<number> {
  return numberIn(range.label, text, range.min, range.max, range);
}

/** Each numeric field of a form read against its range; the first problem, or every value. */
export function readRanges<K extends string>(
  ranges: Record<K, NumberRange>, texts: NoInfer<Record<K, string>>,
): ParseResult<Record<K, number>> {
  const values = {} as Record<K, number>;
  for (const key of Object.keys(ranges) as K[]) {
    const read = inRange(ranges[key], texts[key]);
    if (!read.ok) return read;
    values[key] = read.value;
  }
  return { ok: true, value: values };
}

/** A number typed into a field, within [min, max] (or (min, max]), or what is wrong with it. */
export function numberIn(
  label: string, text: string, min: number, max: number, opts: { integer?: boolean; minExclusive?: boolean } = {},
): ParseResult<number> {
  const n = Number(text.trim());
  const tooLow = opts.minExclusive ? n <= min : n < min;
  if (text.trim() === '' || !Number.isFinite(n) || tooLow || n > max || (opts.integer && !Number.isInteger(n))) {
    const kind = opts.integer ? 'a whole number' : 'a number';
    const lower = opts.minExclusive ? `above ${min}` : `from ${min}`;
    return { ok: false, error: `${label}: "${text}" is not ${kind} ${lower} to ${max}` };
  }
  return { ok: true, value: n };
}

/** Turns the form into a training config, or the first problem found. */
export function parseHyperForm(form: HyperForm): ParseResult<MlpTrainConfig> {
  const hidden = parseHidden(form.hidden);
  if (!hidden.ok) return hidden;
  if (!ACTIVATIONS.includes(form.activation)) return { ok: false, error: `Unknown activation "${form.activation}"` };
  if (!OPTIMIZERS.includes(form.optimizer)) return { ok: false, error: `Unknown optimizer "${form.optimizer}"` };
  if (!SCHEDULES.includes(form.schedule)) return { ok: false, error: `Unknown learning-rate schedule "${form.schedule}"` };
  const fields = readRanges(MLP_RANGES, { ...form, dropout: form.dropout ?? '0', labelSmoothing: form.labelSmoothing ?? DEFAULT_FORM.labelSmoothing! });
  if (!fields.ok) return fields;
  const v = fields.value;
  const config: MlpTrainConfig = {
    model: 'mlp',
    net: { hidden: hidden.value, activation: form.activation, ...(v.dropout > 0 ? { dropout: v.dropout } : {}) },
    optimizer: {
      kind: form.optimizer,
      lr: v.lr,
      ...(form.optimizer === 'momentum' ? { momentum: v.momentum } : {}),
      weightDecay: v.l2,
    },
    lrSchedule: form.schedule === 'cosine' ? { kind: 'cosine', minFactor: 0.01 } : { kind: 'constant' },
    batchSize: v.batchSize,
    epochs: v.epochs,
    seed: v.seed,
    trainFraction: v.trainPercent / 100,
    ...(v.labelSmoothing > 0 ? { labelSmoothing: v.labelSmoothing } : {}),
  };
  const memory = memoryProblem(config);
  return memory === null ? { ok: true, value: config } : { ok: false, error: memory };
}
