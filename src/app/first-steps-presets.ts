/**
 * One-click starting points on the MLP page's first steps: the form settings of the two networks of
 * the from-scratch classics (the 256-16-2 lines toy and the 784-16-10 MNIST network). The training
 * recipes the CLI shares are src/train/presets.ts.
 */
import { LINES_ID } from '../data/lines';
import type { HyperForm } from './mlp-hyperparams';

export type PresetId = 'lines' | 'mnist16';

export interface Preset {
  id: PresetId;
  label: string;
  description: string;
  /** Dataset the preset trains on: the toy's own, or any MNIST (null = keep the page's MNIST). */
  dataset: string | null;
  /** Every field but the label smoothing, which stays as the page has it. */
  form: Omit<HyperForm, 'labelSmoothing'>;
}

/** Plain SGD on a single 16-unit ReLU layer, as the classic from-scratch network does. */
const SMALL_NET: Omit<HyperForm, 'epochs' | 'batchSize' | 'lr' | 'trainPercent' | 'labelSmoothing'> = {
  hidden: '16', activation: 'relu', optimizer: 'sgd', schedule: 'constant', warmup: '0', momentum: '0.9', l2: '0', seed: '1', dropout: '0',
};

export const PRESETS: Record<PresetId, Preset> = {
  lines: {
    id: 'lines',
    label: 'Lines toy · 256-16-2',
    description: '16×16 images of horizontal vs vertical lines, made in this page: learns to 100% in seconds.',
    dataset: LINES_ID,
    form: { ...SMALL_NET, lr: '0.1', batchSize: '16', epochs: '5', trainPercent: '80' },
  },
  mnist16: {
    id: 'mnist16',
    label: 'MNIST · 784-16-10',
    description: 'The smallest useful digit network: one hidden layer of 16 units, plain SGD.',
    dataset: null,
    form: { ...SMALL_NET, lr: '0.1', batchSize: '32', epochs: '3', trainPercent: '90' },
  },
};
