import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ensureLinesDataset, LINES_ID } from '../src/data/lines';
import { CpuBackend } from '../src/kernels/cpu';
import type { MlpTrainConfig } from '../src/train/types';
import { TrainerSession } from './session';

/** The inspection module (src/train/inspect) as the page reaches it: through the worker session. */
describe('model inspection through the worker session', () => {
  it('is null through the session until a CNN exists', async () => {
    const session = new TrainerSession(new CpuBackend());
    expect(await session.cnn.features(new Uint8Array(28 * 56))).toBeNull();
  });

  it('is null through the session until an RNN exists', async () => {
    const session = new TrainerSession(new CpuBackend());
    expect(await session.rnn.stepPredictions([[[10, 60], [30, 10]]])).toBeNull();
  });
});

describe('the lines toy through the worker session', () => {
  it('loads like any dataset, trains 256-16-2 to 100% and shows 16×16 first-layer images', async () => {
    await ensureLinesDataset();
    const session = new TrainerSession(new CpuBackend());
    await session.init();
    const info = await session.mlp.selectDataset(LINES_ID);
    expect(info).toMatchObject({ classes: ['horizontal', 'vertical'], trainCount: 3000, testCount: 400 });
    const config: MlpTrainConfig = {
      model: 'mlp', net: { hidden: [16], activation: 'relu' }, optimizer: { kind: 'sgd', lr: 0.1, weightDecay: 0 },
      lrSchedule: { kind: 'constant' }, batchSize: 16, epochs: 5, seed: 1, trainFraction: 0.8,
    };
    const outcome = await session.mlp.train(config, { onSteps: () => undefined, onEpoch: () => undefined });
    expect(outcome.reason).toBe('completed');
    expect(outcome.model.architecture).toMatch(/^256-16-2/);
    expect(outcome.model.metrics.dev_accuracy).toBe(1);
    expect((await session.mlp.evaluate()).report.accuracy).toBe(1);
    const weights = await session.mlp.firstLayerWeights();
    expect(weights).toMatchObject({ units: 16, inputs: 256, shown: 16, imageShape: [16, 16] });
    // A 28×28 drawing cannot go into a 16×16 network: no prediction rather than an error.
    const ink = new Uint8ClampedArray(140 * 140).fill(0);
    for (let x = 20; x < 120; x++) ink[70 * 140 + x] = 255;
    expect((await session.mlp.predictInk(ink, 140, 140)).probs).toBeNull();
  });
});
