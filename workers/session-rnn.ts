/**
 * The RNN page's side of the worker: Quick, Draw! datasets (load, resume, select, previews), BiGRU
 * runs, evaluation with the most confused pairs, and reading canvas strokes. The surrounding
 * TrainerSession owns the model slots, persistence and the backend; this part asks it through
 * RnnHost each time (the backend can change between calls).
 */
import { SequenceBuilder } from '../src/data/quickdraw-shard';
import {
  getSequenceManifest, listSequenceDatasets, loadQuickDrawFromFiles, loadQuickDrawFromUrl, loadSequenceSet,
} from '../src/data/quickdraw';
import { ensureQuickDrawSample } from '../src/data/quickdraw-sample-load';
import { simplifyDrawing } from '../src/data/simplify';
import { drawingAt, encodeStroke3, type Drawing } from '../src/data/strokes';
import type { SequenceManifest, SequenceSet } from '../src/data/types';
import type { Backend } from '../src/kernels/backend';
import { RnnModel } from '../src/nn/models/rnn';
import type { Model } from '../src/nn/types';
import type { RunCheckpoint } from '../src/train/run-state';
import { loadRunCheckpoint, type RunMeta } from './run-checkpoints';
import { RunCheckpointing } from './run-checkpointing';
import { defaultRnnTrainConfig } from '../src/train/presets';
import { evaluateSequences, predictDrawing, type SequencePredictOptions } from '../src/train/sequence-eval';
import { SequenceTrainer } from '../src/train/sequence-trainer';
import { dataParallel, type TransportFactory } from '../src/train/data-parallel';
import { usableWorkers } from './grad-setting';
import type { TrainLoop } from '../src/train/train-loop';
import type { RnnTrainConfig } from '../src/train/types';
import type {
  DoodlePreview, EvalResult, ModelSummary, ProgressCallback, SequenceDatasetInfo, StrokePrediction, TrainCallbacks,
  TrainOptions, TrainOutcome,
} from './api';

const MISCLASSIFIED_SHOWN = 24;
const MIN_TRAIN_LIMIT = 20;
/** More points than any hand drawing has: a bigger payload is refused, not simplified. */
const MAX_CANVAS_POINTS = 50_000;
const DEFAULT_NET = defaultRnnTrainConfig().net;

/** A model slot's content, as TrainerSession keeps it. */
export interface RnnSlotModel {
  model: Model;
  classes: string[];
  metrics: Record<string, unknown>;
  origin: ModelSummary['origin'];
}

/** What the RNN part needs from the session; everything is read at call time. */
export interface RnnHost {
  backend(): Backend;
  /** Resolves once a kernel switch in progress has finished (calls wait for it before using backend()). */
  ready?(): Promise<void>;
  /** Throws when a run or search is going on. */
  refuseWhileTraining(what: string): void;
  /** The run pause/resume/stop act on (null when it ends). */
  setRunning(loop: TrainLoop | null): void;
  /** Makes a finished run the 'rnn' model (saved) and describes it. */
  keepTrained(current: RnnSlotModel): Promise<ModelSummary>;
  /** The 'rnn' model (the one in training during a run), or null. */
  liveModel(): Model | null;
  /** The current 'rnn' model; throws when there is none. */
  currentModel(): RnnSlotModel;
  /** Saves the current 'rnn' model (after its metrics changed). */
  persist(): Promise<unknown>;
  /** Data-parallel helpers for the Workers setting (null or absent: runs use one thread). */
  gradientTransport?(): TransportFactory | null;
}

interface LoadedSequences {
  info: SequenceDatasetInfo;
  /** The manifest as read: a reload of the same id with another layout is a different dataset. */
  manifestText: string;
  train: SequenceSet;
  dev: SequenceSet;
  test: SequenceSet;
}

export function sequenceInfo(m: SequenceManifest): SequenceDatasetInfo {
  return {
    id: m.id,
    name: m.name,
    source: m.source,
    classes: [...m.classes],
    perClassLimit: m.perClassLimit,
    perClass: m.perClass.map((c) => ({
      name: c.name, count: c.count, skipped: c.malformed + c.invalid, firstProblem: c.firstProblem, done: c.done,
    })),
    counts: { ...m.split.counts },
    complete: m.complete,
  };
}

/**
 * The first drawings of each class, `perClassShare` = ⌈limit / classes⌉ at most per class, so a quick
 * run still sees every class (the set is stored class by class: a plain prefix would not).
 */
export function limitSequenceSet(set: SequenceSet, limit: number): SequenceSet {
  if (limit >= set.count) return set;
  const classes = Math.max(1, set.classes.length);
  const share = Math.ceil(limit / classes);
  const taken = new Uint32Array(classes);
  const builder = new SequenceBuilder();
  for (let i = 0; i < set.count && builder.count < limit; i++) {
    const label = set.labels[i];
    if (taken[label] >= share) continue;
    taken[label]++;
    builder.addFrom(set, i);
  }
  return builder.toSet(set.classes);
}

/** Refuses anything but a list of [xs, ys] number lists of a sane size. */
export function checkCanvasStrokes(strokes: unknown): Drawing {
  if (!Array.isArray(strokes)) throw new Error('The drawing must be a list of strokes');
  let points = 0;
  for (const stroke of strokes) {
    if (!Array.isArray(stroke) || !Array.isArray(stroke[0]) || !Array.isArray(stroke[1])) {
      throw new Error('Each stroke must be a pair [xs, ys] of coordinate lists');
    }
    points += (stroke[0] as unknown[]).length;
  }
  if (points > MAX_CANVAS_POINTS) throw new Error(`The drawing has ${points} points; at most ${MAX_CANVAS_POINTS} are read`);
  return strokes as Drawing;
}

function asRnn(model: Model): RnnModel {
  if (!(model instanceof RnnModel)) throw new Error(`Expected a recurrent network, got a "${model.kind}" model`);
  return model;
}

export class RnnSession {
  private data: LoadedSequences | null = null;

  constructor(private readonly host: RnnHost) {}

  async loadRemote(base: string, classes: string[], perClass: number, onProgress: ProgressCallback): Promise<SequenceDatasetInfo> {
    if (typeof base !== 'string' || base.trim() === '') throw new Error('Give the folder URL the <class>.ndjson files are in');
    return sequenceInfo(await loadQuickDrawFromUrl(base.trim(), classes, perClass, onProgress));
  }

  async loadFiles(files: File[], perClass: number, onProgress: ProgressCallback): Promise<SequenceDatasetInfo> {
    return sequenceInfo(await loadQuickDrawFromFiles(files, perClass, onProgress));
  }

  async ensureSample(pageBase: string, onProgress: ProgressCallback): Promise<SequenceDatasetInfo> {
    return sequenceInfo(await ensureQuickDrawSample(pageBase, onProgress));
  }

  async list(): Promise<SequenceDatasetInfo[]> {
    return (await listSequenceDatasets()).map(sequenceInfo);
  }

  /** The selected dataset's info, or null. */
  get selected(): SequenceDatasetInfo | null {
    return this.data?.info ?? null;
  }

  async select(id: string, onProgress?: ProgressCallback): Promise<SequenceDatasetInfo> {
    const manifest = await getSequenceManifest(id);
    if (!manifest) throw new Error(`Quick Draw dataset "${id}" is not stored in this browser; load it first`);
    const manifestText = JSON.stringify(manifest);
    if (this.data?.manifestText === manifestText) return this.data.info;
    this.host.refuseWhileTraining('switch datasets');
    if (!manifest.complete) {
      throw new Error(`${manifest.name} is incomplete (its download was interrupted); press Load to resume it`);
    }
    const phase = `Reading ${manifest.name} from browser storage`;
    onProgress?.({ phase, fraction: 0 });
    const train = await loadSequenceSet(id, 'train');
    onProgress?.({ phase, fraction: 0.7 });
    const dev = await loadSequenceSet(id, 'dev');
    const test = await loadSequenceSet(id, 'test');
    onProgress?.({ phase: `${manifest.name} ready`, fraction: 1 });
    this.data = { info: sequenceInfo(manifest), manifestText, train, dev, test };
    return this.data.info;
  }

  async previews(id: string, perClass: number): Promise<DoodlePreview[]> {
    if (!(Number.isInteger(perClass) && perClass > 0 && perClass <= 100)) throw new Error(`Previews per class must be 1..100, got ${perClass}`);
    if (this.data?.info.id !== id) await this.select(id);
    const { train } = this.requireData();
    const shown = new Uint32Array(train.classes.length);
    const out: DoodlePreview[] = [];
    for (let i = 0; i < train.count; i++) {
      const c = train.labels[i];
      if (shown[c] >= perClass) continue;
      shown[c]++;
      out.push({ classIndex: c, label: train.classes[c], strokes: drawingAt(train, i) });
    }
    return out.sort((a, b) => a.classIndex - b.classIndex);
  }

  async train(config: RnnTrainConfig, callbacks: TrainCallbacks, options: TrainOptions = {}): Promise<TrainOutcome> {
    await this.host.ready?.();
    this.host.refuseWhileTraining('start another run');
    if (config?.model !== 'rnn') throw new Error('The RNN page trains "rnn" models only');
    return this.trainSequences(config, callbacks, options, null);
  }

  /** Continues an interrupted run from its checkpoint (same dataset, settings and worker count). */
  async resume(runId: string, callbacks: TrainCallbacks): Promise<TrainOutcome> {
    await this.host.ready?.();
    this.host.refuseWhileTraining('continue a run');
    const saved = await loadRunCheckpoint('rnn', runId);
    const meta = saved.meta as unknown as RunMeta;
    if (meta.datasetId && this.data?.info.id !== meta.datasetId) await this.select(meta.datasetId);
    return this.trainSequences(saved.config as RnnTrainConfig, callbacks, meta.options, saved);
  }

  private async trainSequences(
    config: RnnTrainConfig, callbacks: TrainCallbacks, options: TrainOptions, resumed: RunCheckpoint | null,
  ): Promise<TrainOutcome> {
    const data = this.requireData();
    const limit = options.trainLimit;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= MIN_TRAIN_LIMIT)) {
      throw new Error(`The training subset must be a whole number of at least ${MIN_TRAIN_LIMIT} drawings, got ${limit}`);
    }
    const backend = this.host.backend();
    const transport = this.host.gradientTransport?.() ?? null;
    // Checked before the model exists: a nonsense count is refused with nothing to clean up.
    const workers = usableWorkers(options.workers, transport, backend);
    const train = limit === undefined ? data.train : limitSequenceSet(data.train, limit);
    const classes = [...data.train.classes];
    const checkpoints = new RunCheckpointing('rnn', options, classes, data.info.id, resumed, callbacks);
    let trainer: SequenceTrainer | null = null;
    trainer = new SequenceTrainer(backend, config, { train, dev: data.dev, test: data.test }, {
      onSteps: (points, progress) => {
        checkpoints.loss.add(points);
        void callbacks.onSteps(points, progress);
      },
      onEpoch: (point) => void callbacks.onEpoch(point),
      onRunState: (state) => (trainer ? checkpoints.save(trainer, state) : undefined),
    });
    try {
      if (resumed) trainer.restoreState(resumed.loop);
      if (workers > 1) trainer.useGradientSource(dataParallel(workers, transport!));
    } catch (err) {
      trainer.model.dispose();
      throw err;
    }
    this.host.setRunning(trainer);
    try {
      const reason = await trainer.run();
      const best = trainer.bestEpoch;
      const metrics: Record<string, unknown> = { epochs: trainer.history.length, stop_reason: reason };
      if (best) {
        metrics.train_accuracy = best.trainAccuracy;
        metrics.dev_accuracy = best.devAccuracy;
      }
      if (limit !== undefined) metrics.train_examples = train.count;
      const model = await this.host.keepTrained({ model: trainer.model, classes, metrics, origin: 'trained' });
      await checkpoints.finish();
      return { reason, model };
    } catch (err) {
      trainer.model.dispose();
      throw err;
    } finally {
      this.host.setRunning(null);
    }
  }

  /** Scores the 'rnn' model on the selected dataset's test split (classes must match by name). */
  async evaluate(options: SequencePredictOptions = {}): Promise<EvalResult> {
    await this.host.ready?.();
    this.host.refuseWhileTraining('evaluate');
    const current = this.host.currentModel();
    const { test } = this.requireData();
    if (current.classes.join('\u0000') !== test.classes.join('\u0000')) {
      throw new Error(`The model knows ${current.classes.join(', ')} but the loaded drawings are ${test.classes.join(', ')}: load matching classes or train a new model`);
    }
    const report = await evaluateSequences(asRnn(current.model), test, 'test', options);
    const doodles = report.misclassified.slice(0, MISCLASSIFIED_SHOWN).map((m) => ({ ...m, strokes: drawingAt(test, m.index) }));
    current.metrics = { ...current.metrics, test_accuracy: report.accuracy, test_count: report.count };
    await this.host.persist();
    return { report, examples: [], doodles, mirrorAveraged: options.mirrorAverage === true };
  }

  /** What the network sees of the canvas strokes, and what it makes of them (probs null without a model). */
  async predict(strokes: Drawing, options: SequencePredictOptions = {}): Promise<StrokePrediction> {
    const simplified = simplifyDrawing(checkCanvasStrokes(strokes));
    await this.host.ready?.();
    const live = this.host.liveModel();
    const model = live ? asRnn(live) : null;
    const { max_len: maxLen, delta_scale: deltaScale } = model?.config ?? DEFAULT_NET;
    if (simplified.length === 0) return { probs: null, sequence: null, steps: 0, points: 0, deltaScale };
    const { data, length } = encodeStroke3(simplified, maxLen, deltaScale);
    const points = simplified.reduce((n, [xs]) => n + xs.length, 0);
    const probs = model ? Float32Array.from(await predictDrawing(model, simplified, options)) : null;
    return { probs, sequence: data.slice(0, 3 * length), steps: length, points, deltaScale };
  }

  private requireData(): LoadedSequences {
    if (!this.data) throw new Error('No Quick Draw drawings loaded yet: load some classes first');
    return this.data;
  }
}
