import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../src/data/types';
import { CpuBackend } from '../src/kernels/cpu';
import type { StepPoint, TrainConfig } from '../src/train/types';
import type { EpochPoint } from '../src/train/types';
import { TrainerSession } from './session';
import { DATASET_ID, TEST_COUNT, TRAIN_COUNT, storeSmallMnist } from './test-data';

const CONFIG: TrainConfig = {
  model: 'mlp',
  net: { hidden: [64], activation: 'relu' },
  optimizer: { kind: 'adam', lr: 0.002, weightDecay: 0 },
  batchSize: 64,
  epochs: 2,
  seed: 3,
  trainFraction: 0.9,
};

/** A thick vertical bar: a "1" as a user would draw it on a 140×140 canvas. */
function drawnOne(): Uint8ClampedArray {
  const ink = new Uint8ClampedArray(140 * 140);
  for (let y = 20; y < 120; y++) for (let x = 64; x < 76; x++) ink[y * 140 + x] = 255;
  return ink;
}

describe('TrainerSession', () => {
  let test: ImageSet;
  const session = new TrainerSession(new CpuBackend());

  beforeAll(async () => {
    test = await storeSmallMnist();
  });

  it('starts without a model and lists the stored dataset', async () => {
    const startup = await session.init();
    expect(startup.model).toBeNull();
    expect(startup.warning).toBeNull();
    expect(startup.datasets.map((d) => d.id)).toContain(DATASET_ID);
    await expect(session.mlp.exportModel('safetensors')).rejects.toThrow(/No model yet/);
    await expect(session.mlp.train(CONFIG, { onSteps() {}, onEpoch() {} })).rejects.toThrow(/No dataset loaded/);
  });

  it('trains on the selected dataset, reporting steps and epochs', async () => {
    const info = await session.mlp.selectDataset(DATASET_ID);
    expect(info).toMatchObject({ trainCount: TRAIN_COUNT, testCount: TEST_COUNT, complete: true });
    const steps: StepPoint[] = [];
    const epochs: EpochPoint[] = [];
    const outcome = await session.mlp.train(CONFIG, {
      onSteps: (points) => steps.push(...points),
      onEpoch: (point) => epochs.push(point),
    });
    expect(outcome.reason).toBe('completed');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(steps.length).toBe(2 * Math.ceil((TRAIN_COUNT * 0.9) / 64));
    expect(outcome.model).toMatchObject({ kind: 'mlp', origin: 'trained', parameterCount: 784 * 64 + 64 + 650 });
    expect(outcome.model.metrics.dev_accuracy).toBeGreaterThan(0.75);
  });

  it('evaluates on the test split with the misclassified digits attached', async () => {
    const { report, examples } = await session.mlp.evaluate();
    expect(report.count).toBe(TEST_COUNT);
    expect(report.accuracy).toBeGreaterThan(0.75);
    expect(examples.length).toBeGreaterThan(0);
    const first = examples[0];
    expect(first.pixels).toEqual(test.pixels.slice(first.index * 784, (first.index + 1) * 784));
    expect(test.labels[first.index]).toBe(first.label);
    expect(session.mlp.summary()!.metrics.test_accuracy).toBe(report.accuracy);
  });

  it('predicts a drawing: MNIST-style input and probabilities that sum to 1', async () => {
    const { input, probs } = await session.mlp.predictInk(drawnOne(), 140, 140);
    expect(input!.length).toBe(784);
    expect(probs!.length).toBe(10);
    expect(probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(await session.mlp.predictInk(new Uint8ClampedArray(100), 10, 10)).toEqual({ input: null, probs: null });
  });

  it('keeps the current model when an import fails, and accepts its own exports', async () => {
    const before = await session.mlp.predict(test.pixels.slice(0, 784));
    const garbage = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await expect(session.mlp.importModel(garbage)).rejects.toThrow(/./);
    const npz = await session.mlp.exportModel('npz');
    const truncated = (await session.mlp.exportModel('safetensors')).slice(0, 200);
    await expect(session.mlp.importModel(truncated)).rejects.toThrow(/./);
    expect(await session.mlp.predict(test.pixels.slice(0, 784))).toEqual(before);

    const summary = await session.mlp.importModel(npz);
    expect(summary.origin).toBe('imported');
    expect(summary.config).toEqual({ hidden: [64], activation: 'relu' });
    expect(await session.mlp.predict(test.pixels.slice(0, 784))).toEqual(before);
  });

  it('restores the saved model in a new session (a page reload)', async () => {
    const expected = await session.mlp.predict(test.pixels.slice(784, 2 * 784));
    const reloaded = new TrainerSession(new CpuBackend());
    const startup = await reloaded.init();
    expect(startup.model).toMatchObject({ kind: 'mlp', origin: 'restored' });
    expect(await reloaded.mlp.predict(test.pixels.slice(784, 2 * 784))).toEqual(expected);
  });

  it('refuses conflicting work while training and stops on request', async () => {
    let stopped = false;
    const run = session.mlp.train({ ...CONFIG, epochs: 50 }, {
      onSteps: () => {
        if (!stopped) {
          stopped = true;
          session.mlp.stop();
        }
      },
      onEpoch() {},
    });
    await expect(session.mlp.evaluate()).rejects.toThrow(/Training is running/);
    await expect(session.mlp.importModel(new Uint8Array(16))).rejects.toThrow(/Training is running/);
    const outcome = await run;
    expect(outcome.reason).toBe('stopped');
    expect((await session.mlp.evaluate()).report.count).toBe(TEST_COUNT);
  });
});
