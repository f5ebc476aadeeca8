import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readQuickDrawSampleDrawings } from '../src/train/testing/shared-data';
import { QUICKDRAW_ID } from '../src/data/quickdraw';
import { loadBlob } from '../src/data/store';
import type { SequenceSet } from '../src/data/types';
import { decodeWeights } from '../src/io/weights';
import { CpuBackend } from '../src/kernels/cpu';
import { defaultRnnTrainConfig } from '../src/train/presets';
import type { EpochPoint, StepPoint } from '../src/train/types';
import type { DataParallelPlan } from '../src/train/data-parallel';
import { inProcessTransport } from '../src/train/data-parallel-inprocess';
import type { PendingRun } from './api';
import { SAVED_MODEL_KEYS, TrainerSession } from './session';
import { limitSequenceSet } from './session-rnn';

const CLASSES = ['cat', 'fish', 'snake'];
const PER_CLASS = 80;
/** The first lines of a class file (from the bundled sample, which holds them), with bad lines mixed in when asked. */
function classFile(name: string, lines: number, bad: string[] = []): File {
  const text = readQuickDrawSampleDrawings(name, lines).map((drawing) => JSON.stringify({ word: name, drawing }));
  return new File([[...bad, ...text].join('\n')], `${name}.ndjson`);
}

const BAD_LINES = [
  '{"word":"cat","drawing":[[[1,2',                                   // truncated JSON
  'garbage that is not json',
  '{"word":"cat","drawing":[[[],[]]]}',                                // an empty stroke
  '{"word":"cat","drawing":[[[10,300],[5,6]]]}',                       // x out of 0..255
  '{"word":"cat","drawing":[]}',                                       // no strokes
];

/** A "fish" drawn on a 400×300 canvas, float coordinates: body loop and a tail. */
const CANVAS_FISH: [number[], number[]][] = [
  [[60.5, 120, 200, 260, 200, 120, 60.5], [150, 100, 90, 150, 210, 200, 150]],
  [[260, 330, 330, 260], [150, 100, 200, 150]],
];

const silent = { onSteps() {}, onEpoch() {} };

describe('TrainerSession.rnn: Quick Draw, the BiGRU and the rnn slot', () => {
  const session = new TrainerSession(new CpuBackend());

  beforeAll(async () => {
    await session.init();
  });

  it('stores dropped ndjson files, counting skipped lines per class, and previews each class', async () => {
    const phases: string[] = [];
    const files = [classFile('snake', PER_CLASS + 5), classFile('cat', PER_CLASS + 5, BAD_LINES), classFile('fish', PER_CLASS + 5)];
    const info = await session.rnn.loadFiles(files, PER_CLASS, (p) => phases.push(p.phase));
    expect(info).toMatchObject({ id: QUICKDRAW_ID, classes: CLASSES, complete: true, perClassLimit: PER_CLASS });
    expect(info.perClass.map((c) => [c.name, c.count, c.skipped])).toEqual([['cat', 80, 5], ['fish', 80, 0], ['snake', 80, 0]]);
    expect(info.perClass[0].firstProblem).toMatch(/^line 1:/);
    expect(info.counts.train + info.counts.dev + info.counts.test).toBe(240);
    expect(phases.at(-1)).toMatch(/240 drawings, 5 unusable lines skipped/);
    expect((await session.rnn.listDatasets()).map((d) => d.id)).toEqual([QUICKDRAW_ID]);

    const selected = await session.rnn.selectDataset(QUICKDRAW_ID);
    expect(selected.counts).toEqual(info.counts);
    const previews = await session.rnn.previews(QUICKDRAW_ID, 4);
    expect(previews.map((p) => p.label)).toEqual(CLASSES.flatMap((c) => [c, c, c, c]));
    for (const p of previews) {
      expect(p.strokes.length).toBeGreaterThan(0);
      expect(p.strokes.flat(2).every((v) => v >= 0 && v <= 255)).toBe(true);
    }
  });

  it('refuses a class without drawings and keeps the stored dataset and the loaded drawings', async () => {
    const before = await session.rnn.listDatasets();
    const empty = new File(['not json\n{"drawing":[[[],[]]]}\n'], 'dog.ndjson');
    await expect(session.rnn.loadFiles([classFile('cat', 20), empty], 20, () => undefined))
      .rejects.toThrow(/Quick Draw class "dog" has no drawings in dog\.ndjson \(2 unusable lines; first: line 1/);
    expect(await session.rnn.listDatasets()).toEqual(before);
    expect(session.rnn.selected?.classes).toEqual(CLASSES);
    await expect(session.rnn.loadFiles([classFile('cat', 20)], 0, () => undefined)).rejects.toThrow(/positive whole number/);
    await expect(session.rnn.loadRemote(' ', CLASSES, 10, () => undefined)).rejects.toThrow(/folder URL/);
    await expect(session.rnn.selectDataset('nope')).rejects.toThrow(/not stored in this browser/);
  });

  it('trains a small BiGRU on a per-class subset, checkpointing the run (model/rnn replaced only at the end), leaving the other slots alone', async () => {
    const config = defaultRnnTrainConfig({ epochs: 2, batchSize: 16, net: { hidden: 8, layers: 1, max_len: 60, delta_scale: 20, dropout: 0 } });
    const epochs: EpochPoint[] = [];
    let midRun: Promise<[PendingRun | null, Uint8Array | undefined]> | null = null;
    const onSteps = (points: StepPoint[]) => {
      if (!midRun && points.some((p) => p.epoch === 2)) midRun = Promise.all([session.rnn.pendingRun(), loadBlob(SAVED_MODEL_KEYS.rnn)]);
    };
    const run = session.rnn.train(config, { onSteps, onEpoch: (p) => epochs.push(p) }, { trainLimit: 60, runId: 'r-rnn-test' });
    await expect(session.rnn.train(config, silent)).rejects.toThrow(/Training is running/);
    const outcome = await run;
    expect(outcome.reason).toBe('completed');
    expect(outcome.model).toMatchObject({ kind: 'rnn', classes: CLASSES, origin: 'trained', architecture: 'BiGRU 1×8 → 3' });
    expect(outcome.model.metrics.train_examples).toBe(60);
    expect(epochs).toHaveLength(2);
    const [pending, savedMidRun] = await midRun!;
    expect(pending).toMatchObject({ runId: 'r-rnn-test', epoch: 1, epochs: 2, error: null });
    expect(savedMidRun).toBeUndefined();
    expect(await session.rnn.pendingRun()).toBeNull();
    const saved = await decodeWeights((await loadBlob(SAVED_MODEL_KEYS.rnn))!);
    expect(saved.tensors.get('fc.weight')!.shape).toEqual([3, 16]);
    expect(session.mlp.summary()).toBeNull();
    expect(session.cnn.summary()).toBeNull();
    await expect(session.rnn.train(config, silent, { trainLimit: 3 })).rejects.toThrow(/at least 20/);
  });

  it('evaluates on the test drawings with the most confused pairs and the misclassified strokes', async () => {
    const result = await session.rnn.evaluate();
    const { report } = result;
    expect(report.count).toBe(session.rnn.selected!.counts.test);
    expect(report.classes).toEqual(CLASSES);
    expect(report.perClassAccuracy).toHaveLength(3);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(report.count);
    expect(report.confusedPairs).toBeDefined();
    expect(result.doodles!.length).toBe(Math.min(24, report.misclassified.length));
    if (result.doodles!.length) expect(result.doodles![0].strokes.length).toBeGreaterThan(0);
    expect(session.rnn.summary()!.metrics.test_accuracy).toBe(report.accuracy);
  });

  it('simplifies canvas strokes as Quick Draw did and returns the stroke-3 steps with the probabilities', async () => {
    const r = await session.rnn.predictStrokes(CANVAS_FISH);
    expect(r.probs).toHaveLength(3);
    expect(Array.from(r.probs!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(r.steps).toBe(Math.min(60, r.points));
    expect(r.sequence).toHaveLength(3 * r.steps);
    expect(r.deltaScale).toBe(20);
    // Pen lifts: one per stroke, on its last point.
    expect(Array.from(r.sequence!).filter((_, i) => i % 3 === 2)).toContain(1);
    expect(await session.rnn.predictStrokes([])).toEqual({ probs: null, sequence: null, steps: 0, points: 0, deltaScale: 20 });
    expect((await session.rnn.predictStrokes([[[], []]])).probs).toBeNull();
    await expect(session.rnn.predictStrokes('x' as never)).rejects.toThrow(/list of strokes/);
    await expect(session.rnn.predictStrokes([[1, 2]] as never)).rejects.toThrow(/pair \[xs, ys\]/);
  });

  it('round-trips its export, refuses an rnn file in the cnn slot, and restores the rnn after a reload', async () => {
    const before = (await session.rnn.predictStrokes(CANVAS_FISH)).probs;
    const file = await session.rnn.exportModel('npz');
    await expect(session.cnn.importModel(file)).rejects.toThrow(/"rnn" model; this page trains and runs "cnn" and "cnn2head"/);
    await expect(session.rnn.importModel(new Uint8Array([1, 2, 3]))).rejects.toThrow();
    expect(session.rnn.summary()!.origin).toBe('trained');
    expect(await session.rnn.importModel(file)).toMatchObject({ kind: 'rnn', origin: 'imported', classes: CLASSES });
    expect((await session.rnn.predictStrokes(CANVAS_FISH)).probs).toEqual(before);

    const reloaded = new TrainerSession(new CpuBackend());
    expect((await reloaded.init()).model).toBeNull();
    expect(await reloaded.rnn.modelSummary()).toMatchObject({ kind: 'rnn', origin: 'restored' });
    await expect(reloaded.rnn.evaluate()).rejects.toThrow(/No Quick Draw drawings loaded/);
    await reloaded.rnn.selectDataset(QUICKDRAW_ID);
    expect((await reloaded.rnn.evaluate()).report.count).toBeGreaterThan(0);
  });
});

describe('RnnSession with the Workers setting', () => {
  const config = defaultRnnTrainConfig({ epochs: 2, batchSize: 16, seed: 4, net: { hidden: 8, layers: 1, max_len: 40, delta_scale: 20, dropout: 0 } });
  const plans: DataParallelPlan[] = [];
  const session = new TrainerSession(new CpuBackend());
  const rnn = session.rnn;

  beforeAll(async () => {
    // The drawings the first block stored (fake IndexedDB lives for the file), else a fresh load.
    if (!(await rnn.listDatasets()).some((d) => d.id === QUICKDRAW_ID)) {
      await rnn.loadFiles(CLASSES.map((c) => classFile(c, 60)), 60, () => undefined);
    }
    await rnn.selectDataset(QUICKDRAW_ID);
  });

  it('splits each batch over 2 workers through the transport, to the accuracy of one thread', async () => {
    const one = await rnn.train(config, silent, { trainLimit: 60 });
    session.gradientTransport = (plan) => {
      plans.push(plan);
      return inProcessTransport(() => new CpuBackend())(plan);
    };
    const two = await rnn.train(config, silent, { trainLimit: 60, workers: 2 });
    expect(plans).toHaveLength(1);
    expect(plans[0].helpers).toBe(1);
    expect(plans[0].replica.kind).toBe('rnn');
    expect(plans[0].sliceRows).toBe(8);
    expect(two.reason).toBe('completed');
    // The same run up to float rounding in the gradient sums.
    expect(two.model.metrics.train_accuracy).toBeCloseTo(one.model.metrics.train_accuracy as number, 2);
    expect(two.model.metrics.dev_accuracy).toBeCloseTo(one.model.metrics.dev_accuracy as number, 2);
    expect(rnn.summary()).toEqual(two.model);
  });

  it('refuses a nonsense worker count before building a model, and runs on one thread without a transport', async () => {
    const before = rnn.summary();
    await expect(rnn.train(config, silent, { workers: 0 })).rejects.toThrow(/Workers must be a whole number from 1 to 16/);
    expect(rnn.summary()).toEqual(before);
    session.gradientTransport = null;
    const outcome = await rnn.train(config, silent, { trainLimit: 60, workers: 4 });
    expect(outcome.reason).toBe('completed');
    expect(plans).toHaveLength(1);
  });
});

describe('session-rnn helpers', () => {
  it('limits a class-ordered set to an even share per class', () => {
    const labels = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const set: SequenceSet = {
      classes: ['a', 'b', 'c'], count: 10, offsets: Uint32Array.from({ length: 11 }, (_, i) => i),
      deltas: new Int16Array(20).map((_, i) => i), pens: new Uint8Array(10).fill(1), labels,
    };
    const small = limitSequenceSet(set, 6);
    expect(Array.from(small.labels)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(small.deltas.filter((_, i) => i % 2 === 0))).toEqual([0, 2, 8, 10, 14, 16]);
    expect(limitSequenceSet(set, 50)).toBe(set);
  });
});
