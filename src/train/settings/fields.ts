/** Field declarations several networks share: the loop's settings, each read the same way everywhere. */
import { withDecay, withWarmup } from '../schedule';
import type { LoopConfig } from '../types';
import type { FlagField, NumberField } from './schema';

export const SEED_RANGE = { label: 'Seed', min: 0, max: 2 ** 31 - 1, integer: true } as const;

/** `value` without `key`: a setting turned off leaves the config as if it had never been set. */
export function withOut<T extends object>(value: T, key: keyof T): T {
  const { [key]: _dropped, ...rest } = value;
  return rest as T;
}

export function seedField<C extends LoopConfig>(): NumberField<C> {
  return {
    kind: 'number', range: SEED_RANGE, link: 'seed', cli: 'seed', hint: 'Same seed, same run',
    of: (c) => c.seed, apply: (c, seed) => ({ ...c, seed }),
  };
}

export function epochsField<C extends LoopConfig>(max: number): NumberField<C> {
  return {
    kind: 'number', range: { label: 'Epochs', min: 1, max, integer: true }, link: 'epochs', cli: 'epochs',
    of: (c) => c.epochs, apply: (c, epochs) => ({ ...c, epochs }),
  };
}

export function batchField<C extends LoopConfig>(max: number): NumberField<C> {
  return {
    kind: 'number', range: { label: 'Batch size', min: 1, max, integer: true }, link: 'batch', cli: 'batch', testId: 'batch-input',
    of: (c) => c.batchSize, apply: (c, batchSize) => ({ ...c, batchSize }),
  };
}

export function lrField<C extends LoopConfig>(min: number, max: number, minExclusive?: true): NumberField<C> {
  return {
    kind: 'number', range: { label: 'Learning rate', min, max, ...(minExclusive ? { minExclusive } : {}) }, link: 'lr', cli: 'lr',
    of: (c) => c.optimizer.lr, apply: (c, lr) => ({ ...c, optimizer: { ...c.optimizer, lr } }),
  };
}

export function weightDecayField<C extends LoopConfig>(label: string, link: string, hint: string): NumberField<C> {
  return {
    kind: 'number', range: { label, min: 0, max: 1 }, link, cli: 'weight-decay', hint,
    of: (c) => c.optimizer.weightDecay, apply: (c, weightDecay) => ({ ...c, optimizer: { ...c.optimizer, weightDecay } }),
  };
}

/** Label smoothing ε of the loss; 0 = off. */
export function smoothingField<C extends LoopConfig>(link?: string): NumberField<C> {
  return {
    kind: 'number', range: { label: 'Label smoothing', min: 0, max: 0.5 }, ...(link ? { link } : {}), cli: 'label-smoothing',
    hint: 'Share of the target spread over the other classes (0 = none)',
    of: (c) => c.labelSmoothing ?? 0,
    apply: (c, e) => (e > 0 ? { ...c, labelSmoothing: e } : withOut(c, 'labelSmoothing')),
  };
}

/** Decay of the moving average of the weights that is evaluated and kept; 0 = off. */
export function averageField<C extends LoopConfig>(link?: string): NumberField<C> {
  return {
    kind: 'number', range: { label: 'Weight averaging', min: 0, max: 0.99999 }, ...(link ? { link } : {}), cli: 'average',
    hint: "Evaluate and keep a moving average of the weights with this decay (e.g. 0.999): steadier than the last step's weights; 0 = off",
    of: (c) => c.weightAverage ?? 0,
    apply: (c, decay) => (decay > 0 ? { ...c, weightAverage: decay } : withOut(c, 'weightAverage')),
  };
}

/** Early-stopping patience in epochs; 0 = off (a recipe's min_delta is kept). */
export function patienceField<C extends LoopConfig>(max: number, link?: string): NumberField<C> {
  return {
    kind: 'number', range: { label: 'Early-stopping patience', min: 0, max, integer: true }, formLabel: 'Patience',
    hint: 'Early stopping: epochs without a better dev accuracy before stopping; 0 = off',
    ...(link ? { link } : {}), cli: 'patience',
    of: (c) => c.earlyStopping?.patience ?? 0,
    apply: (c, patience) => (patience > 0
      ? { ...c, earlyStopping: { minDelta: 1e-3, ...c.earlyStopping, patience } }
      : withOut(c, 'earlyStopping')),
  };
}

/** Cosine decay of the learning rate to 1% over the run, else constant: `--schedule cosine|constant`. */
export function cosineField<C extends LoopConfig>(link?: string): FlagField<C> {
  return {
    kind: 'flag', label: 'Cosine learning-rate decay', ...(link ? { link } : {}), cli: 'schedule', cliWords: ['constant', 'cosine'],
    hint: 'Lower the learning rate along a cosine to 1% of it by the last epoch',
    of: (c) => c.lrSchedule?.kind === 'cosine',
    apply: (c, on) => ({ ...c, lrSchedule: withDecay(c.lrSchedule, on) }),
  };
}

/** Linear warmup of the learning rate over the first epochs (fractions allowed); 0 = off. */
export function warmupField<C extends LoopConfig>(maxEpochs: number, link?: string): NumberField<C> {
  return {
    kind: 'number', range: { label: 'Warmup epochs', min: 0, max: maxEpochs }, ...(link ? { link } : {}), cli: 'warmup',
    formLabel: 'Warmup (epochs)',
    hint: 'Raise the learning rate linearly from ~0 over this many epochs (e.g. 0.5), which lets a higher rate train steadily; 0 = off',
    of: (c) => c.lrSchedule?.warmupEpochs ?? 0,
    apply: (c, epochs) => ({ ...c, lrSchedule: withWarmup(c.lrSchedule, epochs) }),
  };
}
