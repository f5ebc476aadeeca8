/**
 * The CNN page's hyperparameter form: the CNN's settings schema (src/train/settings) as the page
 * holds it (strings, so half-typed values survive), its defaults from the default recipe, and its parse.
 */
import { CNN_SETTINGS, type CnnVariant } from '../train/settings/cnn-settings';
import { formOf, parseForm, rangesOf, recipeFormOf, type FormOf, type ParseResult } from '../train/settings/schema';
import type { CnnRecipe } from '../train/presets';
import type { CnnTrainConfig } from '../train/types';
import type { TrainOptions } from '../../workers/api';

export { CNN_VARIANTS, MAX_CNN_EPOCHS, type CnnVariant } from '../train/settings/cnn-settings';

export type CnnForm = FormOf<typeof CNN_SETTINGS.fields>;

export const DEFAULT_CNN_FORM: CnnForm = formOf(CNN_SETTINGS);

/** The form fields a recipe sets for a variant (the variant, seed and subset stay as the user left them). */
export function cnnRecipeForm(recipe: CnnRecipe, variant: CnnVariant = DEFAULT_CNN_FORM.variant): Partial<CnnForm> {
  return recipeFormOf(CNN_SETTINGS, recipe, ['variant', 'seed', 'trainLimit'], { model: variant });
}

/**
 * The form with another network variant. A form that still holds a recipe as that recipe gives it
 * for the old variant takes the recipe's values for the new one (the fast recipe trains the 100-way
 * head for more epochs than the two heads); a form the user has changed keeps its values.
 */
export function withCnnVariant(form: CnnForm, variant: CnnVariant): CnnForm {
  const recipe = recipeNames().find((name) => sameFields(form, cnnRecipeForm(name, form.variant)));
  return { ...form, ...(recipe ? cnnRecipeForm(recipe, variant) : {}), variant };
}

function recipeNames(): CnnRecipe[] {
  return Object.keys(CNN_SETTINGS.recipes) as CnnRecipe[];
}

function sameFields(form: CnnForm, part: Partial<CnnForm>): boolean {
  return (Object.keys(part) as (keyof CnnForm)[]).every((key) => form[key] === part[key]);
}

/** The CNN page's numeric fields that must be filled in. */
export const CNN_RANGES = rangesOf(CNN_SETTINGS);

export interface CnnRun {
  config: CnnTrainConfig;
  options: TrainOptions;
}

/** Turns the form into a training run, or the first problem found (a run that cannot fit included). */
export function parseCnnForm(form: CnnForm): ParseResult<CnnRun> {
  const run = parseForm(CNN_SETTINGS, form);
  if (!run.ok) return run;
  const { config, trainLimit } = run.value;
  return { ok: true, value: { config, options: trainLimit === undefined ? {} : { trainLimit } } };
}
