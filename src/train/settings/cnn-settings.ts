/** The CNN's settings (both variants), declared once: the #/cnn form, its link and `train cnn`'s flags read these. */
import { SEED_CNN_AUGMENT, type AugmentOptions } from '../../data/augment';
import { CNN_RECIPES, defaultCnnTrainConfig } from '../presets';
import type { CnnTrainConfig } from '../types';
import {
  averageField, batchField, cosineField, epochsField, lrField, patienceField, seedField, smoothingField, warmupField, weightDecayField, withOut,
} from './fields';
import type { ChoiceField, FlagField, NumberField, SettingField, SettingsSchema } from './schema';

type C = CnnTrainConfig;
export type CnnVariant = C['model'];
export const CNN_VARIANTS: readonly CnnVariant[] = ['cnn', 'cnn2head'];
export const MAX_CNN_EPOCHS = 50;

/** Augmentation settings act only while augmentation is on. */
function withAugment(c: C, change: (augment: AugmentOptions) => AugmentOptions): C {
  return c.augment ? { ...c, augment: change(c.augment) } : c;
}

/** Rotation and scaling of each digit; both 0 = no warp. */
function withWarp(augment: AugmentOptions, rotate: number, scale: number): AugmentOptions {
  return rotate > 0 || scale > 0 ? { ...augment, warp: { rotate, scale } } : withOut(augment, 'warp');
}

const variant: ChoiceField<C, CnnVariant> = {
  kind: 'choice', label: 'Network', choices: CNN_VARIANTS, link: 'net', testId: 'variant-select',
  hint: 'One 100-way classifier, or one 10-way head per digit',
  of: (c) => c.model, apply: (c, model) => ({ ...c, model }),
};

const augment: FlagField<C> = {
  kind: 'flag', label: 'Augmentation', link: 'aug', cli: 'augment', testId: 'augment-checkbox',
  formLabel: 'Augmentation (shift ±2 px, contrast jitter)', hint: 'Random shifts of ±2 px and contrast/brightness jitter, per training batch',
  of: (c) => c.augment !== undefined,
  apply: (c, on) => (on ? { ...c, augment: c.augment ?? { ...SEED_CNN_AUGMENT } } : withOut(c, 'augment')),
};

/**
 * Per-pixel standardization with the training subset's mean and std (the seed recipe). Off, the
 * input is pixels/255: ink that a shift or a warp moves onto a border pixel (std floored at 0.05)
 * would otherwise arrive ~20× larger than elsewhere, which slowed short runs.
 */
const standardize: FlagField<C> = {
  kind: 'flag', label: 'Standardize inputs', link: 'std', cli: 'standardize', testId: 'standardize-checkbox',
  formLabel: 'Standardize each pixel',
  hint: 'Subtract each pixel\'s mean and divide by its std over the training pairs (kept in the weight file); off = pixels / 255',
  of: (c) => c.standardize === true,
  apply: (c, on) => ({ ...c, standardize: on }),
};

/** Re-pair the digits of each batch (new two-digit numbers every epoch). */
const remix: FlagField<C> = {
  kind: 'flag', label: 'Re-paired digits', link: 'remix', cli: 'remix-halves', testId: 'remix-checkbox',
  formLabel: 'Re-pair digits in every batch',
  hint: 'Deal the right-hand digits of each batch to new partners: the same digit images make new two-digit numbers every epoch, so the 100-way classifier cannot memorize the 60,000 fixed pairs',
  of: (c) => c.augment?.remixHalves === true,
  apply: (c, on) => withAugment(c, (a) => (on ? { ...a, remixHalves: true } : withOut(a, 'remixHalves'))),
};

const warpRotate: NumberField<C> = {
  kind: 'number', range: { label: 'Digit rotation', min: 0, max: 45 }, link: 'rot', cli: 'warp-rotate', formLabel: 'Rotate digits ± (°)',
  hint: 'Augmentation: each digit of a pair turned by its own random angle up to this many degrees; 0 = off',
  of: (c) => c.augment?.warp?.rotate ?? 0,
  apply: (c, rotate) => withAugment(c, (a) => withWarp(a, rotate, a.warp?.scale ?? 0)),
};

const warpScale: NumberField<C> = {
  kind: 'number', range: { label: 'Digit scaling', min: 0, max: 0.45 }, link: 'scale', cli: 'warp-scale', formLabel: 'Scale digits ±',
  hint: 'Augmentation: each digit resized by its own random factor in [1 − s, 1 + s]; 0 = off',
  of: (c) => c.augment?.warp?.scale ?? 0,
  apply: (c, scale) => withAugment(c, (a) => withWarp(a, a.warp?.rotate ?? 0, scale)),
};

/** How many of the run's last epochs train on unshifted, unjittered, unwarped digits. */
const plainEpochs: NumberField<C> = {
  kind: 'number', range: { label: 'Plain last epochs', min: 0, max: MAX_CNN_EPOCHS, integer: true }, link: 'plain', cli: 'plain-epochs',
  formLabel: 'Last epochs without shifts',
  hint: 'Augmentation: the last this many epochs show the digits unshifted, unjittered and unwarped (re-pairing stays), so the network ends on images like the test pairs; 0 = augment to the end',
  of: (c) => c.augment?.plainLastEpochs ?? 0,
  apply: (c, epochs) => withAugment(c, (a) => (epochs > 0 ? { ...a, plainLastEpochs: epochs } : withOut(a, 'plainLastEpochs'))),
};

/** Only the 100-way `cnn` takes it (cnn2head's heads learn each digit already): read after the variant. */
const digitLoss: NumberField<C> = {
  kind: 'number', range: { label: 'Digit loss', min: 0, max: 2 }, link: 'dloss', cli: 'digit-loss', formLabel: 'Digit loss λ',
  hint: 'One 100-way classifier only: adds λ × the cross-entropies of the tens and of the ones digit (the sums of its 100 probabilities over the other digit), so every number sharing a digit learns it; 0 = off',
  of: (c) => c.digitLoss ?? 0,
  apply: (c, weight) => (weight > 0 && c.model === 'cnn' ? { ...c, digitLoss: weight } : withOut(c, 'digitLoss')),
};

/** The CNN's settings; the order is the link's and the read order (augmentation before its parts). */
export const CNN_SETTINGS = {
  base: () => defaultCnnTrainConfig(),
  recipes: CNN_RECIPES,
  fields: {
    variant,
    lr: lrField<C>(1e-6, 1),
    cosine: { ...cosineField<C>('cos'), testId: 'cosine-checkbox' },
    warmup: warmupField<C>(MAX_CNN_EPOCHS, 'warm'),
    l2: weightDecayField<C>('L2 λ', 'l2', 'Weight decay added to the gradient (weights only)'),
    dropout: {
      kind: 'number', range: { label: 'Dropout', min: 0, max: 0.95 }, link: 'drop', cli: 'dropout',
      hint: 'Fraction of the fc 256 units dropped per training example (0 = off)',
      of: (c: C) => c.net.dropout ?? 0, apply: (c: C, dropout: number) => ({ ...c, net: { ...c.net, dropout } }),
    },
    digitLoss,
    batchSize: batchField<C>(1024),
    epochs: epochsField<C>(MAX_CNN_EPOCHS),
    standardize,
    augment,
    remix,
    warpRotate,
    warpScale,
    plainEpochs,
    average: averageField<C>('avg'),
    patience: patienceField<C>(MAX_CNN_EPOCHS, 'patience'),
    seed: seedField<C>(),
    trainLimit: {
      kind: 'number', range: { label: 'Training subset', min: 100, max: 1_000_000, integer: true }, link: 'limit', optional: true,
      formLabel: 'Train on the first N pairs', hint: 'Empty = all; a few thousand make a quick run',
      runOption: 'trainLimit', of: () => undefined, apply: (c: C) => c,
    },
  },
  cliFields: {
    shiftY: {
      kind: 'number', range: { label: 'Vertical shift', min: 0, max: 14, integer: true }, cli: 'shift-y',
      of: (c: C) => c.augment?.maxShiftY ?? 0, apply: (c: C, maxShiftY: number) => withAugment(c, (a) => ({ ...a, maxShiftY })),
    },
    labelSmoothing: smoothingField<C>(),
  },
} as const satisfies SettingsSchema<C, Record<string, SettingField<C>>>;
