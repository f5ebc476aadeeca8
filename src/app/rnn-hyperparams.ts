/**
 * The RNN page's forms (strings, so half-typed values survive): the BiGRU's hyperparameters with
 * defaults from defaultRnnTrainConfig, the Quick Draw load request, and their parses into what the
 * worker takes, with messages that say what to fix.
 */
import { QUICKDRAW_ANIMALS, QUICKDRAW_DEFAULT_BASE, QUICKDRAW_DEFAULT_PER_CLASS } from '../data/quickdraw-common';
import { footprintOf } from '../train/memory-estimate';
import { RNN_SETTINGS } from '../train/settings/rnn-settings';
import { formOf, numberIn, parseForm, rangesOf, recipeFormOf, type FormOf, type ParseResult } from '../train/settings/schema';
import type { RnnRecipe } from '../train/presets';
import type { RnnTrainConfig } from '../train/types';
import type { TrainOptions } from '../../workers/api';

export { MAX_RNN_EPOCHS } from '../train/settings/rnn-settings';

/** The BiGRU's form fields, as its settings schema (src/train/settings) declares them. */
export type RnnForm = FormOf<typeof RNN_SETTINGS.fields>;

export const DEFAULT_RNN_FORM: RnnForm = formOf(RNN_SETTINGS);

/** The form fields a recipe sets (the seed and subset stay as the user left them). */
export function rnnRecipeForm(recipe: RnnRecipe): Partial<RnnForm> {
  return recipeFormOf(RNN_SETTINGS, recipe, ['seed', 'trainLimit']);
}

/** The RNN page's numeric fields that must be filled in. */
export const RNN_RANGES = rangesOf(RNN_SETTINGS);

export interface RnnRun {
  config: RnnTrainConfig;
  options: TrainOptions;
}

/** Turns the form into a training run, or the first problem found (a run that cannot fit included). */
export function parseRnnForm(form: RnnForm): ParseResult<RnnRun> {
  const run = parseForm(RNN_SETTINGS, form);
  if (!run.ok) return run;
  const { config, trainLimit } = run.value;
  return { ok: true, value: { config, options: trainLimit === undefined ? {} : { trainLimit } } };
}

/** Trainable parameters of the BiGRU (nn.GRU's weight_ih, weight_hh, bias_ih, bias_hh per direction) + fc, from the model's own shapes. */
export function rnnParameterCount(hidden: number, layers: number, classes: number): number {
  const base = RNN_SETTINGS.base();
  return footprintOf({ ...base, net: { ...base.net, hidden, layers, outputSize: classes } }).parameters;
}

export interface QuickDrawForm {
  /** Folder URL holding `<class>.ndjson`. */
  base: string;
  /** Class names, separated by commas or new lines. */
  classes: string;
  perClass: string;
}

export interface QuickDrawRequest {
  base: string;
  classes: string[];
  perClass: number;
}

/** Under `npm start` / `vite preview` this path is proxied to Quick Draw's public simplified folder. */
export const QUICKDRAW_PROXY_BASE = '/quickdraw/';
export const MAX_PER_CLASS = 100_000;

/** Without the proxy (a static host) the Folder URL is Quick Draw's own public folder, unless another was chosen. */
export function quickDrawBaseWithoutProxy(base: string): string {
  return base === QUICKDRAW_PROXY_BASE ? QUICKDRAW_DEFAULT_BASE : base;
}

export const DEFAULT_QUICKDRAW_FORM: QuickDrawForm = {
  base: QUICKDRAW_PROXY_BASE,
  classes: QUICKDRAW_ANIMALS.join(', '),
  perClass: String(QUICKDRAW_DEFAULT_PER_CLASS),
};

export function parseClassList(text: string): string[] {
  return text.split(/[,\n]/).map((c) => c.trim()).filter((c) => c.length > 0);
}

export function parsePerClass(text: string): ParseResult<number> {
  return numberIn('Drawings per class', text, 1, MAX_PER_CLASS, { integer: true });
}

export function parseQuickDrawForm(form: QuickDrawForm): ParseResult<QuickDrawRequest> {
  const base = form.base.trim();
  if (!/^https?:\/\//i.test(base) && !base.startsWith('/') && !base.startsWith('.')) {
    return { ok: false, error: `"${form.base}" is not a folder URL: use something like https://example.org/quickdraw/ or /quickdraw/` };
  }
  const classes = parseClassList(form.classes);
  if (classes.length === 0) return { ok: false, error: 'Name at least one Quick Draw class, e.g. cat, dog' };
  const twice = classes.find((c, i) => classes.indexOf(c) !== i);
  if (twice) return { ok: false, error: `The class "${twice}" is listed twice` };
  const perClass = parsePerClass(form.perClass);
  if (!perClass.ok) return perClass;
  return { ok: true, value: { base, classes, perClass: perClass.value } };
}
