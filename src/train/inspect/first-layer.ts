/**
 * A dense first layer as pictures (the MLP's fc1.weight): one row of `inputs` weights per hidden
 * unit, which for image inputs is itself an image (what that unit looks for).
 */
import { modelKind, readStateDict } from '../../nn/models';
import type { Model } from '../../nn/types';
import type { FirstLayerWeights } from './types';

/** [h, w] for a square number of inputs (784 → 28×28, 256 → 16×16), else one row. */
export function imageShapeOf(inputs: number): [number, number] {
  const side = Math.round(Math.sqrt(inputs));
  return side * side === inputs ? [side, side] : [1, inputs];
}

/**
 * The first `maxUnits` rows of the tensor the model's kind names as its input-weight images (an
 * MLP's fc1.weight; a host copy); null for a model whose kind names none.
 */
export async function firstLayerWeights(model: Model | null, maxUnits = 64): Promise<FirstLayerWeights | null> {
  const name = model && modelKind(model.kind).inputWeightImages(model.config);
  if (!model || !name) return null;
  const weight = (await readStateDict(model)).get(name);
  if (!weight || weight.shape.length !== 2) return null;
  const [units, inputs] = weight.shape;
  const shown = Math.min(units, maxUnits);
  return { units, inputs, shown, imageShape: imageShapeOf(inputs), weights: weight.data.slice(0, shown * inputs) };
}

/** A hidden unit and how strongly one input drives it. */
export interface UnitResponse {
  unit: number;
  response: number;
}

/**
 * The `k` units (of those in `layer`) one input drives hardest, most first, by weights · ink
 * (pixels / 255): how much the unit's weight image and the input overlap. Bias and input
 * standardisation are left out, so the ranking is by shape alone.
 */
export function strongestUnits(layer: FirstLayerWeights, pixels: ArrayLike<number>, k: number): UnitResponse[] {
  if (pixels.length !== layer.inputs) throw new Error(`The first layer reads ${layer.inputs} inputs, got ${pixels.length}`);
  const responses: UnitResponse[] = [];
  for (let unit = 0; unit < layer.shown; unit++) {
    let sum = 0;
    for (let i = 0; i < layer.inputs; i++) sum += layer.weights[unit * layer.inputs + i] * pixels[i];
    responses.push({ unit, response: sum / 255 });
  }
  return responses.sort((a, b) => b.response - a.response || a.unit - b.unit).slice(0, k);
}
