import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ensureLinesDataset, LINES_ID } from '../src/data/lines';
import { CpuBackend } from '../src/kernels/cpu';
import { MlpModel, stateDictOf } from '../src/nn/models';
import type { MlpTrainConfig } from '../src/train/types';
import { firstLayerWeights, imageShapeOf } from './first-layer';
import { TrainerSession } from './session';

describe('first-layer weights', () => {
  it('returns the first rows of fc1.weight with the input image shape', async () => {
    const model = new MlpModel(new CpuBackend(), { hidden: [70, 8], activation: 'relu' }, 1);
    const result = await firstLayerWeights(model);
    const fc1 = stateDictOf(model).get('fc1.weight')!;
    expect(result).toMatchObject({ units: 70, inputs: 784, shown: 64, imageShape: [28, 28] });
    expect(result!.weights).toEqual(fc1.data.slice(0, 64 * 784));
    expect(await firstLayerWeights(new MlpModel(new CpuBackend(), { hidden: [], activation: 'relu' }, 1))).toBeNull();
    expect(await firstLayerWeights(null)).toBeNull();
  });

  it('shapes square inputs as images and others as a row', () => {
    expect(imageShapeOf(784)).toEqual([28, 28]);
    expect(imageShapeOf(256)).toEqual([16, 16]);
    expect(imageShapeOf(10)).toEqual([1, 10]);
  });
});

describe('the lines toy through the worker session', () => {
  it('loads like any dataset, trains 256-16-2 to 100% and shows 16×16 first-layer images', async () => {
    await ensureLinesDataset();
    const session = new TrainerSession(new CpuBackend());
    await session.init();
    const info = await session.selectDataset(LINES_ID);
    expect(info).toMatchObject({ classes: ['horizontal', 'vertical'], trainCount: 3000, testCount: 400 });
    const config: MlpTrainConfig = {
      model: 'mlp', net: { hidden: [16], activation: 'relu' }, optimizer: { kind: 'sgd', lr: 0.1, weightDecay: 0 },
      lrSchedule: { kind: 'constant' }, batchSize: 16, epochs: 5, seed: 1, trainFraction: 0.8,
    };
    const outcome = await session.startTraining(config, { onSteps: () => undefined, onEpoch: () => undefined });
    expect(outcome.reason).toBe('completed');
    expect(outcome.model.architecture).toMatch(/^256-16-2/);
    expect(outcome.model.metrics.dev_accuracy).toBe(1);
    expect((await session.evaluate('test')).report.accuracy).toBe(1);
    const weights = await session.firstLayerWeights();
    expect(weights).toMatchObject({ units: 16, inputs: 256, shown: 16, imageShape: [16, 16] });
    // A 28×28 drawing cannot go into a 16×16 network: no prediction rather than an error.
    const ink = new Uint8ClampedArray(140 * 140).fill(0);
    for (let x = 20; x < 120; x++) ink[70 * 140 + x] = 255;
    expect((await session.predictInk(ink, 140, 140)).probs).toBeNull();
  });
});
