import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetInfo, EvalResult, ModelSummary, PendingRun, TrainCallbacks } from '../../workers/api';
import type { EpochPoint, MlpTrainConfig } from '../train/types';
import { MlpController } from './mlp-controller';
import type { TrainerRemote } from './network-controller';
import type { FinishedRun } from './run-log';
import { STOP_GRACE_MS } from './resume-controller';
import { createAppStore } from './page-state';

const BUNDLED: DatasetInfo = {
  id: 'mnist-bundled', name: 'Bundled MNIST', source: 'bundled', classes: ['0', '1'], trainCount: 9000, testCount: 1000, complete: true,
};
const MODEL: ModelSummary = {
  kind: 'mlp', config: {}, architecture: '784-8-2 · relu', classes: ['0', '1'], parameterCount: 10, metrics: { dev_accuracy: 0.9, epochs: 3 }, origin: 'trained',
};
const EVAL = { report: { split: 'test', count: 1000, accuracy: 0.95, loss: 0.2, classes: [], perClassAccuracy: [], confusion: [], hardest: [], misclassified: [] }, examples: [] } as unknown as EvalResult;
const EPOCH = (epoch: number): EpochPoint => ({ epoch, trainLoss: 0.3, trainAccuracy: 0.9, devLoss: 0.3, devAccuracy: 0.9, gap: 0, elapsedMs: 1 });
const CONFIG = { model: 'mlp', epochs: 3 } as MlpTrainConfig;
const PENDING: PendingRun = {
  runId: 'r-cut', epoch: 1, epochs: 3, step: 0, config: CONFIG, options: { trainLimit: 500 }, startedAt: 5, datasetId: 'mnist-bundled',
  loss: [{ step: 1, epoch: 1, loss: 2 }], epochPoints: [EPOCH(1)], error: null,
};

function setup(overrides: Record<string, unknown> = {}) {
  const api = {
    init: vi.fn(async () => ({ datasets: [BUNDLED], model: null, warning: null, kernels: 'CPU' })),
    digits: { ensureBundled: vi.fn(async () => BUNDLED), list: vi.fn(async () => [BUNDLED]) },
    // The MLP page's group; `overrides` replace its calls.
    mlp: {
      selectDataset: vi.fn(async () => BUNDLED),
      pendingRun: vi.fn(async () => null),
      modelSummary: vi.fn(async () => null),
      evaluate: vi.fn(async () => EVAL),
      exportModel: vi.fn(async () => new Uint8Array(1)),
      stop: vi.fn(async () => undefined),
      ...overrides,
    },
  };
  const store = createAppStore();
  const restartWorker = vi.fn();
  const controller = new MlpController(api as unknown as TrainerRemote, store, { pageBase: 'http://x/', download: vi.fn(), restartWorker });
  const records: FinishedRun[] = [];
  controller.runLog = { record: async (run) => void records.push(run) };
  return { api, store, controller, restartWorker, records };
}

afterEach(() => vi.useRealTimers());

describe('resumable runs on the page', () => {
  it('offers an interrupted run at boot with its curves, continues it, and records it under one id: interrupted, then completed', async () => {
    const resumeRun = vi.fn(async (_id: string, cb: TrainCallbacks) => {
      cb.onEpoch(EPOCH(2));
      cb.onEpoch(EPOCH(3));
      return { reason: 'completed', model: MODEL };
    });
    const { api, store, controller, records } = setup({ pendingRun: vi.fn(async () => PENDING), resumeRun });
    await controller.boot();
    expect(api.mlp.pendingRun).toHaveBeenCalled();
    expect(controller.resumable.getState().pending).toEqual(PENDING);
    expect(store.getState().status).toEqual({ kind: 'info', text: 'A run was interrupted after epoch 1 of 3: press Continue run to resume it from there.' });
    expect(store.getState().epochPoints).toHaveLength(1);

    await controller.resumeRun();
    expect(resumeRun.mock.calls[0][0]).toBe('r-cut');
    expect(controller.resumable.getState().pending).toBeNull();
    expect(store.getState()).toMatchObject({ phase: 'idle', model: MODEL });
    expect(store.getState().epochPoints.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(store.getState().status.text).toMatch(/^Training finished\. Dev accuracy 90\.0%\. Test accuracy/);
    expect(records.map((r) => r.id)).toEqual(records.map(() => 'r-cut'));
    expect(records[0].reason).toBe('interrupted');
    expect(records.at(-1)).toMatchObject({ reason: 'completed', startedAt: 5, plan: { config: CONFIG, options: { trainLimit: 500 } } });
  });

  it('keeps offering a run whose resume was refused (nothing lost), with the reason in the status line', async () => {
    const resumeRun = vi.fn(async () => {
      throw new Error('the saved run had trainCount 500, this data gives 400: resume it on the same data and batch size');
    });
    const { store, controller } = setup({ pendingRun: vi.fn(async () => PENDING), resumeRun });
    await controller.boot();
    await controller.resumeRun();
    expect(store.getState().status).toEqual({ kind: 'error', text: 'Training failed: the saved run had trainCount 500, this data gives 400: resume it on the same data and batch size' });
    expect(controller.resumable.getState().pending).toEqual(PENDING);
  });

  it('says why a damaged checkpoint cannot be continued, and offers no Continue', async () => {
    const { store, controller } = setup({ pendingRun: vi.fn(async () => ({ ...PENDING, config: null, error: 'it is not a run checkpoint' })) });
    await controller.boot();
    expect(store.getState().status).toEqual({ kind: 'error', text: 'A run was interrupted but cannot be continued: it is not a run checkpoint. Discard it or train anew.' });
    await controller.resumeRun();
    expect(store.getState().phase).toBe('idle');
  });

  it('shows a checkpoint that could not be saved, and a model that could not be saved, in the status line', async () => {
    let saveErrorShown = '';
    const train = vi.fn(async (_c: unknown, cb: TrainCallbacks) => {
      cb.onSaveError?.('Could not save the checkpoint of epoch 1 (Browser storage is full: could not save "run-checkpoint/x")');
      saveErrorShown = store.getState().status.text;
      return { reason: 'completed', model: { ...MODEL, metrics: { dev_accuracy: 0.9 } }, saveError: 'The model could not be saved in this browser (full): export it to keep it' };
    });
    const { store, controller } = setup({ train });
    await controller.boot();
    await controller.train();
    expect(saveErrorShown).toMatch(/^Could not save the checkpoint of epoch 1 \(Browser storage is full/);
    expect(store.getState().status.text).toContain('The model could not be saved in this browser (full): export it to keep it.');
  });

  it('replaces a worker that does not stop in time, keeps the run resumable, and ignores the abandoned run', async () => {
    vi.useFakeTimers();
    let finishAbandoned: (v: unknown) => void = () => undefined;
    const train = vi.fn((_c: unknown, _cb: unknown, _o: unknown) => new Promise((resolve) => (finishAbandoned = resolve)));
    // The worker is stuck in a long synchronous step: it does not even take the Stop message.
    const { api, store, controller, restartWorker } = setup({ train, stop: vi.fn(() => new Promise(() => undefined)) });
    await controller.boot();
    const run = controller.train();
    expect(train.mock.calls[0][2]).toMatchObject({ runId: expect.stringMatching(/^r-/) });
    api.mlp.pendingRun.mockImplementation(async () => PENDING as never);
    controller.stop();
    expect(store.getState().phase).toBe('stopping');
    await vi.advanceTimersByTimeAsync(STOP_GRACE_MS - 100);
    expect(restartWorker).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(restartWorker).toHaveBeenCalledTimes(1);
    expect(store.getState().phase).toBe('idle');
    expect(api.init).toHaveBeenCalledTimes(2);
    expect(api.mlp.selectDataset).toHaveBeenLastCalledWith('mnist-bundled');
    expect(controller.resumable.getState().pending).toEqual(PENDING);
    expect(store.getState().status).toMatchObject({ kind: 'error', text: expect.stringMatching(/did not stop .*restarted it\. The saved model and the run's last checkpoint are kept/) });
    finishAbandoned({ reason: 'stopped', model: MODEL });
    await run;
    expect(api.mlp.evaluate).not.toHaveBeenCalled();
  });

  it('does not replace a worker that took the Stop, however long its run takes to end', async () => {
    vi.useFakeTimers();
    let finish: (v: unknown) => void = () => undefined;
    const { controller, store, restartWorker } = setup({ train: vi.fn(() => new Promise((resolve) => (finish = resolve))) });
    await controller.boot();
    const run = controller.train();
    controller.stop();
    await vi.advanceTimersByTimeAsync(STOP_GRACE_MS * 3);
    expect(restartWorker).not.toHaveBeenCalled();
    expect(store.getState().phase).toBe('stopping');
    finish({ reason: 'stopped', model: MODEL });
    await vi.advanceTimersByTimeAsync(5000);
    await run;
    expect(store.getState().phase).toBe('idle');
  });

  it('does not replace a worker that stops in time', async () => {
    vi.useFakeTimers();
    let finish: (v: unknown) => void = () => undefined;
    const { controller, restartWorker } = setup({ train: vi.fn(() => new Promise((resolve) => (finish = resolve))) });
    await controller.boot();
    const run = controller.train();
    controller.stop();
    finish({ reason: 'stopped', model: MODEL });
    await vi.advanceTimersByTimeAsync(STOP_GRACE_MS * 2);
    await run;
    expect(restartWorker).not.toHaveBeenCalled();
  });
});
