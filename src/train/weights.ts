/**
 * The bridge between a live model and the A1 weight file: the page's export/import and the CLI
 * both go through here, so a file written by one reads the same in the other.
 */
import type { Backend } from '../kernels/backend';
import { decodeWeights, encodeWeights, type WeightFile, type WeightFormat } from '../io/weights';
import { modelFromWeights, readStateDict } from '../nn/models';
import type { Model } from '../nn/types';

export async function weightFileOf(
  model: Model, classes: readonly string[], metrics: Record<string, unknown>,
): Promise<WeightFile> {
  return {
    model: model.kind,
    config: model.configJson(),
    classes: [...classes],
    metrics: { ...metrics },
    tensors: await readStateDict(model),
  };
}

export async function exportWeights(
  model: Model, classes: readonly string[], metrics: Record<string, unknown>, format: WeightFormat,
): Promise<Uint8Array> {
  return encodeWeights(await weightFileOf(model, classes, metrics), format);
}

/** Decodes a weight file and builds its model; throws a clear Error for anything that does not fit. */
export async function importWeights(backend: Backend, bytes: Uint8Array): Promise<{ file: WeightFile; model: Model }> {
  const file = await decodeWeights(bytes);
  return { file, model: modelFromWeights(backend, file) };
}
