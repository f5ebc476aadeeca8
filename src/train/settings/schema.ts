/**
 * A network's settings declared once: each field's label, type and range, where it sits in the
 * train config (`of` reads it, `apply` sets it), its link key and its CLI flag. The page's form,
 * its link and the CLI's flags are all read through these declarations, so they accept and refuse
 * the same values with the same messages; the form's defaults are the base recipe read back through
 * `of`. Values arrive as text everywhere (typed, from a link, from argv): half-typed input survives
 * in the form and every reader shares one parse. A whole run is then checked against the memory
 * estimate (memory-estimate.ts), so a run that cannot fit a worker is refused before it starts.
 */
import { memoryProblem, type AnyTrainConfig } from '../memory-estimate';
import type { Recipe } from '../types';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A numeric field's declared range. */
export interface NumberRange {
  label: string;
  min: number;
  max: number;
  integer?: boolean;
  /** The range is (min, max] rather than [min, max]. */
  minExclusive?: boolean;
}

/** How a field shows in the page's form and where else it is reachable. */
interface FieldBase {
  /** Short, stable URL name (links must keep working: never rename one); absent = not in links. */
  link?: string;
  /** The CLI flag without its dashes; absent = not on the command line. */
  cli?: string;
  /** What the setting does, shown beside the form's input. */
  hint?: string;
  /** The form's shorter label, when it differs from the one messages use. */
  formLabel?: string;
  /** The form input's test id, when it is not `<field-name>-input` (existing ids stay). */
  testId?: string;
}

export interface NumberField<C> extends FieldBase {
  kind: 'number';
  range: NumberRange;
  /** Empty text leaves the value unset (a training subset: empty = all). */
  optional?: true;
  of(config: C): number | undefined;
  apply(config: C, value: number): C;
  /** The value is a run option rather than part of the config. */
  runOption?: 'trainLimit';
}

export interface ChoiceField<C, V extends string = string> extends FieldBase {
  kind: 'choice';
  label: string;
  choices: readonly V[];
  of(config: C): V;
  apply(config: C, value: V): C;
}

export interface FlagField<C> extends FieldBase {
  kind: 'flag';
  label: string;
  /** The CLI's words for off and on. */
  cliWords?: readonly [string, string];
  of(config: C): boolean;
  apply(config: C, value: boolean): C;
}

/** Free text with its own parse (a list of layer sizes). */
export interface TextField<C, V = unknown> extends FieldBase {
  kind: 'text';
  label: string;
  parse(text: string): ParseResult<V>;
  of(config: C): string;
  apply(config: C, value: V): C;
}

// A schema mixes fields of different value types; `any` lets one list hold them (each field's own
// parse and apply still agree on its type).
export type SettingField<C> = NumberField<C> | ChoiceField<C, any> | FlagField<C> | TextField<C, any>;

export type FormValue = string | boolean;

/** The page form of a field set: flags are checkboxes, everything else text. */
export type FormOf<F> = {
  [K in keyof F]: F[K] extends { kind: 'flag' } ? boolean : F[K] extends { kind: 'choice'; choices: readonly (infer V)[] } ? V : string;
};

export interface SettingsSchema<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>> {
  /** The page form's fields, in the order they are read (a later field may depend on an earlier one). */
  fields: F;
  /** Settings only the command line offers, read after the form's. */
  cliFields?: Record<string, SettingField<C>>;
  /** The config the form's fields are applied to: the default recipe. */
  base(): C;
  /** Named recipes the form can fill in and the CLI's `--recipe` picks (the first is the default). */
  recipes?: Record<string, Recipe<C>>;
}

export interface RunSettings<C> {
  config: C;
  trainLimit?: number;
}

export const labelOf = <C>(field: SettingField<C>): string => (field.kind === 'number' ? field.range.label : field.label);

/** The label the page's form shows for a field. */
export const formLabelOf = <C>(field: SettingField<C>): string => field.formLabel ?? labelOf(field);

/** The test id of a field's form input: `maxLen` → `max-len-input` unless the field names its own. */
export const testIdOf = <C>(name: string, field: SettingField<C>): string =>
  field.testId ?? `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-input`;

/** A number typed into a field, within [min, max] (or (min, max]), or what is wrong with it. */
export function numberIn(
  label: string, text: string, min: number, max: number, opts: { integer?: boolean; minExclusive?: boolean } = {},
): ParseResult<number> {
  const n = Number(text.trim());
  const tooLow = opts.minExclusive ? n <= min : n < min;
  if (text.trim() === '' || !Number.isFinite(n) || tooLow || n > max || (opts.integer && !Number.isInteger(n))) {
    const kind = opts.integer ? 'a whole number' : 'a number';
    const lower = opts.minExclusive ? `above ${min}` : `from ${min}`;
    return { ok: false, error: `${label}: "${text}" is not ${kind} ${lower} to ${max}` };
  }
  return { ok: true, value: n };
}

/** A field's text read against its declared range. */
export function inRange(range: NumberRange, text: string): ParseResult<number> {
  return numberIn(range.label, text, range.min, range.max, range);
}

/** One field's text (or checkbox) read into its value; undefined for an empty optional number. */
export function readField<C>(field: SettingField<C>, value: FormValue): ParseResult<unknown> {
  switch (field.kind) {
    case 'number':
      if (field.optional && String(value).trim() === '') return { ok: true, value: undefined };
      return inRange(field.range, String(value));
    case 'choice':
      return field.choices.includes(String(value))
        ? { ok: true, value }
        : { ok: false, error: `Unknown ${field.label.toLowerCase()} "${String(value)}"` };
    case 'flag':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, error: `${field.label}: expected on or off` };
    case 'text':
      return field.parse(String(value));
  }
}

/** Sets a read value into the run: into the config, or as the run option it is. */
function applyField<C>(field: SettingField<C>, run: RunSettings<C>, value: unknown): RunSettings<C> {
  if (field.kind === 'number' && field.runOption) return value === undefined ? run : { ...run, trainLimit: value as number };
  if (value === undefined) return run;
  return { ...run, config: (field.apply as (c: C, v: unknown) => C)(run.config, value) };
}

/** The form that trains `config` (every form field; an unset optional number is empty). */
export function formOf<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>, config: C = schema.base(),
): FormOf<F> {
  const form: Record<string, FormValue> = {};
  for (const [name, field] of formFields(schema)) form[name] = formValueOf(field, config);
  return form as FormOf<F>;
}

/**
 * The form fields recipe `name` sets: every field of its config except `kept` (what a recipe leaves
 * as the user had it: the seed, the subset, a network variant); `overrides` go to the recipe (e.g.
 * the variant, where a recipe's numbers differ per variant).
 */
export function recipeFormOf<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>, name: string, kept: readonly (keyof F & string)[], overrides: Partial<C> = {},
): Partial<FormOf<F>> {
  const recipe = schema.recipes?.[name];
  if (!recipe) throw new Error(`no recipe "${name}"`);
  const form: Partial<FormOf<F>> = formOf(schema, recipe.config(overrides));
  for (const key of kept) delete form[key];
  return form;
}

/** The fields the page's form shows, in order. */
export function formFields<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>,
): [keyof FormOf<F> & string, SettingField<C>][] {
  return Object.entries(schema.fields) as [keyof FormOf<F> & string, SettingField<C>][];
}

/**
 * Reads every field of the form over the schema's base config, then checks the whole run fits a
 * worker (memoryProblem), or returns the first problem. A field missing from an old saved form
 * takes the default form's value.
 */
export function parseForm<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>, form: Partial<FormOf<F>>,
): ParseResult<RunSettings<C>> {
  const base = schema.base();
  let run: RunSettings<C> = { config: base };
  for (const [name, field] of formFields(schema)) {
    const given = (form as Record<string, FormValue | undefined>)[name];
    const read = readField(field, given ?? formValueOf(field, base));
    if (!read.ok) return read;
    run = applyField(field, run, read.value);
  }
  const memory = memoryProblem(run.config);
  return memory === null ? { ok: true, value: run } : { ok: false, error: memory };
}

/** A field's value in `config` as the form holds it; an unset optional number is empty. */
export function formValueOf<C>(field: SettingField<C>, config: C): FormValue {
  const value = field.of(config);
  return typeof value === 'boolean' ? value : value === undefined ? '' : String(value);
}

/** The link keys of a schema's form fields, field → key. */
export function linkKeys<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>,
): Record<keyof FormOf<F>, string> {
  const keys: Record<string, string> = {};
  for (const [name, field] of formFields(schema)) if (field.link) keys[name] = field.link;
  return keys as Record<keyof FormOf<F>, string>;
}

/** The ranges of a schema's numeric form fields that must be filled in (an optional one, such as a subset, has its own), field → range. */
export function rangesOf<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>,
): Record<string, NumberRange> {
  const ranges: Record<string, NumberRange> = {};
  for (const [name, field] of formFields(schema)) if (field.kind === 'number' && !field.optional) ranges[name] = field.range;
  return ranges;
}

/** A CLI flag's text as the field reads it: flags take their on/off words. */
function cliValue<C>(field: SettingField<C>, text: string): FormValue | null {
  if (field.kind !== 'flag') return text;
  const [off, on] = field.cliWords ?? ['off', 'on'];
  return text === on ? true : text === off ? false : null;
}

/**
 * The CLI's flags over a recipe's config: each flag given is read by its field (the same ranges and
 * messages as the form, prefixed by the flag); flags not given keep the recipe's values. Throws on
 * the first bad flag.
 */
export function applyCliFlags<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(
  schema: SettingsSchema<C, F>, flag: (name: string) => string | undefined, base: C,
): RunSettings<C> {
  let run: RunSettings<C> = { config: base };
  for (const field of allFields(schema)) {
    if (!field.cli) continue;
    const text = flag(field.cli);
    if (text === undefined) continue;
    const value = cliValue(field, text);
    if (value === null) {
      const [off, on] = field.kind === 'flag' ? field.cliWords ?? ['off', 'on'] : ['', ''];
      throw new Error(`--${field.cli} must be one of ${on}, ${off}, got "${text}"`);
    }
    const read = readField(field, value);
    if (!read.ok) throw new Error(`--${field.cli}: ${read.error}`);
    run = applyField(field, run, read.value);
  }
  return run;
}

/** The CLI flags of a schema, for help text: `--name` and the field it sets. */
export function cliFlags<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(schema: SettingsSchema<C, F>): string[] {
  return allFields(schema).flatMap((f) => (f.cli ? [`--${f.cli}`] : []));
}

function allFields<C extends AnyTrainConfig, F extends Record<string, SettingField<C>>>(schema: SettingsSchema<C, F>): SettingField<C>[] {
  return [...Object.values(schema.fields), ...Object.values(schema.cliFields ?? {})];
}
