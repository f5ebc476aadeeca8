/** The BiGRU's settings, declared once: the #/rnn form, its link and `train rnn`'s flags read these. */
import type { RnnConfig } from '../../nn/types';
import { defaultRnnTrainConfig } from '../presets';
import type { RnnTrainConfig } from '../types';
import {
  averageField, batchField, cosineField, epochsField, lrField, patienceField, seedField, smoothingField, weightDecayField, withOut,
} from './fields';
import type { FlagField, NumberField, SettingField, SettingsSchema } from './schema';

type C = RnnTrainConfig;
type StrokeAugment = NonNullable<C['augment']>;
export const MAX_RNN_EPOCHS = 50;

const NO_AUGMENT: StrokeAugment = { scale: 0, stretch: 0, rotate: 0, mirror: false };

/** One stroke augmentation changed; all of them off = no augmentation at all. */
function withStroke(c: C, change: Partial<StrokeAugment>): C {
  const augment = { ...NO_AUGMENT, ...c.augment, ...change };
  const off = augment.scale === 0 && augment.stretch === 0 && augment.rotate === 0 && !augment.mirror;
  return off ? withOut(c, 'augment') : { ...c, augment };
}

function netField(
  label: string, link: string, cli: string, range: { min: number; max: number; integer?: true }, key: 'hidden' | 'layers' | 'max_len' | 'dropout' | 'head_dropout',
): NumberField<C> {
  return {
    kind: 'number', range: { label, ...range }, link, cli,
    of: (c) => (c.net[key] as number | undefined) ?? 0,
    apply: (c, value) => ({ ...c, net: { ...c.net, [key]: value } as RnnConfig }),
  };
}

function strokeField(label: string, link: string, cli: string, max: number, key: 'scale' | 'stretch' | 'rotate'): NumberField<C> {
  return {
    kind: 'number', range: { label, min: 0, max }, link, cli,
    of: (c) => c.augment?.[key] ?? 0, apply: (c, value) => withStroke(c, { [key]: value }),
  };
}

/** Flip half the training drawings left–right. */
const mirrorAugment: FlagField<C> = {
  kind: 'flag', label: 'Mirror augmentation', link: 'mirror', cli: 'augment-mirror',
  of: (c) => c.augment?.mirror === true, apply: (c, mirror) => withStroke(c, { mirror }),
};

/** The BiGRU's settings; the order is the link's and the read order. */
export const RNN_SETTINGS = {
  base: () => defaultRnnTrainConfig(),
  fields: {
    hidden: netField('Hidden size', 'hidden', 'hidden', { min: 1, max: 512, integer: true }, 'hidden'),
    layers: netField('GRU layers', 'layers', 'layers', { min: 1, max: 4, integer: true }, 'layers'),
    maxLen: netField('Max steps', 'maxlen', 'max-len', { min: 8, max: 1000, integer: true }, 'max_len'),
    epochs: epochsField<C>(MAX_RNN_EPOCHS),
    batchSize: batchField<C>(1024),
    lr: lrField<C>(1e-6, 1),
    weightDecay: weightDecayField<C>('Weight decay', 'wd'),
    average: averageField<C>('avg'),
    dropout: netField('Dropout', 'drop', 'dropout', { min: 0, max: 0.9 }, 'dropout'),
    headDropout: netField('Head dropout', 'hdrop', 'head-dropout', { min: 0, max: 0.9 }, 'head_dropout'),
    labelSmoothing: smoothingField<C>('smooth'),
    clip: {
      kind: 'number', range: { label: 'Gradient clipping', min: 0, max: 1000 }, link: 'clip', cli: 'clip',
      of: (c: C) => c.clipNorm ?? 0, apply: (c: C, clip: number) => (clip > 0 ? { ...c, clipNorm: clip } : withOut(c, 'clipNorm')),
    },
    scaleAugment: strokeField('Stroke-scale augmentation', 'aug', 'augment-scale', 0.5, 'scale'),
    stretchAugment: strokeField('Stroke-stretch augmentation', 'stretch', 'augment-stretch', 0.5, 'stretch'),
    rotateAugment: strokeField('Stroke rotation', 'rotate', 'augment-rotate', 45, 'rotate'),
    mirrorAugment,
    seed: seedField<C>(),
    trainLimit: {
      kind: 'number', range: { label: 'Training subset', min: 20, max: 10_000_000, integer: true }, link: 'limit', optional: true,
      runOption: 'trainLimit', of: () => undefined, apply: (c: C) => c,
    },
  },
  cliFields: {
    schedule: cosineField<C>(),
    patience: patienceField<C>(MAX_RNN_EPOCHS),
  },
} as const satisfies SettingsSchema<C, Record<string, SettingField<C>>>;
