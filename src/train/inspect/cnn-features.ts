/**
 * Inside the CNN: its conv filters, and for one input the feature maps each conv block hands on
 * (after conv → pool → ReLU), read back on any backend (a GPU backend reads only asynchronously).
 */
import type { ImageSet } from '../../data/types';
import type { Tensor } from '../../kernels/backend';
import type { Layer } from '../../nn/layers/layer';
import { readHost } from '../../nn/host';
import { CnnModel } from '../../nn/models';
import type { Model } from '../../nn/types';
import { Batcher } from '../batches';
import type { CnnFeatures, CnnFilterBank, CnnFeatureMaps } from './types';

/**
 * One tile per output channel: conv1's kernels as they are (one input channel), deeper convs'
 * kernels averaged over their input channels (one picture per filter, not C of them).
 */
async function filterBanks(model: CnnModel): Promise<CnnFilterBank[]> {
  const banks: CnnFilterBank[] = [];
  for (const conv of model.convs) {
    const [outChannels, inChannels, k] = conv.weight.value.shape;
    const raw = await readHost(model.backend, conv.weight.value);
    const area = k * k;
    const weights = new Float32Array(outChannels * area);
    for (let o = 0; o < outChannels; o++) {
      for (let c = 0; c < inChannels; c++) {
        const from = (o * inChannels + c) * area;
        for (let i = 0; i < area; i++) weights[o * area + i] += raw[from + i] / inChannels;
      }
    }
    banks.push({ name: conv.name, outChannels, inChannels, kernel: k, weights });
  }
  return banks;
}

/**
 * Runs `pixels` (one input, uint8 MNIST convention, standardized with the model's norm as
 * prediction does) through the network and copies each block's output while the pass runs: the
 * layers' own buffers would be overwritten by any other forward during the asynchronous read.
 */
async function featureMaps(model: CnnModel, pixels: Uint8Array): Promise<CnnFeatureMaps[]> {
  const { backend } = model;
  const set: ImageSet = { inputShape: [model.inputSize], classes: [], count: 1, pixels, labels: new Uint8Array(1) };
  const batcher = new Batcher(backend, set, null, 1, model.norm);
  const copies = new Map<Layer, Tensor>();
  const blockEnds: readonly Layer[] = model.blockEnds;
  try {
    model.forwardVisiting(batcher.batch(0).input, false, (layer, output) => {
      if (!blockEnds.includes(layer)) return;
      const copy = backend.tensor(output.shape);
      backend.copy(output, copy);
      copies.set(layer, copy);
    });
    const maps: CnnFeatureMaps[] = [];
    for (const [i, block] of model.blockEnds.entries()) {
      const [channels, height, width] = block.shape;
      const values = Float32Array.from(await readHost(backend, copies.get(block)!));
      maps.push({ name: `block${i + 1}`, channels, height, width, values });
    }
    return maps;
  } finally {
    for (const t of copies.values()) backend.dispose(t);
    batcher.dispose();
  }
}

/**
 * The CNN's filters, and with `pixels` (model.inputSize bytes) its feature maps for that input;
 * null when `model` is not a CNN.
 */
export async function cnnFeatures(model: Model | null, pixels: Uint8Array | null): Promise<CnnFeatures | null> {
  // The maps come from the CNN's own layers (convs, block ends, a forward that visits them): the
  // class check is what reaches them; a flag in the kind's spec would need a cast here instead.
  if (!(model instanceof CnnModel)) return null;
  if (pixels && pixels.length !== model.inputSize) {
    throw new Error(`The CNN reads ${model.inputSize} pixels (${model.inputShape.join('×')}), got ${pixels.length}`);
  }
  const filters = await filterBanks(model);
  const maps = pixels ? await featureMaps(model, pixels) : null;
  return { inputShape: [...model.inputShape], filters, maps };
}

/** The `k` channels of one block's maps with the highest mean activation, most active first. */
export function strongestChannels(maps: CnnFeatureMaps, k: number): { channel: number; mean: number }[] {
  const area = maps.height * maps.width;
  const means = Array.from({ length: maps.channels }, (_, channel) => {
    let sum = 0;
    for (let i = channel * area; i < (channel + 1) * area; i++) sum += maps.values[i];
    return { channel, mean: sum / area };
  });
  return means.sort((a, b) => b.mean - a.mean || a.channel - b.channel).slice(0, k);
}
