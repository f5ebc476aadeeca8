import { describe, expect, it, vi } from 'vitest';
import type { ModelSummary, ProgressCallback, SequenceDatasetInfo, TrainCallbacks, TrainOptions } from '../../workers/api';
import type { RnnTrainConfig } from '../train/types';
import type { TrainerRemote } from './network-controller';
import { describeSequences, formOfDataset, RnnController } from './rnn-controller';
import { DEFAULT_QUICKDRAW_FORM } from './rnn-hyperparams';
import { createAppStore } from './page-state';

const CLASSES = ['cat', 'dog'];
const classInfo = (name: string, count: number, done = true, skipped = 0) =>
  ({ name, count, skipped, firstProblem: skipped ? 'line 3: stroke 1 is empty' : null, done });
const COMPLETE: SequenceDatasetInfo = {
  id: 'quickdraw', name: 'Quick Draw (2 classes, ≤ 60 drawings each)', source: 'Quick Draw ndjson from http://data/qd/',
  classes: CLASSES, perClassLimit: 60, perClass: [classInfo('cat', 60, true, 2), classInfo('dog', 60)],
  counts: { train: 96, dev: 12, test: 12 }, complete: true,
};
const INTERRUPTED: SequenceDatasetInfo = {
  ...COMPLETE, perClass: [classInfo('cat', 60), classInfo('dog', 0, false)], counts: { train: 0, dev: 0, test: 0 }, complete: false,
};
const SAMPLE: SequenceDatasetInfo = {
  ...COMPLETE, id: 'quickdraw-sample', name: 'Quick Draw sample (2 classes, 60 drawings each)', source: 'The bundled Quick Draw sample',
  perClass: [classInfo('cat', 60), classInfo('dog', 60)],
};
const MODEL: ModelSummary = {
  kind: 'rnn', config: {}, architecture: 'BiGRU 1×8 → 2', classes: CLASSES, parameterCount: 1234, metrics: {}, origin: 'trained',
};

function setup(stored: SequenceDatasetInfo[]) {
  let datasets = stored;
  const rnn = {
    // No interrupted run to offer.
    pendingRun: vi.fn(async () => null),
    modelSummary: vi.fn(async () => null as ModelSummary | null),
    listDatasets: vi.fn(async () => datasets),
    selectDataset: vi.fn(async (id: string) => {
      const d = datasets.find((x) => x.id === id && x.complete);
      if (!d) throw new Error('incomplete; press Load to resume it');
      return d;
    }),
    previews: vi.fn(async () => [{ classIndex: 0, label: 'cat', strokes: [[[0, 9], [0, 9]]] }]),
    loadRemote: vi.fn(async (_b: string, _c: string[], _n: number, onProgress: ProgressCallback) => {
      onProgress({ phase: 'Quick Draw "cat" (class 1 of 2): 30 of 60 drawings', fraction: 0.25 });
      datasets = [COMPLETE];
      return COMPLETE;
    }),
    loadFiles: vi.fn(async () => COMPLETE),
    ensureSample: vi.fn(async (_base: string, onProgress: ProgressCallback) => {
      onProgress({ phase: 'Storing the Quick Draw sample: "cat" (class 1 of 2)', fraction: 0.5 });
      datasets = [...datasets, SAMPLE];
      return SAMPLE;
    }),
    train: vi.fn(async (_c: RnnTrainConfig, _cb: TrainCallbacks, _o?: TrainOptions) => ({ reason: 'completed', model: MODEL })),
    evaluate: vi.fn(async () => { throw new Error('no test drawings in this fake'); }),
    predictStrokes: vi.fn(async () => ({ probs: Float32Array.of(0.25, 0.75), sequence: Float32Array.of(0, 0, 0, 1, 1, 1), steps: 2, points: 2, deltaScale: 20 })),
  };
  const api = { rnn };
  const store = createAppStore();
  const mlpStore = createAppStore();
  mlpStore.setState({ kernels: 'WebAssembly SIMD' });
  const controller = new RnnController(api as unknown as TrainerRemote, store, { pageBase: 'http://x/', download: vi.fn() });
  return { api, store, mlpStore, controller, setStored: (d: SequenceDatasetInfo[]) => void (datasets = d) };
}

describe('RnnController', () => {
  it('offers the stored dataset on startup: selected, previews shown, the load form filled from it', async () => {
    const { api, store, mlpStore, controller } = setup([COMPLETE]);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    expect(api.rnn.selectDataset).toHaveBeenCalledWith('quickdraw', expect.anything());
    expect(store.getState()).toMatchObject({ datasetId: 'quickdraw', kernels: 'WebAssembly SIMD' });
    expect(controller.rnn.getState().previews).toHaveLength(1);
    expect(controller.rnn.getState().quickDraw).toEqual({ base: 'http://data/qd/', classes: 'cat, dog', perClass: '60' });
    expect(store.getState().status).toMatchObject({ kind: 'success', text: expect.stringMatching(/^Quick Draw: 120 drawings of 2 classes/) });
  });

  it('after a reload mid-download, says how far it got and resumes with the same request on Load', async () => {
    const { api, store, mlpStore, controller } = setup([INTERRUPTED]);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    // The sample is stored meanwhile, so Train works while the download waits to be resumed.
    expect(store.getState().datasetId).toBe('quickdraw-sample');
    expect(store.getState().status.text).toMatch(/1 of 2 classes stored before the download stopped\. Press "Load" to resume/);
    await controller.loadRemote();
    expect(api.rnn.loadRemote).toHaveBeenCalledWith('http://data/qd/', CLASSES, 60, expect.anything());
    expect(store.getState()).toMatchObject({ datasetId: 'quickdraw', load: null });
    expect(store.getState().status.text).toMatch(/2 unusable lines skipped \(first: cat line 3: stroke 1 is empty\)/);
    expect(controller.rnn.getState().datasets).toEqual([COMPLETE]);
  });

  it('on a fresh profile stores the bundled sample and selects it: ready to train without pressing Load', async () => {
    const { api, store, mlpStore, controller } = setup([]);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    expect(api.rnn.ensureSample).toHaveBeenCalledWith('http://x/', expect.anything());
    expect(api.rnn.selectDataset).toHaveBeenCalledWith('quickdraw-sample', expect.anything());
    expect(store.getState()).toMatchObject({ datasetId: 'quickdraw-sample', load: null });
    expect(store.getState().status).toMatchObject({ kind: 'success', text: expect.stringMatching(/120 drawings of 2 classes.*Press Train/) });
    // The load form keeps its defaults (the public folder): "Load" fetches more than the sample.
    expect(controller.rnn.getState().quickDraw).toEqual(DEFAULT_QUICKDRAW_FORM);
  });

  it('stores the sample while the MLP page is still booting, not after', async () => {
    const { api, store, mlpStore, controller } = setup([]);
    let mlpBooted!: () => void;
    const booting = controller.bootAfter(new Promise<void>((resolve) => (mlpBooted = resolve)), mlpStore);
    await vi.waitFor(() => expect(api.rnn.ensureSample).toHaveBeenCalledTimes(1));
    expect(api.rnn.selectDataset).not.toHaveBeenCalled();
    mlpBooted();
    await booting;
    expect(store.getState().datasetId).toBe('quickdraw-sample');
    expect(api.rnn.ensureSample).toHaveBeenCalledTimes(1);
  });

  it('prefers drawings the user loaded over the sample, and does not store the sample again', async () => {
    const { api, store, mlpStore, controller } = setup([SAMPLE, COMPLETE]);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    expect(api.rnn.ensureSample).not.toHaveBeenCalled();
    expect(store.getState().datasetId).toBe('quickdraw');
  });

  it('says so when the sample cannot be stored, and Load still works', async () => {
    const { api, store, mlpStore, controller } = setup([]);
    api.rnn.ensureSample.mockRejectedValueOnce(new Error('the bundled Quick Draw sample is damaged'));
    await controller.bootAfter(Promise.resolve(), mlpStore);
    expect(store.getState()).toMatchObject({ datasetId: null, load: null });
    expect(store.getState().status).toMatchObject({ kind: 'error', text: expect.stringMatching(/Could not store the bundled Quick Draw sample: .*damaged/) });
    await controller.loadRemote();
    expect(store.getState().datasetId).toBe('quickdraw');
  });

  it('shows a failed load in the status and keeps the data already loaded', async () => {
    const { api, store, mlpStore, controller } = setup([COMPLETE]);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    api.rnn.loadRemote.mockRejectedValueOnce(new Error('HTTP 404 for unicorn.ndjson (is "unicorn" a Quick Draw class name?)'));
    controller.updateQuickDraw({ classes: 'cat, unicorn' });
    await controller.loadRemote();
    expect(store.getState().status).toMatchObject({ kind: 'error', text: expect.stringMatching(/is "unicorn" a Quick Draw class name/) });
    expect(store.getState()).toMatchObject({ datasetId: 'quickdraw', load: null });
    expect(controller.rnn.getState().selected).toEqual(COMPLETE);

    controller.updateQuickDraw({ base: 'not a url' });
    await controller.loadRemote();
    expect(store.getState().status.text).toMatch(/not a folder URL/);
    await controller.loadFiles([new File(['x'], 'notes.txt')]);
    expect(store.getState().status.text).toBe('notes.txt is not a Quick Draw .ndjson file (expected <class>.ndjson)');
    expect(api.rnn.loadFiles).not.toHaveBeenCalled();
  });

  it('keeps the error when a progress event arrives after the failed load (events travel on their own channel)', async () => {
    const { api, store, mlpStore, controller } = setup([COMPLETE]);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    let lateProgress: ProgressCallback | null = null;
    api.rnn.loadRemote.mockImplementationOnce(async (_b, _c, _n, onProgress) => {
      lateProgress = onProgress;
      throw new Error('HTTP 404 for unicorn.ndjson');
    });
    const refreshed = api.rnn.listDatasets.getMockImplementation()!;
    // The late event lands while the controller refreshes its dataset list after the failure.
    api.rnn.listDatasets.mockImplementationOnce(async () => {
      lateProgress!({ phase: 'Quick Draw "cat" (class 1 of 2): 60 of 60 drawings', fraction: 0.5 });
      return refreshed();
    });
    controller.updateQuickDraw({ classes: 'cat, unicorn' });
    await controller.loadRemote();
    expect(store.getState().status).toMatchObject({ kind: 'error', text: 'HTTP 404 for unicorn.ndjson' });
    expect(store.getState().load).toBeNull();
  });

  it('trains with the form’s config through the rnn group and refuses a bad form', async () => {
    const { api, store, mlpStore, controller } = setup([COMPLETE]);
    await controller.bootAfter(Promise.resolve(), mlpStore);
    controller.updateRnnForm({ hidden: '8', layers: '1', epochs: '1', trainLimit: '40' });
    await controller.train();
    const [config, , options] = api.rnn.train.mock.calls[0];
    expect(config).toMatchObject({ model: 'rnn', epochs: 1, net: { hidden: 8, layers: 1 } });
    expect(options).toMatchObject({ trainLimit: 40, runId: expect.stringMatching(/^r-/) });
    expect(store.getState()).toMatchObject({ phase: 'idle', model: MODEL });
    expect(store.getState().status.text).toMatch(/no test drawings in this fake/);

    controller.updateRnnForm({ lr: 'fast' });
    await controller.train();
    expect(store.getState().status).toEqual({ kind: 'error', text: 'Learning rate: "fast" is not a number from 0.000001 to 1' });
    expect(api.rnn.train).toHaveBeenCalledTimes(1);
  });

  it('asks for data before training when nothing is loaded', async () => {
    const { api, store, mlpStore, controller } = setup([]);
    api.rnn.ensureSample.mockRejectedValueOnce(new Error('offline'));
    await controller.bootAfter(Promise.resolve(), mlpStore);
    expect(store.getState().status.text).toMatch(/Press "Load"/);
    await controller.train();
    expect(store.getState().status).toEqual({ kind: 'error', text: 'No Quick Draw drawings loaded yet: press "Load" first' });
    expect(api.rnn.train).not.toHaveBeenCalled();
  });

  it('keeps the prediction and the sequence seen, drops a stale answer, and clears both', async () => {
    const { store, controller } = setup([COMPLETE]);
    await controller.predictStrokes([[[1, 2], [3, 4]]]);
    expect(store.getState().prediction.probs).toEqual([0.25, 0.75]);
    expect(controller.rnn.getState().seen).toEqual({ sequence: [0, 0, 0, 1, 1, 1], steps: 2, points: 2, deltaScale: 20 });
    controller.clearPrediction();
    await controller.predictStrokes([[[1], [3]]], () => false);
    expect(store.getState().prediction.probs).toBeNull();
    expect(controller.rnn.getState().seen).toBeNull();
  });

  it('passes the mirror-average choice to the canvas prediction and to the evaluation', async () => {
    const { api, controller } = setup([COMPLETE]);
    await controller.predictStrokes([[[1, 2], [3, 4]]]);
    expect(api.rnn.predictStrokes).toHaveBeenLastCalledWith(expect.anything(), { mirrorAverage: false });
    controller.setMirrorAverage(true);
    await controller.predictStrokes([[[1, 2], [3, 4]]]);
    expect(api.rnn.predictStrokes).toHaveBeenLastCalledWith(expect.anything(), { mirrorAverage: true });
    await controller.evaluate();
    expect(api.rnn.evaluate).toHaveBeenLastCalledWith({ mirrorAverage: true });
  });
});

describe('RNN page texts', () => {
  it('describes a dataset and the form that repeats its load', () => {
    expect(describeSequences(COMPLETE)).toBe('120 drawings of 2 classes (96 train / 12 dev / 12 test); 2 unusable lines skipped (first: cat line 3: stroke 1 is empty)');
    const files = { ...COMPLETE, source: 'files: cat.ndjson (10 bytes)' };
    expect(formOfDataset(files, DEFAULT_QUICKDRAW_FORM).base).toBe('/quickdraw/');
  });
});
