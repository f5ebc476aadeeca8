/**
 * The MLP's first layer as pictures: fc1.weight holds one row of `inputs` weights per hidden unit,
 * which for image inputs is itself an image (what that unit looks for).
 */
import { MlpModel, readStateDict } from '../../nn/models';
import type { Model } from '../../nn/types';
import type { FirstLayerWeights } from './types';

/** [h, w] for a square number of inputs (784 → 28×28, 256 → 16×16), else one row. */
export function imageShapeOf(inputs: number): [number, number] {
  const side = Math.round(Math.sqrt(inputs));
  return side * side === inputs ? [side, side] : [1, inputs];
}

/** The first `maxUnits` rows of fc1.weight (a host copy); null for a model without a dense first layer. */
export async function firstLayerWeights(model: Model | null, maxUnits = 64): Promise<FirstLayerWeights | null> {
  if (!(model instanceof MlpModel) || model.config.hidden.length === 0) return null;
  const weight = (await readStateDict(model)).get('fc1.weight');
  if (!weight || weight.shape.length !== 2) return null;
  const [units, inputs] = weight.shape;
  const shown = Math.min(units, maxUnits);
  return { units, inputs, shown, imageShape: imageShapeOf(inputs), weights: weight.data.slice(0, shown * inputs) };
}
