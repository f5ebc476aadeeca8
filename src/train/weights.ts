/**
 * The bridge between a live model and the A1 weight file: the page's export/import and the CLI
 * both go through here, so a file written by one reads the same in the other.
 */
import type { Backend } from '../kernels/backend';
import { decodeWeights, encodeWeights, type WeightFile, type WeightFormat } from '../io/weights';
import { CnnModel, modelFromWeights, readStateDict } from '../nn/models';
import type { CnnConfig, MlpConfig, Model } from '../nn/types';

/** The architecture JSON of A1 for an MLP: `{"hidden":[…],"activation":…}` (+ `leaky_slope`). */
export function mlpA1Config(config: MlpConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { hidden: [...config.hidden], activation: config.activation };
  if (config.activation === 'leaky_relu') out.leaky_slope = config.leaky_slope ?? 0.01;
  return out;
}

/** The A1 architecture JSON of any image model: a CNN says it itself, an MLP from its config. */
export function a1ConfigOf(model: Model, config: MlpConfig | CnnConfig): Record<string, unknown> {
  if (model instanceof CnnModel) return model.configJson();
  return mlpA1Config(config as MlpConfig);
}

export async function weightFileOf(
  model: Model, config: MlpConfig | CnnConfig, classes: readonly string[], metrics: Record<string, unknown>,
): Promise<WeightFile> {
  return {
    model: model.kind,
    config: a1ConfigOf(model, config),
    classes: [...classes],
    metrics: { ...metrics },
    tensors: await readStateDict(model),
  };
}

export async function exportWeights(
  model: Model, config: MlpConfig | CnnConfig, classes: readonly string[], metrics: Record<string, unknown>, format: WeightFormat,
): Promise<Uint8Array> {
  return encodeWeights(await weightFileOf(model, config, classes, metrics), format);
}

/** Decodes a weight file and builds its model; throws a clear Error for anything that does not fit. */
export async function importWeights(backend: Backend, bytes: Uint8Array): Promise<{ file: WeightFile; model: Model }> {
  const file = await decodeWeights(bytes);
  return { file, model: modelFromWeights(backend, file) };
}
