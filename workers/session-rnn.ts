/**
 * The RNN's side of the worker: Quick, Draw! datasets (load, resume, select, previews), BiGRU runs,
 * evaluation with the misclassified drawings, and reading canvas strokes. The run / evaluate /
 * export flow is every network's (session-network.ts).
 */
import { SequenceBuilder } from '../src/data/quickdraw-shard';
import {
  getSequenceManifest, listSequenceDatasets, loadQuickDrawFromFiles, loadQuickDrawFromUrl, loadSequenceSet,
} from '../src/data/quickdraw';
import { ensureQuickDrawSample } from '../src/data/quickdraw-sample-load';
import { simplifyCanvasStrokes } from '../src/data/simplify';
import { drawingAt, encodeStroke3, type Drawing } from '../src/data/strokes';
import type { SequenceManifest, SequenceSet } from '../src/data/types';
import type { Backend } from '../src/kernels/backend';
import { sequenceLayoutOf } from '../src/nn/models';
import { takesSequences } from '../src/nn/models';
import { canvasStepPredictions } from '../src/train/inspect/rnn-steps';
import { defaultRnnTrainConfig } from '../src/train/presets';
import { evaluateSequences, predictDrawing, type SequencePredictOptions } from '../src/train/sequence-eval';
import { SequenceTrainer } from '../src/train/sequence-trainer';
import type { TrainLoop } from '../src/train/train-loop';
import type { RnnTrainConfig, TrainEvents } from '../src/train/types';
import type {
  DoodlePreview, EvalResult, ProgressCallback, RnnStepPredictions, SequenceDatasetInfo, StrokePrediction,
} from './api';
import type { CurrentModel } from './model-slots';
import { NetworkSession, type RunData, type SessionContext } from './session-network';

const MISCLASSIFIED_SHOWN = 24;
const MIN_TRAIN_LIMIT = 20;
/** How the canvas is read before any BiGRU exists: as the default recipe's network reads it. */
const DEFAULT_NET = defaultRnnTrainConfig().net;
const DEFAULT_LAYOUT = { maxLen: DEFAULT_NET.max_len, deltaScale: DEFAULT_NET.delta_scale };

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

interface SequenceRunData extends RunData {
  train: SequenceSet;
  dev: SequenceSet;
  test: SequenceSet;
}

export class RnnSession extends NetworkSession<RnnTrainConfig, SequenceRunData> {
  private data: LoadedSequences | null = null;
  /** The last run's batch: the test pass in batches of it reuses the GRU's training buffers. */
  private trainedBatch: number | undefined;

  constructor(context: SessionContext) {
    super('rnn', context);
  }

  /** Downloads `<base>/<class>.ndjson` per class (first `perClass` drawings), resuming an interrupted load. */
  async loadRemote(base: string, classes: string[], perClass: number, onProgress: ProgressCallback): Promise<SequenceDatasetInfo> {
    if (typeof base !== 'string' || base.trim() === '') throw new Error('Give the folder URL the <class>.ndjson files are in');
    return sequenceInfo(await loadQuickDrawFromUrl(base.trim(), classes, perClass, onProgress));
  }

  /** Same from dropped `<class>.ndjson` files (labels in alphabetical order of class). */
  async loadFiles(files: File[], perClass: number, onProgress: ProgressCallback): Promise<SequenceDatasetInfo> {
    return sequenceInfo(await loadQuickDrawFromFiles(files, perClass, onProgress));
  }

  /** Stores the bundled Quick Draw sample (first visit only; `pageBase` is the site's base URL). */
  async ensureSample(pageBase: string, onProgress: ProgressCallback): Promise<SequenceDatasetInfo> {
    return sequenceInfo(await ensureQuickDrawSample(pageBase, onProgress));
  }

  /** Stored Quick Draw datasets, interrupted loads included. */
  async listDatasets(): Promise<SequenceDatasetInfo[]> {
    return (await listSequenceDatasets()).map(sequenceInfo);
  }

  /** The selected dataset's info, or null. */
  get selected(): SequenceDatasetInfo | null {
    return this.data?.info ?? null;
  }

  /** Loads a complete stored Quick Draw dataset into memory for training and evaluation. */
  async selectDataset(id: string, onProgress?: ProgressCallback): Promise<SequenceDatasetInfo> {
    const manifest = await getSequenceManifest(id);
    if (!manifest) throw new Error(`Quick Draw dataset "${id}" is not stored in this browser; load it first`);
    const manifestText = JSON.stringify(manifest);
    if (this.data?.manifestText === manifestText) return this.data.info;
    this.context.refuseWhileBusy('switch datasets');
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

  /** Up to `perClass` training drawings of each class of dataset `id` (loaded first when needed). */
  async previews(id: string, perClass: number): Promise<DoodlePreview[]> {
    if (!(Number.isInteger(perClass) && perClass > 0 && perClass <= 100)) throw new Error(`Previews per class must be 1..100, got ${perClass}`);
    if (this.data?.info.id !== id) await this.selectDataset(id);
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

  /** What the network sees of the canvas strokes, and what it makes of them (probs null without a model). */
  async predictStrokes(strokes: Drawing, options: SequencePredictOptions = {}): Promise<StrokePrediction> {
    const simplified = simplifyCanvasStrokes(strokes);
    await this.context.ready();
    const model = this.liveModel();
    const { maxLen, deltaScale } = model ? sequenceLayoutOf(model) : DEFAULT_LAYOUT;
    if (simplified.length === 0) return { probs: null, sequence: null, steps: 0, points: 0, deltaScale };
    const { data, length } = encodeStroke3(simplified, maxLen, deltaScale);
    const points = simplified.reduce((n, [xs]) => n + xs.length, 0);
    const probs = model ? Float32Array.from(await predictDrawing(model, simplified, options)) : null;
    return { probs, sequence: data.slice(0, 3 * length), steps: length, points, deltaScale };
  }

  /** The BiGRU's probabilities after each step of the canvas strokes (null without an RNN or strokes). */
  async stepPredictions(strokes: Drawing): Promise<RnnStepPredictions | null> {
    await this.context.ready();
    const model = this.liveModel();
    return model && takesSequences(model) ? canvasStepPredictions(model, strokes) : null;
  }

  protected runData(trainLimit: number | undefined): SequenceRunData {
    const data = this.requireData();
    this.checkTrainLimit(trainLimit, MIN_TRAIN_LIMIT, 'drawings');
    const train = trainLimit === undefined ? data.train : limitSequenceSet(data.train, trainLimit);
    return { train, dev: data.dev, test: data.test, classes: [...data.train.classes], datasetId: data.info.id, trainCount: train.count };
  }

  protected createLoop(backend: Backend, config: RnnTrainConfig, data: SequenceRunData, events: TrainEvents): TrainLoop {
    this.trainedBatch = config.batchSize;
    return new SequenceTrainer(backend, config, { train: data.train, dev: data.dev, test: data.test }, events);
  }

  /** The best epoch's accuracies: a BiGRU run keeps its best dev weights. */
  protected runMetrics(loop: TrainLoop): Record<string, unknown> {
    const best = loop.bestEpoch;
    const epochs = loop.history.length;
    return best ? { epochs, train_accuracy: best.trainAccuracy, dev_accuracy: best.devAccuracy } : { epochs };
  }

  protected async loadDataOfRun(datasetId: string | null): Promise<void> {
    if (datasetId && this.data?.info.id !== datasetId) await this.selectDataset(datasetId);
  }

  /** Scores on the selected dataset's test split (classes must match by name), with the misclassified drawings. */
  protected async evaluateModel(current: CurrentModel, options: SequencePredictOptions): Promise<EvalResult> {
    const { test } = this.requireData();
    if (current.classes.join('\u0000') !== test.classes.join('\u0000')) {
      throw new Error(`The model knows ${current.classes.join(', ')} but the loaded drawings are ${test.classes.join(', ')}: load matching classes or train a new model`);
    }
    const report = await evaluateSequences(current.model, test, 'test', { ...options, batchSize: this.trainedBatch });
    const doodles = report.misclassified.slice(0, MISCLASSIFIED_SHOWN).map((m) => ({ ...m, strokes: drawingAt(test, m.index) }));
    return { report, examples: [], doodles, mirrorAveraged: options.mirrorAverage === true };
  }

  private requireData(): LoadedSequences {
    if (!this.data) throw new Error('No Quick Draw drawings loaded yet: load some classes first');
    return this.data;
  }
}
