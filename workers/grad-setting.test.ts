import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/kernels/cpu';
import type { DataParallelPlan, TransportFactory } from '../src/train/data-parallel';
import { inProcessTransport } from '../src/train/data-parallel-inprocess';
import type { TrainConfig } from '../src/train/types';
import { usableWorkers } from './grad-setting';
import { TrainerSession } from './session';
import { DATASET_ID, storeSmallMnist } from './test-data';

const CONFIG: TrainConfig = {
  model: 'mlp',
  net: { hidden: [32], activation: 'relu', dropout: 0.1 },
  optimizer: { kind: 'adam', lr: 0.002, weightDecay: 0 },
  batchSize: 64,
  epochs: 1,
  seed: 3,
  trainFraction: 0.9,
};

const NO_CALLBACKS = { onSteps() {}, onEpoch() {} };

describe('usableWorkers', () => {
  const transport = inProcessTransport(() => new CpuBackend());

  it('uses the asked count where workers can share memory, else one thread', () => {
    expect(usableWorkers(undefined, transport, new CpuBackend())).toBe(1);
    expect(usableWorkers(3, transport, new CpuBackend())).toBe(3);
    expect(usableWorkers(3, null, new CpuBackend())).toBe(1);
  });

  it('rejects counts that make no sense with a message for the page', () => {
    for (const bad of [0, 1.5, 17, Number.NaN]) {
      expect(() => usableWorkers(bad, transport, new CpuBackend())).toThrow(/Workers must be a whole number from 1 to 16/);
    }
  });
});

describe('TrainerSession with workers', () => {
  const plans: DataParallelPlan[] = [];
  const recording: TransportFactory = (plan) => {
    plans.push(plan);
    return inProcessTransport(() => new CpuBackend())(plan);
  };
  const session = new TrainerSession(new CpuBackend());

  beforeAll(async () => {
    await storeSmallMnist();
    await session.init();
    await session.mlp.selectDataset(DATASET_ID);
  });

  it('trains data-parallel when asked and able, to the accuracy of one thread', async () => {
    const one = await session.mlp.train(CONFIG, NO_CALLBACKS);
    expect(plans).toHaveLength(0);
    session.gradientTransport = recording;
    const two = await session.mlp.train(CONFIG, NO_CALLBACKS, { workers: 2 });
    expect(plans.map((p) => p.helpers)).toEqual([1]);
    expect(two.reason).toBe('completed');
    expect(two.model.metrics.dev_accuracy).toBeCloseTo(one.model.metrics.dev_accuracy as number, 2);
  });

  it('refuses a nonsense worker count and keeps the model it has', async () => {
    const before = session.mlp.summary();
    await expect(session.mlp.train(CONFIG, NO_CALLBACKS, { workers: 0 })).rejects.toThrow(/Workers must be a whole number/);
    expect(session.mlp.summary()).toEqual(before);
  });

  it('trains on one thread where no transport is available', async () => {
    session.gradientTransport = null;
    const count = plans.length;
    const outcome = await session.mlp.train(CONFIG, NO_CALLBACKS, { workers: 4 });
    expect(outcome.reason).toBe('completed');
    expect(plans).toHaveLength(count);
  });
});
