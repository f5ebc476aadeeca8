import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBlob } from '../src/data/store';
import { decodeWeights } from '../src/io/weights';
import { CpuBackend } from '../src/kernels/cpu';
import { defaultCnnTrainConfig } from '../src/train/presets';
import type { EpochPoint, StepPoint } from '../src/train/types';
import type { PendingRun } from './api';
import { SAVED_MODEL_KEYS, TrainerSession } from './session';
import { DATASET_ID, storeSmallMnist } from './test-data';

const PAIRS = { trainCount: 400, testCount: 100 };
const TRAIN_LIMIT = 200;

/** A 2:1 drawing (280×140): a bar in the left box, a "7" (bar + diagonal) in the right box. */
function drawnSeventeen(): Uint8ClampedArray {
  const w = 280;
  const ink = new Uint8ClampedArray(w * 140);
  for (let y = 20; y < 120; y++) for (let x = 64; x < 76; x++) ink[y * w + x] = 255;
  for (let y = 20; y < 32; y++) for (let x = 170; x < 250; x++) ink[y * w + x] = 255;
  for (let y = 32; y < 120; y++) {
    const x0 = Math.round(240 - (y - 32) * 0.6);
    for (let x = x0; x < x0 + 12; x++) ink[y * w + x] = 255;
  }
  return ink;
}

describe('TrainerSession: paired MNIST and the CNN slot', () => {
  const session = new TrainerSession(new CpuBackend());

  beforeAll(async () => {
    await storeSmallMnist();
    await session.init();
  });

  it('builds paired MNIST from a stored digit set, with samples, and keeps it out of the MLP list', async () => {
    const phases: string[] = [];
    const info = await session.cnn.preparePairs(DATASET_ID, (p) => phases.push(p.phase), PAIRS);
    expect(info).toMatchObject({ sourceId: DATASET_ID, trainCount: 400, testCount: 100 });
    expect(info.samples).toHaveLength(8);
    expect(info.samples[0].pixels.length).toBe(28 * 56);
    expect(info.samples[0].label).toMatch(/^\d\d$/);
    expect(phases.some((p) => /Storing paired MNIST/.test(p))).toBe(true);
    expect((await session.digits.list()).map((d) => d.id)).toEqual([DATASET_ID]);
    expect((await session.cnn.loadStoredPairs(DATASET_ID))?.id).toBe(info.id);
  });

  it('trains a cnn2head on a subset, checkpointing the run as it goes (the saved model replaced only at the end), and leaves the MLP slot alone', async () => {
    const config = defaultCnnTrainConfig({ model: 'cnn2head', epochs: 2, batchSize: 50, augment: undefined });
    const epochs: EpochPoint[] = [];
    // What a reload during epoch 2 would find: epoch 1's run checkpoint (the trainer awaits its save), no saved model yet.
    let midRun: Promise<[PendingRun | null, Uint8Array | undefined]> | null = null;
    const onSteps = (points: StepPoint[]) => {
      if (!midRun && points.some((p) => p.epoch === 2)) midRun = Promise.all([session.cnn.pendingRun(), loadBlob(SAVED_MODEL_KEYS.cnn)]);
    };
    const options = { trainLimit: TRAIN_LIMIT, runId: 'r-cnn-test' };
    const outcome = await session.cnn.train(config, { onSteps, onEpoch: (p) => epochs.push(p) }, options);
    expect(outcome.reason).toBe('completed');
    expect(outcome.model).toMatchObject({ kind: 'cnn2head', origin: 'trained' });
    expect(outcome.model.metrics.train_examples).toBe(TRAIN_LIMIT);
    expect(epochs).toHaveLength(2);
    expect(epochs[0].devDigitAccuracy).toBeDefined();
    const [pending, savedMidRun] = await midRun!;
    expect(pending).toMatchObject({ runId: 'r-cnn-test', epoch: 1, epochs: 2, options, error: null });
    expect(pending!.epochPoints).toHaveLength(1);
    expect(savedMidRun).toBeUndefined();
    expect(await session.cnn.pendingRun()).toBeNull();
    const saved = await decodeWeights((await loadBlob(SAVED_MODEL_KEYS.cnn))!);
    expect(saved.model).toBe('cnn2head');
    expect(saved.classes).toHaveLength(100);
    expect(session.mlp.summary()).toBeNull();
    expect(await loadBlob(SAVED_MODEL_KEYS.mlp)).toBeUndefined();
  });

  it('refuses a training subset too small to mean anything, and a CNN run on another network', async () => {
    const config = defaultCnnTrainConfig({ epochs: 1 });
    await expect(session.cnn.train(config, { onSteps() {}, onEpoch() {} }, { trainLimit: 5 })).rejects.toThrow(/at least 100/);
    await expect(session.mlp.train(config, { onSteps() {}, onEpoch() {} })).rejects.toThrow(/"cnn" run; this page trains and runs "mlp" models/);
    expect(session.mlp.summary()).toBeNull();
  });

  it('evaluates on the test pairs: per-digit accuracy, 10×10 confusion per position, pair images', async () => {
    const result = await session.cnn.evaluate();
    expect(result.report.count).toBe(100);
    expect(result.report.classes).toHaveLength(100);
    expect(result.report.digitAccuracy).toBeDefined();
    expect(result.inputShape).toEqual([28, 56]);
    const { tens, ones } = result.digitConfusion!;
    const total = (m: number[][]) => m.flat().reduce((a, b) => a + b, 0);
    expect(tens).toHaveLength(10);
    expect(total(tens)).toBe(100);
    expect(total(ones)).toBe(100);
    const correctTens = tens.reduce((a, row, i) => a + row[i], 0);
    expect(correctTens / 100).toBeCloseTo(result.report.digitAccuracy!.tens, 10);
    expect(result.examples.every((e) => e.pixels.length === 28 * 56)).toBe(true);
  });

  it('reads a two-box drawing as a number 00..99', async () => {
    const { input, probs } = await session.cnn.predictInk(drawnSeventeen(), 280, 140);
    expect(input!.length).toBe(28 * 56);
    expect(probs!.length).toBe(100);
    expect(probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const rightOnly = drawnSeventeen().map((v, i) => (i % 280 < 140 ? 0 : v));
    expect(await session.cnn.predictInk(rightOnly, 280, 140)).toEqual({ input: null, probs: null });
  });

  it('runs a short (lr, λ) search on the pairs, reporting each trial, and refuses training meanwhile', async () => {
    const trials: number[] = [];
    const base = defaultCnnTrainConfig({ epochs: 1, batchSize: 50, augment: undefined });
    const search = session.cnn.autotune({ base, subset: 150, epochs: 1, trials: 1, lrSweep: [1e-3] }, (t) => trials.push(t.lr));
    await expect(session.cnn.train(base, { onSteps() {}, onEpoch() {} })).rejects.toThrow(/search is running/);
    const result = await search;
    expect(result.trials).toHaveLength(2);
    expect(trials).toEqual(result.trials.map((t) => t.lr));
    expect(result.best?.devAccuracy).toBeGreaterThanOrEqual(0);
    expect(result.aborted).toBe(false);
  });

  it('keeps the CNN when a file of another network is imported, and round-trips its own export', async () => {
    const before = (await session.cnn.predictInk(drawnSeventeen(), 280, 140)).probs;
    const cnnFile = await session.cnn.exportModel('npz');
    await expect(session.mlp.importModel(cnnFile)).rejects.toThrow(/"cnn2head" model; this page trains and runs "mlp"/);
    expect(session.mlp.summary()).toBeNull();
    const summary = await session.cnn.importModel(cnnFile);
    expect(summary).toMatchObject({ kind: 'cnn2head', origin: 'imported' });
    expect((await session.cnn.predictInk(drawnSeventeen(), 280, 140)).probs).toEqual(before);

    const reloaded = new TrainerSession(new CpuBackend());
    const startup = await reloaded.init();
    expect(startup.model).toBeNull();
    expect(await reloaded.cnn.modelSummary()).toMatchObject({ kind: 'cnn2head', origin: 'restored' });
  });
});
