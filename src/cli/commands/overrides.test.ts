import { describe, expect, it } from 'vitest';
import { defaultRnnTrainConfig, tunedCnnTrainConfig } from '../../train/presets';
import { CNN_SETTINGS } from '../../train/settings/cnn-settings';
import { MLP_SETTINGS } from '../../train/settings/mlp-settings';
import { RNN_SETTINGS } from '../../train/settings/rnn-settings';
import { formValueOf, type SettingField, type SettingsSchema } from '../../train/settings/schema';
import type { AnyTrainConfig } from '../../train/memory-estimate';
import { flagText, sampleValue } from '../../train/testing/setting-samples';
import { parseArgs } from '../args';
import { configFromFlags, flagsUsage } from './overrides';

type AnySchema = SettingsSchema<AnyTrainConfig, Record<string, SettingField<AnyTrainConfig>>>;
const SCHEMAS = [
  { name: 'mlp', schema: MLP_SETTINGS as unknown as AnySchema },
  { name: 'cnn', schema: CNN_SETTINGS as unknown as AnySchema },
  { name: 'rnn', schema: RNN_SETTINGS as unknown as AnySchema },
];
/** Flags that act only beside another one. */
const CONTEXT: Record<string, string[]> = { momentum: ['--optimizer', 'momentum'] };

describe('the CLI flags of every settings schema', () => {
  for (const { name, schema } of SCHEMAS) {
    const fields = [...Object.values(schema.fields), ...Object.values(schema.cliFields ?? {})].filter((f) => f.cli);

    it(`${name}: every flag sets its field`, () => {
      const base = schema.base();
      for (const field of fields) {
        const value = sampleValue(field, base);
        const args = parseArgs(['train', name, ...(CONTEXT[field.cli!] ?? []), `--${field.cli}`, flagText(field, value)]);
        const config = configFromFlags(schema, args, base);
        expect(formValueOf(field, config), `--${field.cli}`).toEqual(value);
      }
    });

    it(`${name}: a flag out of its field's range is refused, naming the flag and the field`, () => {
      for (const field of fields) {
        if (field.kind !== 'number') continue;
        const args = parseArgs(['train', name, `--${field.cli}`, String(field.range.max * 2 + 1)]);
        expect(() => configFromFlags(schema, args, schema.base()), field.cli).toThrow(`--${field.cli}: ${field.range.label}`);
      }
    });
  }

  it('keeps a recipe’s own values for flags not given, and turns settings off with 0', () => {
    const tuned = tunedCnnTrainConfig();
    expect(configFromFlags(CNN_SETTINGS, parseArgs(['train', 'cnn']), tuned)).toEqual(tuned);
    const cnn = configFromFlags(CNN_SETTINGS, parseArgs(['train', 'cnn', '--label-smoothing', '0.1', '--average', '0.999']), tuned);
    expect(cnn.labelSmoothing).toBe(0.1);
    expect(cnn.weightAverage).toBe(0.999);
    const rnnDefaults = defaultRnnTrainConfig();
    const off = configFromFlags(RNN_SETTINGS, parseArgs(['train', 'rnn', '--label-smoothing', '0', '--patience', '0', '--clip', '0']), rnnDefaults);
    expect(off.labelSmoothing).toBeUndefined();
    expect(off.earlyStopping).toBeUndefined();
    expect(off.clipNorm).toBeUndefined();
    expect(configFromFlags(CNN_SETTINGS, parseArgs(['train', 'cnn', '--augment', 'off']), tuned).augment).toBeUndefined();
  });

  it('refuses bad values with the flag named', () => {
    const tuned = tunedCnnTrainConfig();
    expect(() => configFromFlags(CNN_SETTINGS, parseArgs(['train', 'cnn', '--label-smoothing', '1.5']), tuned)).toThrow(/--label-smoothing: Label smoothing: "1.5"/);
    expect(() => configFromFlags(CNN_SETTINGS, parseArgs(['train', 'cnn', '--augment', 'maybe']), tuned)).toThrow('--augment must be one of on, off, got "maybe"');
    expect(() => configFromFlags(MLP_SETTINGS, parseArgs(['train', 'mlp', '--activation', 'swish']), MLP_SETTINGS.base())).toThrow('--activation: Unknown activation "swish"');
    expect(() => configFromFlags(MLP_SETTINGS, parseArgs(['train', 'mlp', '--lr']), MLP_SETTINGS.base())).toThrow('--lr needs a value');
  });

  it('lists every flag in the usage text', () => {
    expect(flagsUsage(CNN_SETTINGS)).toContain('[--augment on|off]');
    expect(flagsUsage(CNN_SETTINGS)).toContain('[--schedule cosine|constant]');
    expect(flagsUsage(RNN_SETTINGS)).toContain('[--hidden N]');
    expect(flagsUsage(MLP_SETTINGS)).toContain('[--activation relu|leaky_relu|tanh|sigmoid]');
  });
});
