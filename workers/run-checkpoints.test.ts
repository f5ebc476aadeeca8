import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBlob } from '../src/data/store';
import { decodeWeights } from '../src/io/weights';
import { CpuBackend } from '../src/kernels/cpu';
import type { MlpTrainConfig, StepPoint } from '../src/train/types';
import type { TrainCallbacks } from './api';
import { deleteRuns, runCheckpointKey } from '../src/data/runs-store';
import { SAVED_MODEL_KEYS, TrainerSession } from './session';
import { DATASET_ID, storeSmallMnist } from './test-data';

const CONFIG: MlpTrainConfig = {
  model: 'mlp', net: { hidden: [24], activation: 'relu', dropout: 0.2 },
  optimizer: { kind: 'adam', lr: 0.003, weightDecay: 1e-4 }, lrSchedule: { kind: 'cosine', minFactor: 0.1 },
  batchSize: 64, epochs: 3, seed: 11, trainFraction: 0.9, weightAverage: 0.99,
};
const OPTIONS = { trainLimit: 1000 };

function callbacks(onSteps: (points: StepPoint[]) => void = () => undefined, errors: string[] = []): TrainCallbacks {
  return { onSteps, onEpoch: () => undefined, onSaveError: (m) => void errors.push(m) };
}

async function freshSession(): Promise<TrainerSession> {
  const session = new TrainerSession(new CpuBackend());
  await session.init();
  await session.mlp.selectDataset(DATASET_ID);
  return session;
}

async function savedMlpBytes(): Promise<Uint8Array | undefined> {
  return loadBlob(SAVED_MODEL_KEYS.mlp);
}

/** A crash inside epoch 2: the worker dies, nothing after this point runs. */
class Crash extends Error {}

/** Makes IndexedDB writes of run checkpoints fail the way a full disk does, while `on`. */
const quota = { on: false };
const put = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
  if (quota.on && JSON.stringify(key ?? '').includes('run-checkpoint/')) throw new DOMException('quota', 'QuotaExceededError');
  return put.call(this, value, key);
};

describe('page runs are checkpointed and resumable (MLP)', () => {
  beforeAll(storeSmallMnist);
  afterEach(() => void (quota.on = false));

  it('a run that dies in epoch 2 keeps the model saved before it, and resumes to the weights of an uninterrupted run', async () => {
    const first = await freshSession();
    await first.mlp.train({ ...CONFIG, epochs: 1 }, callbacks(), { ...OPTIONS, runId: 'r-before' });
    const before = await savedMlpBytes();
    expect(before).toBeDefined();

    const crashAt = (points: StepPoint[]) => {
      if (points.some((p) => p.epoch === 2)) throw new Crash('the tab was reloaded');
    };
    await expect(first.mlp.train(CONFIG, callbacks(crashAt), { ...OPTIONS, runId: 'r-cut', startedAt: 123 })).rejects.toThrow(Crash);
    expect(await savedMlpBytes()).toEqual(before);

    const reloaded = await freshSession();
    expect(reloaded.mlp.summary()?.metrics.epochs).toBe(1);
    const pending = await reloaded.mlp.pendingRun();
    expect(pending).toMatchObject({ runId: 'r-cut', epoch: 1, epochs: 3, startedAt: 123, datasetId: DATASET_ID, error: null });
    expect(pending!.config).toEqual(CONFIG);
    expect(pending!.loss.length).toBeGreaterThan(0);
    const resumed = await reloaded.mlp.resumeRun('r-cut', callbacks());
    expect(resumed.reason).toBe('completed');
    expect(resumed.model.metrics.epochs).toBe(3);
    expect(await reloaded.mlp.pendingRun()).toBeNull();
    expect(await loadBlob(runCheckpointKey('r-cut'))).toBeUndefined();
    const afterResume = (await decodeWeights((await savedMlpBytes())!)).tensors;

    const whole = await freshSession();
    await whole.mlp.train(CONFIG, callbacks(), { ...OPTIONS, runId: 'r-whole' });
    const uninterrupted = (await decodeWeights((await savedMlpBytes())!)).tensors;
    for (const [name, t] of uninterrupted) expect(afterResume.get(name)!.data, name).toEqual(t.data);
  }, 120_000);

  it('while paused, the user can keep the run\'s weights as the saved model; the run then goes on', async () => {
    const session = await freshSession();
    let kept: Promise<[number, Uint8Array | undefined]> | null = null;
    let refused: Promise<string> | null = null;
    const pauseAndKeep = (points: StepPoint[]) => {
      if (refused || !points.some((p) => p.epoch === 2)) return;
      refused = session.mlp.keepPausedWeights().then(() => 'kept', (err: Error) => err.message);
      session.mlp.pause();
      kept = session.mlp.keepPausedWeights()
        .then(async (epochs) => [epochs, await savedMlpBytes()] as [number, Uint8Array | undefined])
        .finally(() => session.mlp.resume());
    };
    const outcome = await session.mlp.train(CONFIG, callbacks(pauseAndKeep), { ...OPTIONS, runId: 'r-keep' });
    expect(await refused!).toMatch(/Pause the run before keeping its weights/);
    const [epochs, keptBytes] = await kept!;
    expect(epochs).toBe(1);
    expect((await decodeWeights(keptBytes!)).metrics).toEqual({ epochs: 1, checkpoint: 'kept while paused' });
    expect(outcome.reason).toBe('completed');
    const saved = await decodeWeights((await savedMlpBytes())!);
    expect(saved.metrics).toMatchObject({ epochs: 3, stop_reason: 'completed' });
  }, 60_000);

  it('a checkpoint that cannot be saved (storage full) is reported and the run goes on', async () => {
    const session = await freshSession();
    const errors: string[] = [];
    quota.on = true;
    const outcome = await session.mlp.train({ ...CONFIG, epochs: 2 }, callbacks(undefined, errors), { ...OPTIONS, runId: 'r-full' });
    expect(outcome.reason).toBe('completed');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/Could not save the checkpoint of epoch 1 \(Browser storage is full/);
  }, 60_000);

  it('a damaged checkpoint is reported, kept, and refused on resume', async () => {
    const session = await freshSession();
    const crashAt = (points: StepPoint[]) => {
      if (points.some((p) => p.epoch === 2)) throw new Crash('reload');
    };
    await expect(session.mlp.train(CONFIG, callbacks(crashAt), { ...OPTIONS, runId: 'r-bad' })).rejects.toThrow(Crash);
    const { saveBlob } = await import('../src/data/store');
    await saveBlob(runCheckpointKey('r-bad'), new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9, 9, 9]));
    const pending = await session.mlp.pendingRun();
    expect(pending?.error).toMatch(/the saved checkpoint of run r-bad is not a run checkpoint/);
    await expect(session.mlp.resumeRun('r-bad', callbacks())).rejects.toThrow(/not a run checkpoint/);
    expect(await loadBlob(runCheckpointKey('r-bad'))).toBeDefined();
    await session.mlp.discardPendingRun();
    expect(await session.mlp.pendingRun()).toBeNull();
    // Deleting an interrupted run in Runs takes its checkpoint along: nothing is offered.
    await expect(session.mlp.train(CONFIG, callbacks(crashAt), { ...OPTIONS, runId: 'r-del' })).rejects.toThrow(Crash);
    expect((await session.mlp.pendingRun())?.runId).toBe('r-del');
    await deleteRuns(['r-del']);
    expect(await session.mlp.pendingRun()).toBeNull();
  }, 60_000);
});
