/** The BiGRU's settings, declared once: the #/rnn form, its link and `train rnn`'s flags read these. */
import type { RnnConfig } from '../../nn/types';
import { RNN_RECIPES, defaultRnnTrainConfig } from '../presets';
import type { RnnTrainConfig } from '../types';
import {
  averageField, batchField, cosineField, epochsField, lrField, patienceField, seedField, smoothingField, warmupField, weightDecayField, withOut,
} from './fields';
import type { FlagField, NumberField, SettingField, SettingsSchema } from './schema';

type C = RnnTrainConfig;
type StrokeAugment = NonNullable<C['augment']>;
export const MAX_RNN_EPOCHS = 50;

const NO_AUGMENT: StrokeAugment = { scale: 0, stretch: 0, rotate: 0, mirror: false };

const LATER_STROKE_OPTIONS = ['dropPoints', 'swapStrokes'] as const;

/** One stroke augmentation changed; all of them off = no augmentation at all. */
function withStroke(c: C, change: Partial<StrokeAugment>): C {
  const augment: StrokeAugment = { ...NO_AUGMENT, ...c.augment, ...change };
  // These came later: left out when off, a config keeps the shape it had (saved runs compare equal).
  for (const key of LATER_STROKE_OPTIONS) if (!augment[key]) delete augment[key];
  // Every augmentation is off at 0 or false, so a new one needs no change here.
  const off = !Object.values(augment).some(Boolean);
  return off ? withOut(c, 'augment') : { ...c, augment };
}

type NetKey = 'hidden' | 'layers' | 'max_len' | 'dropout' | 'head_dropout';

function netField(
  label: string, link: string, cli: string, range: { min: number; max: number; integer?: true }, key: NetKey,
  form: { hint: string; formLabel?: string },
): NumberField<C> {
  return {
    kind: 'number', range: { label, ...range }, link, cli, ...form,
    of: (c) => (c.net[key] as number | undefined) ?? 0,
    apply: (c, value) => ({ ...c, net: { ...c.net, [key]: value } as RnnConfig }),
  };
}

function strokeField(
  label: string, link: string, cli: string, max: number, key: 'scale' | 'stretch' | 'rotate' | 'dropPoints' | 'swapStrokes', form: { hint: string; formLabel: string },
): NumberField<C> {
  return {
    kind: 'number', range: { label, min: 0, max }, link, cli, ...form,
    of: (c) => c.augment?.[key] ?? 0, apply: (c, value) => withStroke(c, { [key]: value }),
  };
}

/** Flip half the training drawings left–right. */
const mirrorAugment: FlagField<C> = {
  kind: 'flag', label: 'Mirror augmentation', link: 'mirror', cli: 'augment-mirror', testId: 'mirror-augment-checkbox',
  formLabel: 'Mirror half the drawings',
  hint: 'Augmentation: flip each training drawing left–right with probability ½ (an animal facing the other way is the same animal)',
  of: (c) => c.augment?.mirror === true, apply: (c, mirror) => withStroke(c, { mirror }),
};

/** The BiGRU's settings; the order is the link's and the read order. */
export const RNN_SETTINGS = {
  base: () => defaultRnnTrainConfig(),
  recipes: RNN_RECIPES,
  fields: {
    hidden: netField('Hidden size', 'hidden', 'hidden', { min: 1, max: 512, integer: true }, 'hidden', { hint: 'GRU units per direction' }),
    layers: netField('GRU layers', 'layers', 'layers', { min: 1, max: 4, integer: true }, 'layers', {
      formLabel: 'Layers', hint: 'Stacked bidirectional GRU layers (1–4)',
    }),
    maxLen: netField('Max steps', 'maxlen', 'max-len', { min: 8, max: 1000, integer: true }, 'max_len', {
      hint: 'Points read per drawing; longer drawings are cut',
    }),
    epochs: epochsField<C>(MAX_RNN_EPOCHS),
    batchSize: batchField<C>(1024),
    lr: lrField<C>(1e-6, 1),
    warmup: warmupField<C>(MAX_RNN_EPOCHS, 'warm'),
    weightDecay: weightDecayField<C>('Weight decay', 'wd', "AdamW's decoupled decay of the weights per step (× learning rate)"),
    average: averageField<C>('avg'),
    dropout: netField('Dropout', 'drop', 'dropout', { min: 0, max: 0.9 }, 'dropout', { hint: 'Between GRU layers (needs 2+ layers)' }),
    headDropout: netField('Head dropout', 'hdrop', 'head-dropout', { min: 0, max: 0.9 }, 'head_dropout', {
      hint: 'On the two final states the classifier reads (training only); 0 = off',
    }),
    labelSmoothing: smoothingField<C>('smooth'),
    clip: {
      kind: 'number', range: { label: 'Gradient clipping', min: 0, max: 1000 }, link: 'clip', cli: 'clip',
      formLabel: 'Clip norm', hint: 'Global gradient-norm clipping; 0 = off',
      of: (c: C) => c.clipNorm ?? 0, apply: (c: C, clip: number) => (clip > 0 ? { ...c, clipNorm: clip } : withOut(c, 'clipNorm')),
    },
    scaleAugment: strokeField('Stroke-scale augmentation', 'aug', 'augment-scale', 0.5, 'scale', {
      formLabel: 'Stroke scale ±', hint: "Augmentation: each training drawing's moves × a random factor in [1 − s, 1 + s]; 0 = off",
    }),
    stretchAugment: strokeField('Stroke-stretch augmentation', 'stretch', 'augment-stretch', 0.5, 'stretch', {
      formLabel: 'Stretch ±', hint: 'Augmentation: dx and dy each × their own random factor in [1 − s, 1 + s]; 0 = off',
    }),
    rotateAugment: strokeField('Stroke rotation', 'rotate', 'augment-rotate', 45, 'rotate', {
      formLabel: 'Rotate ± (°)', hint: 'Augmentation: the pen moves turned by a random angle up to this many degrees; 0 = off',
    }),
    mirrorAugment,
    dropPointsAugment: strokeField('Point dropping', 'dropp', 'augment-drop', 0.5, 'dropPoints', {
      formLabel: 'Drop points', hint: 'Augmentation: each point inside a stroke left out with this probability (the stroke passes straight to the next point); 0 = off',
    }),
    swapStrokesAugment: strokeField('Stroke swapping', 'swap', 'augment-swap', 1, 'swapStrokes', {
      formLabel: 'Swap strokes', hint: 'Augmentation: each pair of neighbouring strokes drawn in the other order with this probability (every point stays in place); 0 = off',
    }),
    seed: seedField<C>(),
    trainLimit: {
      kind: 'number', range: { label: 'Training subset', min: 20, max: 10_000_000, integer: true }, link: 'limit', optional: true,
      formLabel: 'Train on N drawings', hint: 'Empty = all; an even share per class, for quick runs',
      runOption: 'trainLimit', of: () => undefined, apply: (c: C) => c,
    },
  },
  cliFields: {
    schedule: cosineField<C>(),
    patience: patienceField<C>(MAX_RNN_EPOCHS),
  },
} as const satisfies SettingsSchema<C, Record<string, SettingField<C>>>;
