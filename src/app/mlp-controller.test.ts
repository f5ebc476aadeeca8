import { describe, expect, it, vi } from 'vitest';
import type { DatasetInfo, EvalResult, ModelSummary, TrainCallbacks } from '../../workers/api';
import type { EpochPoint, TrainProgress } from '../train/types';
import { MlpController } from './mlp-controller';
import type { TrainerRemote } from './network-controller';
import { createAppStore } from './page-state';

const BUNDLED: DatasetInfo = {
  id: 'mnist-bundled', name: 'Bundled MNIST', source: 'bundled', classes: ['0', '1'], trainCount: 9000, testCount: 1000, complete: true,
};
const MODEL: ModelSummary = {
  kind: 'mlp', config: { hidden: [8], activation: 'relu' }, architecture: '784-8-2 · relu', classes: ['0', '1'], parameterCount: 6298,
  metrics: { dev_accuracy: 0.9 }, origin: 'trained',
};
const EVAL: EvalResult = {
  report: {
    split: 'test', count: 1000, accuracy: 0.95, loss: 0.2, classes: ['0', '1'], perClassAccuracy: [0.96, 0.94],
    confusion: [[480, 20], [30, 470]], hardest: [1, 0], misclassified: [],
  },
  examples: [],
};
const PROGRESS: TrainProgress = {
  epoch: 1, epochs: 1, step: 1, stepsPerEpoch: 2, globalStep: 1, elapsedMs: 10, etaMs: 10, examplesPerSec: 100,
};
const EPOCH: EpochPoint = {
  epoch: 1, trainLoss: 0.3, trainAccuracy: 0.91, devLoss: 0.35, devAccuracy: 0.9, gap: 0.01, elapsedMs: 20,
};

type FakeOverrides = { mlp?: Record<string, unknown>; digits?: Record<string, unknown> };

/** A fake worker, grouped as the real one (api.ts): the digits and the MLP's group. */
function fakeApi(overrides: FakeOverrides = {}) {
  const digits = {
    ensureBundled: vi.fn(async () => BUNDLED),
    list: vi.fn(async () => [BUNDLED]),
    ...overrides.digits,
  };
  const mlp = {
    selectDataset: vi.fn(async () => BUNDLED),
    train: vi.fn(async (_config: unknown, cb: TrainCallbacks) => {
      cb.onSteps([{ step: 1, epoch: 1, loss: 2.3 }], PROGRESS);
      cb.onSteps([{ step: 2, epoch: 1, loss: 1.9 }], { ...PROGRESS, step: 2 });
      cb.onEpoch(EPOCH);
      return { reason: 'completed', model: MODEL };
    }),
    evaluate: vi.fn(async () => EVAL),
    importModel: vi.fn(async () => {
      throw new Error('not a safetensors file (header length 4 exceeds the file size)');
    }),
    pause: vi.fn(async () => undefined),
    resume: vi.fn(async () => undefined),
    stop: vi.fn(async () => undefined),
    pendingRun: vi.fn(async () => null),
    ...overrides.mlp,
  };
  return { init: vi.fn(async () => ({ datasets: [], model: null, warning: null })), digits, mlp };
}

function setup(overrides: FakeOverrides = {}) {
  const api = fakeApi(overrides);
  const store = createAppStore();
  const download = vi.fn();
  const controller = new MlpController(api as unknown as TrainerRemote, store, { pageBase: 'http://x/', download });
  return { api, store, controller, download };
}

describe('MlpController', () => {
  it('boots: stores the bundled data, selects it and says it is ready', async () => {
    const { api, store, controller } = setup();
    await controller.boot();
    expect(api.digits.ensureBundled).toHaveBeenCalledWith('http://x/', expect.any(Function));
    expect(api.mlp.selectDataset).toHaveBeenCalledWith('mnist-bundled', expect.any(Function));
    expect(store.getState().datasetId).toBe('mnist-bundled');
    expect(store.getState().status).toEqual({ text: '9,000 training digits ready. Press Train to teach the network.', kind: 'success' });
  });

  it('trains, collects chart points, then evaluates on the test set', async () => {
    const { api, store, controller } = setup();
    await controller.boot();
    await controller.train();
    const s = store.getState();
    expect(s.phase).toBe('idle');
    expect(s.lossPoints.map((p) => p.loss)).toEqual([2.3, 1.9]);
    expect(s.progress?.step).toBe(2);
    expect(s.epochPoints).toEqual([EPOCH]);
    expect(s.model).toMatchObject({ kind: 'mlp', metrics: { test_accuracy: 0.95 } });
    expect(s.evalResult).toBe(EVAL);
    expect(api.mlp.evaluate).toHaveBeenCalledWith({});
    expect(s.status.text).toBe('Training finished. Dev accuracy 90.0%. Test accuracy 95.00% on 1,000 digits never seen in training.');
  });

  it('refuses invalid hyperparameters with the reason, without calling the worker', async () => {
    const { api, store, controller } = setup();
    await controller.boot();
    controller.updateForm({ batchSize: 'lots' });
    await controller.train();
    expect(api.mlp.train).not.toHaveBeenCalled();
    expect(store.getState().status).toEqual({ text: 'Batch size: "lots" is not a whole number from 1 to 4096', kind: 'error' });
  });

  it('pauses, resumes and stops a run', async () => {
    let finish: (v: unknown) => void = () => {};
    const { api, store, controller } = setup({
      mlp: { train: vi.fn(() => new Promise((resolve) => (finish = resolve))) },
    });
    await controller.boot();
    const run = controller.train();
    expect(store.getState().phase).toBe('running');
    controller.togglePause();
    expect(store.getState().phase).toBe('paused');
    expect(api.mlp.pause).toHaveBeenCalled();
    controller.togglePause();
    expect(api.mlp.resume).toHaveBeenCalled();
    controller.stop();
    expect(store.getState().phase).toBe('stopping');
    finish({ reason: 'stopped', model: MODEL });
    await run;
    expect(store.getState().phase).toBe('idle');
    expect(store.getState().status.text).toMatch(/^Stopped\. Dev accuracy 90\.0%\. Test accuracy/);
  });

  it('reports a failed import and keeps the model', async () => {
    const { store, controller } = setup();
    await controller.boot();
    store.setState({ model: MODEL });
    await controller.importModel(new File([new Uint8Array(4)], 'broken.safetensors'));
    expect(store.getState().model).toBe(MODEL);
    expect(store.getState().status).toEqual({
      text: 'Could not import broken.safetensors: not a safetensors file (header length 4 exceeds the file size). The current model is unchanged.',
      kind: 'error',
    });
  });

  it('downloads exports under the agreed file name', async () => {
    const bytes = new Uint8Array(2048);
    const { controller, download, store } = setup({ mlp: { exportModel: vi.fn(async () => bytes) } });
    await controller.exportModel('safetensors');
    expect(download).toHaveBeenCalledWith(bytes, 'scratchnet-mlp.safetensors');
    expect(store.getState().status.text).toBe('Downloaded scratchnet-mlp.safetensors (2.0 KB)');
  });

  it('ignores progress messages that arrive after their load finished', async () => {
    let lateProgress: ((p: { phase: string; fraction: number }) => void) | null = null;
    const { store, controller } = setup({
      mlp: {
        selectDataset: vi.fn(async (_id: string, onProgress: typeof lateProgress) => {
          lateProgress = onProgress;
          onProgress!({ phase: 'Reading', fraction: 0.5 });
          expect(store.getState().load).toEqual({ phase: 'Reading', fraction: 0.5 });
          return BUNDLED;
        }),
      },
    });
    await controller.boot();
    lateProgress!({ phase: 'Reading', fraction: 0.9 });
    expect(store.getState().load).toBeNull();
    expect(store.getState().status.kind).toBe('success');
  });

  it('asks for all four IDX files', async () => {
    const { store, controller } = setup();
    await controller.loadIdxFiles([new File([], 'train-images-idx3-ubyte.gz')]);
    expect(store.getState().status.text).toMatch(/Drop all 4 MNIST IDX files.*got 1/);
  });
});
