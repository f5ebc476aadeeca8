/** For tests: a valid value of a settings field that differs from a config's, as the form (and link, and CLI) types it. */
import type { FormValue, SettingField } from '../settings/schema';

export function sampleValue<C>(field: SettingField<C>, config: C): FormValue {
  switch (field.kind) {
    case 'flag':
      return !field.of(config);
    case 'choice':
      return field.choices.find((c) => c !== field.of(config)) ?? field.choices[0];
    case 'text':
      return field.of(config) === '32,16' ? '64' : '32,16';
    case 'number': {
      const { min, max, integer, minExclusive } = field.range;
      const inside = min + (max - min) * 0.37;
      const candidates = [integer ? Math.round(inside) : Number(inside.toPrecision(2)), max, minExclusive ? max / 2 : min];
      return String(candidates.find((v) => v !== field.of(config)));
    }
  }
}

/** The text a CLI flag takes for a value: on/off words for flags. */
export function flagText<C>(field: SettingField<C>, value: FormValue): string {
  if (field.kind !== 'flag') return String(value);
  const [off, on] = field.cliWords ?? ['off', 'on'];
  return value ? on : off;
}
