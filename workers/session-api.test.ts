import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/kernels/cpu';
import type { TrainConfig } from '../src/train/types';
import { TrainerSession } from './session';
import { exposedApi } from './session-api';
import { DATASET_ID, storeSmallMnist } from './test-data';

const CONFIG: TrainConfig = {
  model: 'mlp',
  net: { hidden: [16], activation: 'relu' },
  optimizer: { kind: 'adam', lr: 0.002, weightDecay: 0 },
  batchSize: 64,
  epochs: 1,
  seed: 3,
  trainFraction: 0.9,
};
const silent = { onSteps() {}, onEpoch() {} };

describe('the worker API as the page calls it (grouped per network)', () => {
  const api = exposedApi(new TrainerSession(new CpuBackend()));

  beforeAll(async () => {
    await storeSmallMnist();
    await api.init();
  });

  it('reaches each network’s own session: a run on the MLP changes only the MLP’s model', async () => {
    expect((await api.digits.list()).map((d) => d.id)).toEqual([DATASET_ID]);
    await api.mlp.selectDataset(DATASET_ID);
    const outcome = await api.mlp.train(CONFIG, silent);
    expect(outcome.model).toMatchObject({ kind: 'mlp', origin: 'trained' });
    expect(await api.mlp.modelSummary()).toEqual(outcome.model);
    expect(await api.cnn.modelSummary()).toBeNull();
    expect(await api.rnn.modelSummary()).toBeNull();
    expect((await api.mlp.evaluate()).report.count).toBeGreaterThan(0);
    const bytes = await api.mlp.exportModel('safetensors');
    await expect(api.cnn.importModel(bytes)).rejects.toThrow(/"mlp" model; this page trains and runs "cnn" and "cnn2head" models/);
    await expect(api.rnn.exportModel('npz')).rejects.toThrow(/No model yet/);
  });

  it('refuses a run of one network’s kind on another, and each network’s data is its own', async () => {
    await expect(api.cnn.train(CONFIG, silent)).rejects.toThrow(/"mlp" run; this page trains and runs "cnn" and "cnn2head" models/);
    await expect(api.rnn.train({ ...CONFIG, model: 'rnn' } as never, silent)).rejects.toThrow(/No Quick Draw drawings loaded/);
    expect(await api.cnn.pendingRun()).toBeNull();
  });
});
