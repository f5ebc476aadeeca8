/**
 * The MLP page's hyperparameter form: the MLP's settings schema (src/train/settings) as the page
 * holds it (strings, so half-typed values survive), its defaults and its parse into a TrainConfig.
 */
import { footprintOf } from '../train/memory-estimate';
import { defaultMlpTrainConfig } from '../train/presets';
import { MLP_SETTINGS } from '../train/settings/mlp-settings';
import { formOf, parseForm, rangesOf, type FormOf, type ParseResult } from '../train/settings/schema';
import type { MlpTrainConfig, OptimizerKind } from '../train/types';

export { ACTIVATIONS, OPTIMIZERS, SCHEDULES, parseHidden, type Activation, type ScheduleKind } from '../train/settings/mlp-settings';
export type { NumberRange, ParseResult } from '../train/settings/schema';

export type HyperForm = FormOf<typeof MLP_SETTINGS.fields>;

export const DEFAULT_FORM: HyperForm = formOf(MLP_SETTINGS);

const DEFAULT_ADAM_LR = String(MLP_SETTINGS.base().optimizer.lr);
/** Learning rates that work well as a starting point for each optimizer. */
export const DEFAULT_LR: Record<OptimizerKind, string> = { sgd: '0.1', momentum: '0.05', adam: DEFAULT_ADAM_LR, adamw: DEFAULT_ADAM_LR };

export const MNIST_INPUTS = 784;
export const MNIST_CLASSES = 10;

/** Weights + biases of a fully connected stack: Σ (in·out + out), from the model's own tensor shapes. */
export function mlpParameterCount(hidden: readonly number[], inputs = MNIST_INPUTS, classes = MNIST_CLASSES): number {
  const net = { hidden: [...hidden], activation: 'relu' as const, inputSize: inputs, outputSize: classes };
  return footprintOf(defaultMlpTrainConfig({ net })).parameters;
}

/** The MLP page's numeric fields, as the schema declares them. */
export const MLP_RANGES = rangesOf(MLP_SETTINGS);

/** Turns the form into a training config, or the first problem found (a run that cannot fit included). */
export function parseHyperForm(form: Partial<HyperForm>): ParseResult<MlpTrainConfig> {
  const run = parseForm(MLP_SETTINGS, form);
  return run.ok ? { ok: true, value: run.value.config } : run;
}
