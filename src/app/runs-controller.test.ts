import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { listRuns, loadRunWeights } from '../data/runs-store';
import type { RunRecord } from '../train/runs';
import type { EpochPoint, TrainProgress } from '../train/types';
import type { DatasetInfo, EvalResult, ModelSummary, TrainCallbacks } from '../../workers/api';
import { MlpController } from './mlp-controller';
import type { TrainerRemote } from './network-controller';
import { createRunsStore, RunsController } from './runs-controller';
import { createAppStore, pagePatch } from './page-state';

const BUNDLED: DatasetInfo = {
  id: 'mnist-bundled', name: 'Bundled MNIST', source: 'bundled', classes: ['0', '1'], trainCount: 9000, testCount: 1000, complete: true,
};
const MODEL: ModelSummary = {
  kind: 'mlp', config: { hidden: [16], activation: 'relu' }, architecture: '784-16-10 · relu', classes: ['0', '1'],
  parameterCount: 12730, metrics: {}, origin: 'trained',
};
const EVAL: EvalResult = {
  report: {
    split: 'test', count: 100, accuracy: 0.93, loss: 0.2, classes: ['0', '1'], perClassAccuracy: [1, 1],
    confusion: [[50, 0], [0, 50]], hardest: [0, 1], misclassified: [],
  },
  examples: [],
};
const PROGRESS: TrainProgress = { epoch: 1, epochs: 2, step: 5, stepsPerEpoch: 5, globalStep: 5, elapsedMs: 10, etaMs: 0, examplesPerSec: 1 };
const epoch = (e: number, dev: number): EpochPoint => ({
  epoch: e, trainLoss: 0.5, trainAccuracy: dev + 0.02, devLoss: 0.6, devAccuracy: dev, gap: 0.02, elapsedMs: e,
});

function setup(reason: 'completed' | 'diverged' = 'completed') {
  const mlp = {
    selectDataset: vi.fn(async () => BUNDLED),
    train: vi.fn(async (_config: unknown, cb: TrainCallbacks) => {
      cb.onSteps([{ step: 1, epoch: 1, loss: 2.3 }, { step: 5, epoch: 1, loss: 1.1 }], PROGRESS);
      cb.onEpoch(epoch(1, 0.8));
      cb.onEpoch(epoch(2, 0.9));
      return { reason, model: MODEL };
    }),
    evaluate: vi.fn(async () => EVAL),
    exportModel: vi.fn(async () => Uint8Array.from([7, 7, 7])),
  };
  const api = { mlp };
  const store = createAppStore();
  store.setState({ datasetId: 'mnist-bundled', kernels: 'WebAssembly SIMD' });
  const controller = new MlpController(api as unknown as TrainerRemote, store, { pageBase: 'http://x/', download: vi.fn() });
  const download = vi.fn();
  const runs = new RunsController(createRunsStore(), { download, backend: () => 'typed arrays' });
  controller.runLog = runs;
  return { api, store, controller, runs, download };
}

describe('RunsController', () => {
  beforeEach(async () => {
    const { runs } = setup();
    await runs.load();
    runs.selectAll(true);
    await runs.deleteSelected();
  });

  it('records a finished run with its config, curves and metrics, in memory and in IndexedDB', async () => {
    const { controller, store, runs } = setup();
    store.setState((s) => pagePatch(s, 'mlp', { form: { ...s.pages.mlp.form, hidden: '16', lr: '0.05', seed: '3' } }));
    await controller.train();
    const [run] = runs.store.getState().runs;
    expect(run.network).toBe('mlp');
    expect(run.dataset).toBe('mnist-bundled');
    expect(run.backend).toBe('typed arrays');
    expect(run.config).toMatchObject({ model: 'mlp', net: { hidden: [16] }, optimizer: { lr: 0.05 }, seed: 3 });
    expect(run.epochs.map((e) => e.devAccuracy)).toEqual([0.8, 0.9]);
    expect(run.loss.length).toBe(2);
    expect(run.stepsPerEpoch).toBe(5);
    expect(run.bestDevAccuracy).toBe(0.9);
    expect(run.testAccuracy).toBe(0.93);
    expect(run.outcome).toBe('completed');
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    const stored = await listRuns<RunRecord>();
    expect(stored.map((r) => r.id)).toEqual([run.id]);
    expect(stored[0].config).toEqual(run.config);
  });

  it('records a diverged run without a test accuracy', async () => {
    const { controller, runs, api } = setup('diverged');
    await controller.train();
    expect(api.mlp.evaluate).not.toHaveBeenCalled();
    const [run] = runs.store.getState().runs;
    expect(run.outcome).toBe('diverged');
    expect(run.testAccuracy).toBeNull();
  });

  it('keeps the weights of the latest run and offers them as a download', async () => {
    const { controller, runs, download } = setup();
    await controller.train();
    const id = runs.store.getState().runs[0].id;
    expect(runs.canKeepWeights(id)).toBe(true);
    await runs.keepWeights(id);
    expect(runs.store.getState().runs[0].hasWeights).toBe(true);
    expect(Array.from((await loadRunWeights(id))!)).toEqual([7, 7, 7]);
    expect((await listRuns<RunRecord>())[0].hasWeights).toBe(true);
    await runs.downloadWeights(id);
    expect(download).toHaveBeenCalledWith(Uint8Array.from([7, 7, 7]), expect.stringMatching(/\.safetensors$/));
  });

  it('stores weights automatically when "keep weights" is on, and refuses for runs no longer current', async () => {
    const { controller, runs } = setup();
    runs.setKeepWeights(true);
    await controller.train();
    const first = runs.store.getState().runs[0];
    expect(first.hasWeights).toBe(true);
    runs.setKeepWeights(false);
    await controller.train();
    expect(runs.canKeepWeights(first.id)).toBe(false);
    await runs.keepWeights(first.id);
    expect(runs.store.getState().message?.kind).toBe('error');
  });

  it('sorts, selects, exports CSV/JSON of the selection and deletes it', async () => {
    const { controller, store, runs, download } = setup();
    for (const lr of ['0.1', '0.01']) {
      store.setState((s) => pagePatch(s, 'mlp', { form: { ...s.pages.mlp.form, lr } }));
      await controller.train();
    }
    const [a, b] = runs.store.getState().runs;
    runs.sortBy('lr');
    expect(runs.store.getState().sort).toEqual({ column: 'lr', descending: false });
    runs.sortBy('lr');
    expect(runs.store.getState().sort.descending).toBe(true);

    runs.toggle(b.id);
    runs.exportSelected('csv');
    const csv = new TextDecoder().decode(download.mock.calls[0][0] as Uint8Array);
    expect(csv.trim().split('\n')).toHaveLength(2);
    expect(csv).toContain(b.id);
    expect(csv).not.toContain(a.id);
    runs.exportSelected('json');
    const json = JSON.parse(new TextDecoder().decode(download.mock.calls[1][0] as Uint8Array));
    expect(json.runs.map((r: RunRecord) => r.config.optimizer.lr)).toEqual([0.01]);
    expect(download.mock.calls[1][1]).toBe('scratchnet-runs.json');

    await runs.deleteSelected();
    expect(runs.store.getState().runs.map((r) => r.id)).toEqual([a.id]);
    expect((await listRuns<RunRecord>()).map((r) => r.id)).toEqual([a.id]);
  });

  it('waits for epoch callbacks that arrive after the run result before recording', async () => {
    const { controller, runs, api } = setup();
    api.mlp.train.mockImplementation(async (_config: unknown, cb: TrainCallbacks) => {
      cb.onEpoch(epoch(1, 0.8));
      setTimeout(() => cb.onEpoch(epoch(2, 0.9)), 60);
      return { reason: 'completed', model: { ...MODEL, metrics: { epochs: 2 } } };
    });
    await controller.train();
    expect(runs.store.getState().runs[0].epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });

  it('tags runs started by a sweep', async () => {
    const { controller, runs } = setup();
    runs.sweepTag = { id: 's1', index: 2, total: 4, label: 'lr=0.01' };
    await controller.train();
    expect(runs.store.getState().runs[0].sweep).toEqual({ id: 's1', index: 2, total: 4, label: 'lr=0.01' });
  });
});
