import { describe, expect, it } from 'vitest';
import { CNN_SETTINGS } from '../train/settings/cnn-settings';
import { MLP_SETTINGS } from '../train/settings/mlp-settings';
import { RNN_SETTINGS } from '../train/settings/rnn-settings';
import { formFields, testIdOf, type SettingField, type SettingsSchema } from '../train/settings/schema';
import type { AnyTrainConfig } from '../train/memory-estimate';

type AnySchema = SettingsSchema<AnyTrainConfig, Record<string, SettingField<AnyTrainConfig>>>;
const idsOf = (schema: AnySchema): string[] => formFields(schema).map(([name, field]) => testIdOf(name, field));

// The e2e specs and DESIGN's page contract address the form's inputs by these ids: deriving them from the schemas must not move one.
describe('the form inputs derived from the settings schemas keep their test ids', () => {
  it('MLP', () => {
    expect(idsOf(MLP_SETTINGS as unknown as AnySchema)).toEqual([
      'hidden-input', 'activation-select', 'optimizer-select', 'lr-input', 'schedule-select', 'warmup-input', 'momentum-input', 'batch-input', 'l2-input',
      'epochs-input', 'seed-input', 'split-input', 'dropout-input', 'label-smoothing-input',
    ]);
  });

  it('CNN', () => {
    expect(idsOf(CNN_SETTINGS as unknown as AnySchema)).toEqual([
      'variant-select', 'lr-input', 'cosine-checkbox', 'warmup-input', 'l2-input', 'dropout-input', 'digit-loss-input', 'batch-input', 'epochs-input', 'standardize-checkbox', 'augment-checkbox',
      'remix-checkbox', 'warp-rotate-input', 'warp-scale-input', 'plain-epochs-input', 'average-input', 'patience-input', 'seed-input', 'train-limit-input',
    ]);
  });

  it('RNN', () => {
    expect(idsOf(RNN_SETTINGS as unknown as AnySchema)).toEqual([
      'hidden-input', 'layers-input', 'max-len-input', 'epochs-input', 'batch-input', 'lr-input', 'warmup-input', 'weight-decay-input', 'average-input',
      'dropout-input', 'head-dropout-input', 'label-smoothing-input', 'clip-input', 'scale-augment-input', 'stretch-augment-input',
      'rotate-augment-input', 'mirror-augment-checkbox', 'drop-points-augment-input', 'swap-strokes-augment-input', 'seed-input', 'train-limit-input',
    ]);
  });
});
