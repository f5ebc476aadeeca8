import { describe, expect, it, vi } from 'vitest';
import type { DatasetInfo, ModelSummary, PairsInfo, TrainCallbacks, TrainOptions } from '../../workers/api';
import type { TrialResult } from '../train/autotune';
import type { TrainConfig } from '../train/types';
import { CnnController } from './cnn-controller';
import type { TrainerRemote } from './network-controller';
import { createAppStore } from './page-state';

const BUNDLED: DatasetInfo = {
  id: 'mnist-bundled', name: 'Bundled MNIST', source: 'bundled', classes: ['0'], trainCount: 9000, testCount: 1000, complete: true,
};
const FULL: DatasetInfo = { ...BUNDLED, id: 'mnist-full', name: 'Full MNIST', trainCount: 60000, testCount: 10000 };
const PAIRS: PairsInfo = {
  id: 'mnist-pairs-mnist-bundled-0', sourceId: 'mnist-bundled', name: 'Paired', trainCount: 30000, testCount: 5000, samples: [],
};
const FULL_PAIRS: PairsInfo = { ...PAIRS, id: 'mnist-pairs-mnist-full-0', sourceId: 'mnist-full', trainCount: 60000, testCount: 10000 };
const MODEL: ModelSummary = {
  kind: 'cnn2head', config: {}, architecture: 'conv', classes: [], parameterCount: 10, metrics: {}, origin: 'trained',
};

const TRIAL: TrialResult = {
  index: 0, phase: 'sweep', lr: 0.00234, weightDecay: 0.0000567, devAccuracy: 0.5, devLoss: 2, reason: 'completed', seconds: 3,
};

function setup(stored: PairsInfo | null) {
  const digits = { list: vi.fn(async (): Promise<DatasetInfo[]> => [BUNDLED]) };
  const cnn = {
    // No interrupted run to offer.
    pendingRun: vi.fn(async () => null),
    modelSummary: vi.fn(async () => null),
    loadStoredPairs: vi.fn(async (): Promise<PairsInfo | null> => stored),
    preparePairs: vi.fn(async (): Promise<PairsInfo> => PAIRS),
    train: vi.fn(async (_c: TrainConfig, _cb: TrainCallbacks, _o?: TrainOptions) => ({ reason: 'completed', model: MODEL })),
    evaluate: vi.fn(async () => { throw new Error('no test pairs in this fake'); }),
    autotune: vi.fn(async (_r: unknown, onTrial: (t: TrialResult) => void) => {
      onTrial(TRIAL);
      return { best: { lr: 0.00234, weightDecay: 0.0000567, devAccuracy: 0.5 }, trials: [TRIAL], aborted: false };
    }),
  };
  const api = { digits, cnn };
  const store = createAppStore();
  const mlpStore = createAppStore();
  mlpStore.setState({ datasetId: 'mnist-bundled', kernels: 'WebAssembly SIMD' });
  const controller = new CnnController(api as unknown as TrainerRemote, store, { pageBase: 'http://x/', download: vi.fn() });
  return { api, store, mlpStore, controller };
}

describe('CnnController', () => {
  it('boots after the MLP page: loads stored pairs of the MLP’s MNIST', async () => {
    const { api, store, mlpStore, controller } = setup(PAIRS);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    expect(api.cnn.loadStoredPairs).toHaveBeenCalledWith('mnist-bundled');
    expect(store.getState()).toMatchObject({ pages: { cnn: { pairSource: 'mnist-bundled' } }, datasetId: PAIRS.id, kernels: 'WebAssembly SIMD' });
    expect(store.getState().status.text).toMatch(/30,000 training pairs ready/);
  });

  it('builds the pairs by itself on a first visit (none stored), so Train works at once', async () => {
    const { api, store, mlpStore, controller } = setup(null);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    expect(api.cnn.preparePairs).toHaveBeenCalledTimes(1);
    expect(api.cnn.preparePairs).toHaveBeenCalledWith('mnist-bundled', expect.anything());
    expect(store.getState()).toMatchObject({ pages: { cnn: { pairSource: 'mnist-bundled' } }, datasetId: PAIRS.id, load: null });
    expect(store.getState().status.text).toMatch(/30,000 training pairs ready\. Press Train/);
  });

  it('says why when the first build fails, and "Build pairs" retries', async () => {
    const { api, store, mlpStore, controller } = setup(null);
    api.cnn.preparePairs.mockRejectedValueOnce(new Error('storage is full'));
    await controller.bootAfter(Promise.resolve(), mlpStore);
    expect(store.getState()).toMatchObject({ datasetId: null, load: null });
    expect(store.getState().status).toMatchObject({ kind: 'error', text: expect.stringMatching(/Could not build the pairs: storage is full/) });
    await controller.train();
    expect(store.getState().status).toMatchObject({ kind: 'error', text: expect.stringMatching(/Build pairs/) });
    await controller.buildPairs();
    expect(store.getState()).toMatchObject({ datasetId: PAIRS.id, load: null });
  });

  it('follows the MLP page to other digits once (full MNIST loaded there): pairs those on arrival', async () => {
    const { api, store, mlpStore, controller } = setup(PAIRS);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    api.digits.list.mockResolvedValue([BUNDLED, FULL]);
    api.cnn.loadStoredPairs.mockResolvedValue(null);
    api.cnn.preparePairs.mockResolvedValue(FULL_PAIRS);
    await controller.refreshSources();
    expect(api.cnn.preparePairs).not.toHaveBeenCalled();
    mlpStore.setState({ datasetId: 'mnist-full' });
    await controller.refreshSources();
    expect(api.cnn.preparePairs).toHaveBeenCalledWith('mnist-full', expect.anything());
    expect(store.getState()).toMatchObject({ pages: { cnn: { pairSource: 'mnist-full' } }, datasetId: FULL_PAIRS.id });
    // The user's own choice of digits afterwards is kept on the next arrival.
    controller.setPairSource('mnist-bundled');
    await controller.refreshSources();
    expect(api.cnn.preparePairs).toHaveBeenCalledTimes(1);
    expect(store.getState().pages.cnn.pairSource).toBe('mnist-bundled');
  });

  it('trains with the CNN form: variant and subset reach the worker', async () => {
    const { api, store, mlpStore, controller } = setup(PAIRS);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    controller.updateCnnForm({ variant: 'cnn2head', trainLimit: '2000', epochs: '1' });
    await controller.train();
    const [config, , options] = api.cnn.train.mock.calls[0];
    expect(config).toMatchObject({ model: 'cnn2head', epochs: 1 });
    expect(options).toMatchObject({ trainLimit: 2000, runId: expect.stringMatching(/^r-/) });
    expect(store.getState()).toMatchObject({ phase: 'idle', model: MODEL });
  });

  it('auto-tunes on a subset, puts the best pair into the form and retrains with it', async () => {
    const { api, store, mlpStore, controller } = setup(PAIRS);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    await controller.autotune();
    expect(api.cnn.autotune.mock.calls[0][0]).toMatchObject({ subset: 3000, epochs: 1, base: { model: 'cnn' } });
    expect(store.getState()).toMatchObject({ phase: 'idle', pages: { cnn: { trials: [TRIAL] } } });
    expect(store.getState().pages.cnn.form).toMatchObject({ lr: '0.0023', l2: '0.000057' });
    expect(api.cnn.train).toHaveBeenCalledTimes(1);
    const [config, , options] = api.cnn.train.mock.calls[0];
    expect(config.optimizer).toMatchObject({ lr: 0.0023, weightDecay: 0.000057 });
    expect(options?.trainLimit).toBeUndefined();
  });

  it('leaves the retraining to the user when it is turned off', async () => {
    const { api, store, mlpStore, controller } = setup(PAIRS);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    controller.setAutotuneRetrain(false);
    await controller.autotune();
    expect(api.cnn.train).not.toHaveBeenCalled();
    expect(store.getState().status.text).toMatch(/best lr 0.0023.*Press Train/);
  });

  it('refuses a bad form without calling the worker', async () => {
    const { api, store, mlpStore, controller } = setup(PAIRS);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    controller.updateCnnForm({ epochs: '99' });
    await controller.train();
    expect(api.cnn.train).not.toHaveBeenCalled();
    expect(store.getState().status.text).toMatch(/Epochs/);
  });
});
