/** The MLP's settings, declared once: the #/mlp form, its link and `train mlp`'s flags read these. */
import { hiddenActivationKinds } from '../../kernels/activations';
import type { MlpConfig } from '../../nn/types';
import { defaultMlpTrainConfig } from '../presets';
import { withDecay } from '../schedule';
import type { MlpTrainConfig, OptimizerKind } from '../types';
import {
  averageField, batchField, epochsField, lrField, patienceField, seedField, smoothingField, warmupField, weightDecayField, withOut,
} from './fields';
import type { ChoiceField, ParseResult, SettingField, SettingsSchema, TextField } from './schema';

export type Activation = MlpConfig['activation'];
export type ScheduleKind = 'constant' | 'cosine';
/** The hidden activations the activation registry holds (a new one there is a new choice here). */
export const ACTIVATIONS: readonly Activation[] = hiddenActivationKinds();
export const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'momentum', 'adam'];
export const SCHEDULES: readonly ScheduleKind[] = ['cosine', 'constant'];
export const MAX_UNITS = 4096;
export const MAX_LAYERS = 8;

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

type C = MlpTrainConfig;

const hidden: TextField<C, number[]> = {
  kind: 'text', label: 'Hidden sizes', link: 'hidden', cli: 'hidden', parse: parseHidden, formLabel: 'Hidden layer sizes',
  hint: 'Comma-separated units per hidden layer; empty = a linear classifier',
  of: (c) => c.net.hidden.join(','), apply: (c, sizes) => ({ ...c, net: { ...c.net, hidden: sizes } }),
};

const activation: ChoiceField<C, Activation> = {
  kind: 'choice', label: 'Activation', choices: ACTIVATIONS, link: 'act', cli: 'activation', testId: 'activation-select',
  of: (c) => c.net.activation, apply: (c, a) => ({ ...c, net: { ...c.net, activation: a } }),
};

/** A new optimizer keeps the rate and decay; its other settings (momentum) come from later fields. */
const optimizer: ChoiceField<C, OptimizerKind> = {
  kind: 'choice', label: 'Optimizer', choices: OPTIMIZERS, link: 'opt', cli: 'optimizer', testId: 'optimizer-select',
  of: (c) => c.optimizer.kind,
  apply: (c, kind) => ({ ...c, optimizer: { kind, lr: c.optimizer.lr, weightDecay: c.optimizer.weightDecay } }),
};

const schedule: ChoiceField<C, ScheduleKind> = {
  kind: 'choice', label: 'Learning-rate schedule', choices: SCHEDULES, link: 'sched', cli: 'schedule', testId: 'schedule-select',
  formLabel: 'LR schedule', hint: 'Cosine decays the rate to 1% by the last epoch',
  of: (c) => (c.lrSchedule?.kind === 'cosine' ? 'cosine' : 'constant'),
  apply: (c, s) => ({ ...c, lrSchedule: withDecay(c.lrSchedule, s === 'cosine') }),
};

/** The MLP's settings; the order is the link's and the read order (momentum after the optimizer). */
export const MLP_SETTINGS = {
  base: () => defaultMlpTrainConfig(),
  fields: {
    hidden,
    activation,
    optimizer,
    lr: lrField<C>(0, 10, true),
    schedule,
    warmup: warmupField<C>(500, 'warm'),
    momentum: {
      kind: 'number', range: { label: 'Momentum', min: 0, max: 0.999 }, link: 'mom', cli: 'momentum', hint: 'Used by SGD + momentum',
      of: (c: C) => c.optimizer.momentum ?? 0.9,
      // Momentum acts only with the momentum optimizer.
      apply: (c: C, momentum: number) => (c.optimizer.kind === 'momentum' ? { ...c, optimizer: { ...c.optimizer, momentum } } : c),
    },
    batchSize: batchField<C>(4096),
    l2: weightDecayField<C>('L2 λ', 'l2', 'Weight decay added to the gradient (weights only)'),
    epochs: epochsField<C>(500),
    seed: seedField<C>(),
    trainPercent: {
      kind: 'number', range: { label: 'Train/dev split', min: 50, max: 99 }, link: 'split', cli: 'split', testId: 'split-input',
      formLabel: 'Train %', hint: 'The rest of the train split is the dev set',
      of: (c: C) => Math.round(c.trainFraction * 100), apply: (c: C, percent: number) => ({ ...c, trainFraction: percent / 100 }),
    },
    dropout: {
      kind: 'number', range: { label: 'Dropout', min: 0, max: 0.9 }, link: 'drop', cli: 'dropout',
      hint: 'Fraction of hidden units dropped per training step (0 = none)',
      of: (c: C) => c.net.dropout ?? 0,
      apply: (c: C, p: number) => ({ ...c, net: p > 0 ? { ...c.net, dropout: p } : withOut(c.net, 'dropout') }),
    },
    labelSmoothing: smoothingField<C>('smooth'),
  },
  cliFields: {
    average: averageField<C>(),
    patience: patienceField<C>(500),
  },
} as const satisfies SettingsSchema<C, Record<string, SettingField<C>>>;
