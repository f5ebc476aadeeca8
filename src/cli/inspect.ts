/**
 * `predict --inspect on`: what the network makes of the one input, printed from the same inspection
 * module the page draws from (src/train/inspect). The MLP: the first-layer units the input drives
 * hardest, as pictures of their weights. The CNN: each conv block's most active feature maps. The
 * BiGRU: what it would answer if the drawing stopped after each stroke.
 */
import type { Drawing } from '../data/strokes';
import { takesSequences } from '../nn/models';
import type { Model } from '../nn/types';
import {
  cnnFeatures, firstLayerWeights, settledStep, stepPredictions, strongestChannels, strongestUnits, topAtStep,
  type CnnFeatures, type FirstLayerWeights,
} from '../train/inspect';
import { asciiArt } from './ascii';

const UNITS_SHOWN = 3;
const CHANNELS_SHOWN = 3;
const GAP = '   ';

interface Tile {
  caption: string;
  values: ArrayLike<number>;
  width: number;
  height: number;
}

/** The tile's values ≥ 0 as ink, the largest one full (negative values are left blank). */
function inkOf(tile: Tile): Uint8Array {
  let top = 0;
  for (let i = 0; i < tile.values.length; i++) top = Math.max(top, tile.values[i]);
  return Uint8Array.from(tile.values, (v) => (top > 0 && v > 0 ? Math.round((255 * v) / top) : 0));
}

/** Tiles of one height side by side, each under its caption. */
export function sideBySide(tiles: readonly Tile[]): string {
  const columns = tiles.map((t) => Math.max(t.width, t.caption.length));
  const arts = tiles.map((t) => asciiArt(inkOf(t), t.width, t.height).split('\n'));
  const rows = Math.max(...tiles.map((t) => t.height));
  const line = (cell: (i: number) => string) => tiles.map((_, i) => cell(i).padEnd(columns[i])).join(GAP).trimEnd();
  const out = [line((i) => tiles[i].caption)];
  for (let y = 0; y < rows; y++) out.push(line((i) => arts[i][y] ?? ''));
  return out.join('\n');
}

function firstLayerText(layer: FirstLayerWeights, pixels: Uint8Array): string {
  const [height, width] = layer.imageShape;
  const top = strongestUnits(layer, pixels, UNITS_SHOWN);
  const tiles = top.map(({ unit, response }) => ({
    caption: `unit ${unit + 1} (${response >= 0 ? '+' : ''}${response.toFixed(2)})`,
    values: layer.weights.subarray(unit * layer.inputs, (unit + 1) * layer.inputs),
    width,
    height,
  }));
  return `first layer: the ${top.length} of ${layer.units} hidden units this input drives hardest ` +
    `(weights · ink), drawn as their positive weights:\n${sideBySide(tiles)}`;
}

function featureMapsText(features: CnnFeatures): string {
  return features.maps!.map((block) => {
    const area = block.height * block.width;
    const tiles = strongestChannels(block, CHANNELS_SHOWN).map(({ channel, mean }) => ({
      caption: `channel ${channel + 1} (${mean.toFixed(2)})`,
      values: block.values.subarray(channel * area, (channel + 1) * area),
      width: block.width,
      height: block.height,
    }));
    return `${block.name}: ${block.channels} feature maps of ${block.height}×${block.width}; ` +
      `the ${tiles.length} most active (mean after ReLU):\n${sideBySide(tiles)}`;
  }).join('\n');
}

/** The MLP's first layer or the CNN's feature maps for one input image (uint8 pixels). */
export async function inspectImageText(model: Model, pixels: Uint8Array): Promise<string> {
  const layer = await firstLayerWeights(model, Infinity);
  if (layer) return firstLayerText(layer, pixels);
  const features = await cnnFeatures(model, pixels);
  if (features) return featureMapsText(features);
  return `a ${model.kind} model without a hidden layer has nothing inside to show`;
}

/** The BiGRU's answer after each stroke of `drawing` (Quick Draw format), and when it settled. */
export async function inspectStepsText(model: Model, drawing: Drawing, classes: readonly string[]): Promise<string> {
  if (!takesSequences(model)) throw new Error(`step-by-step reading is for rnn models, not ${model.kind}`);
  const result = await stepPredictions(model, drawing);
  const said = (t: number) => {
    const { classIndex, prob } = topAtStep(result, t);
    return `${classes[classIndex] ?? classIndex} ${prob.toFixed(2)}`;
  };
  const lines = result.strokeEnds.filter((t) => t < result.steps)
    .map((t, i) => `  after stroke ${i + 1} (step ${t} of ${result.steps}): ${said(t)}`);
  lines.push(`  after the last step (${result.steps}): ${said(result.steps)}`);
  const settled = settledStep(result);
  return `step by step (what it would answer if the drawing stopped there):\n${lines.join('\n')}\n` +
    `  its final answer leads from step ${settled} of ${result.steps} on`;
}
