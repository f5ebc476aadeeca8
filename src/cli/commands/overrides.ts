/**
 * A network's training flags, derived from its settings schema (src/train/settings): the same
 * fields, ranges and messages as the page's form and link, each flag over the recipe's value.
 */
import { applyCliFlags, type SettingField, type SettingsSchema } from '../../train/settings/schema';
import type { AnyTrainConfig } from '../../train/memory-estimate';
import { choiceOption, stringOption, type ParsedArgs } from '../args';

/** The recipe's config with every schema flag given applied; throws on the first bad one, naming it. */
export function configFromFlags<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>, args: ParsedArgs, base: C,
): C {
  return applyCliFlags(schema, (name) => stringOption(args, name), base).config;
}

/** The recipe `--recipe` names, else the schema's first (its default); throws on a name it does not have. */
export function recipeConfig<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>, args: ParsedArgs, overrides: Partial<C> = {},
): C {
  const recipes = schema.recipes ?? {};
  const names = Object.keys(recipes);
  const name = choiceOption(args, 'recipe', names) ?? names[0];
  if (name === undefined) throw new Error('this network has no recipes to pick from');
  return recipes[name].config(overrides);
}

/** "[--recipe fast|seed|tuned (fast: the default)]" for a schema with recipes, else "". */
export function recipeUsage<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(schema: SettingsSchema<C, F>): string {
  const names = Object.keys(schema.recipes ?? {});
  return names.length ? `[--recipe ${names.join('|')} (${names[0]}: the default)] ` : '';
}

/** "[--lr X] [--epochs N] [--augment on|off] …": the schema's flags for the usage text. */
export function flagsUsage<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(schema: SettingsSchema<C, F>): string {
  const fields: SettingField<C>[] = [...Object.values(schema.fields), ...Object.values(schema.cliFields ?? {})];
  return fields.flatMap((f) => (f.cli ? [`[--${f.cli} ${placeholder(f)}]`] : [])).join(' ');
}

function placeholder<C>(field: SettingField<C>): string {
  switch (field.kind) {
    case 'number': return field.range.integer ? 'N' : 'X';
    case 'choice': return field.choices.join('|');
    case 'flag': return [...(field.cliWords ?? ['off', 'on'])].reverse().join('|');
    case 'text': return 'LIST';
  }
}
