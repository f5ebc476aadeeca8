/**
 * Everything the trainer worker does, as a plain class (so Node tests can drive it without a Worker):
 * the current model, the dataset held in memory, the running Trainer, and persistence of the model.
 */
import { ensureBundledMnist } from '../src/data/bundled';
import { loadMnistFromFiles, loadMnistFromUrl } from '../src/data/mnist-remote';
import { preprocessDigit } from '../src/data/preprocess-digit';
import { listDatasets, loadImageSet } from '../src/data/store';
import type { DatasetManifest, ImageSet } from '../src/data/types';
import { decodeWeights, encodeWeights } from '../src/io/weights';
import type { Backend } from '../src/kernels/backend';
import { modelInputSize } from '../src/nn/models';
import type { Model } from '../src/nn/types';
import { evaluateAsync } from '../src/train/evaluate';
import type { SequencePredictOptions } from '../src/train/sequence-eval';
import { SwitchableBackend, type BackendFactories } from './backend-switch';
import { predictProbsAsync } from './predict';
import { canvasStepPredictions, cnnFeatures, firstLayerWeights } from '../src/train/inspect';
import type { CnnFeatures, FirstLayerWeights, RnnStepPredictions } from './api';
import type { Drawing } from '../src/data/strokes';
import { RnnModel } from '../src/nn/models';
import { autotune, type AutotuneResult, type TrialResult } from '../src/train/autotune';
import { Trainer } from '../src/train/trainer';
import { dataParallel, type TransportFactory } from '../src/train/data-parallel';
import { usableWorkers } from './grad-setting';
import type { TrainLoop } from '../src/train/train-loop';
import { RnnSession } from './session-rnn';
import { ModelSlots, slotOfKind } from './model-slots';
import type { BackendNetwork, BackendPreference, BackendSelection } from './api';
import { limitImageSet } from '../src/data/split';
import type { TrainConfig } from '../src/train/types';
import type { RunCheckpoint } from '../src/train/run-state';
import { discardRunCheckpoint, loadRunCheckpoint, pendingRun, type RunMeta } from './run-checkpoints';
import { RunCheckpointing } from './run-checkpointing';
import type {
  AutotuneRequest, DatasetInfo, EvalResult, ExportFormat, InkPrediction, MisclassifiedDigit, ModelSummary, NetworkSlot,
  PairsInfo, PendingRun, ProgressCallback, StartupState, TrainCallbacks, TrainOptions, TrainOutcome,
} from './api';
import {
  isPairsDataset, loadStoredPairs, preparePairs, type LoadedPairs, type PairCounts,
} from '../src/data/pairs-store';
import { preprocessPair } from '../src/data/preprocess-digit';
import { digitConfusions } from '../src/train/confusion';

export { SAVED_MODEL_KEY, SAVED_MODEL_KEYS, slotOfKind } from './model-slots';
const MISCLASSIFIED_SHOWN = 30;

interface LoadedData {
  info: DatasetInfo;
  train: ImageSet;
  test: ImageSet;
}

export function datasetInfo(m: DatasetManifest): DatasetInfo {
  return {
    id: m.id,
    name: m.name,
    source: m.source,
    classes: [...m.classes],
    trainCount: m.splits.train.count,
    testCount: m.splits.test.count,
    complete: m.complete,
  };
}

export class TrainerSession {
  private readonly slots = new ModelSlots(() => this.backend);
  private trainer: TrainLoop | null = null;
  private data: LoadedData | null = null;
  private pairs: LoadedPairs | null = null;
  private tuning: AbortController | null = null;
  /** Data-parallel helpers (Workers sharing memory), set by the worker script where the page allows them. */
  gradientTransport: TransportFactory | null = null;
  /** The RNN page's part (Quick Draw data, BiGRU runs, strokes): see session-rnn.ts. */
  readonly rnn = new RnnSession({
    backend: () => this.backend,
    gradientTransport: () => this.gradientTransport,
    ready: () => this.kernels.ready(),
    refuseWhileTraining: (what) => this.refuseWhileBusy(what),
    setRunning: (loop) => void (this.trainer = loop),
    keepTrained: async (current) => {
      this.slots.replace('rnn', current);
      await this.slots.persist('rnn');
      return this.slots.summary('rnn')!;
    },
    liveModel: () => this.liveModel('rnn'),
    currentModel: () => this.slots.require('rnn'),
    persist: () => this.slots.persist('rnn'),
  });

  private readonly kernels: SwitchableBackend;

  /** `factories`: how WebGL2 is made when the page asks for it (tests inject failing ones). */
  constructor(
    backend: Backend,
    kernelsLabel: string = backend.name,
    private readonly kernelsFallback: string | null = null,
    factories?: BackendFactories,
  ) {
    this.kernels = new SwitchableBackend({ backend, label: kernelsLabel, fallbackReason: kernelsFallback }, factories);
  }

  /** The kernels every network runs on now (setBackend switches them). */
  get backend(): Backend {
    return this.kernels.backend;
  }

  /** Switches the kernels (backend-switch.ts), moving every network's model onto them; refused while training. */
  async setBackend(choice: BackendPreference, network: BackendNetwork = 'mlp'): Promise<BackendSelection> {
    await this.kernels.ready();
    this.refuseWhileTraining('switch the kernels');
    return this.kernels.switchTo(choice, network, this.slots.models);
  }

  async init(): Promise<StartupState> {
    let warning = await this.slots.restoreAll();
    if (this.kernelsFallback) {
      const note = `Training on ${this.kernels.label} (${this.kernelsFallback}).`;
      warning = warning ? `${warning} ${note}` : note;
    }
    return { datasets: await this.listDatasets(), model: this.summary('mlp'), warning, kernels: this.kernels.label };
  }

  async ensureBundled(pageBase: string, onProgress: ProgressCallback): Promise<DatasetInfo> {
    return datasetInfo(await ensureBundledMnist(pageBase.replace(/\/+$/, ''), onProgress));
  }

  async listDatasets(): Promise<DatasetInfo[]> {
    return (await listDatasets()).filter((m) => !isPairsDataset(m.id)).map(datasetInfo);
  }

  async loadRemote(baseUrl: string, onProgress: ProgressCallback): Promise<DatasetInfo> {
    return datasetInfo(await loadMnistFromUrl(baseUrl, onProgress));
  }

  async loadFiles(files: File[], onProgress: ProgressCallback): Promise<DatasetInfo> {
    return datasetInfo(await loadMnistFromFiles(files, onProgress));
  }

  async selectDataset(id: string, onProgress?: ProgressCallback): Promise<DatasetInfo> {
    if (this.data?.info.id === id) return this.data.info;
    this.refuseWhileTraining('switch datasets');
    const manifest = (await listDatasets()).find((m) => m.id === id);
    if (!manifest) throw new Error(`Dataset "${id}" is not stored in this browser; load it first`);
    onProgress?.({ phase: `Reading ${manifest.name} from browser storage`, fraction: 0 });
    const train = await loadImageSet(id, 'train');
    onProgress?.({ phase: `Reading ${manifest.name} from browser storage`, fraction: 0.8 });
    const test = await loadImageSet(id, 'test');
    onProgress?.({ phase: `${manifest.name} ready`, fraction: 1 });
    this.data = { info: datasetInfo(manifest), train, test };
    return this.data.info;
  }

  async startTraining(config: TrainConfig, callbacks: TrainCallbacks, options: TrainOptions = {}): Promise<TrainOutcome> {
    await this.kernels.ready();
    this.refuseWhileTraining('start another run');
    return this.trainImages(config, callbacks, options, null);
  }

  pendingRun(network: NetworkSlot): Promise<PendingRun | null> {
    return pendingRun(network);
  }

  async discardPendingRun(network: NetworkSlot): Promise<void> {
    this.refuseWhileTraining('discard the interrupted run');
    await discardRunCheckpoint(network);
  }

  /** Continues a checkpointed run with its own settings; refused (nothing lost) when it does not fit the data. */
  async resumeTraining(network: NetworkSlot, runId: string, callbacks: TrainCallbacks): Promise<TrainOutcome> {
    if (network === 'rnn') return this.rnn.resume(runId, callbacks);
    await this.kernels.ready();
    this.refuseWhileTraining('continue a run');
    const saved = await loadRunCheckpoint(network, runId);
    const meta = saved.meta as unknown as RunMeta;
    if (meta.datasetId && this.data?.info.id !== meta.datasetId && network === 'mlp') await this.selectDataset(meta.datasetId);
    return this.trainImages(saved.config as TrainConfig, callbacks, meta.options, saved);
  }

  private async trainImages(
    config: TrainConfig, callbacks: TrainCallbacks, options: TrainOptions, resumed: RunCheckpoint | null,
  ): Promise<TrainOutcome> {
    const slot: NetworkSlot = config.model === 'mlp' ? 'mlp' : 'cnn';
    const data = slot === 'mlp' ? this.requireData() : this.requirePairs();
    const limit = options.trainLimit;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 100)) {
      throw new Error(`The training subset must be a whole number of at least 100 examples, got ${limit}`);
    }
    const workers = usableWorkers(options.workers, this.gradientTransport, this.backend);
    const train = limit === undefined ? data.train : limitImageSet(data.train, limit);
    const classes = slot === 'mlp' ? [...(data as LoadedData).info.classes] : [...data.train.classes];
    const datasetId = slot === 'mlp' ? (data as LoadedData).info.id : (this.pairs?.info.sourceId ?? null);
    const checkpoints = new RunCheckpointing(slot, options, classes, datasetId, resumed, callbacks);
    let trainer: Trainer | null = null;
    trainer = new Trainer(this.backend, config, { train, test: data.test }, {
      onSteps: (points, progress) => {
        checkpoints.loss.add(points);
        void callbacks.onSteps(points, progress);
      },
      onEpoch: (point) => void callbacks.onEpoch(point),
      onRunState: (state) => (trainer ? checkpoints.save(trainer, state) : undefined),
    });
    try {
      if (resumed) trainer.restoreState(resumed.loop);
      if (workers > 1) trainer.useGradientSource(dataParallel(workers, this.gradientTransport!));
    } catch (err) {
      trainer.model.dispose();
      throw err;
    }
    this.trainer = trainer;
    try {
      const reason = await trainer.run();
      const lastEpoch = trainer.lastEpoch;
      const metrics: Record<string, unknown> = { epochs: lastEpoch?.epoch ?? 0, stop_reason: reason };
      if (lastEpoch) {
        metrics.train_accuracy = lastEpoch.trainAccuracy;
        metrics.dev_accuracy = lastEpoch.devAccuracy;
      }
      if (limit !== undefined) metrics.train_examples = train.count;
      // The run ended: only now does its model replace the saved one, and its checkpoint go.
      this.slots.replace(slot, { model: trainer.model, classes, metrics, origin: 'trained' });
      const saveError = await this.slots.persist(slot);
      await checkpoints.finish();
      return saveError ? { reason, model: this.summary(slot)!, saveError } : { reason, model: this.summary(slot)! };
    } catch (err) {
      trainer.model.dispose();
      throw err;
    } finally {
      this.trainer = null;
    }
  }

  /**
   * The paused run's weights become the network's saved model (what a reload restores), while the
   * run itself goes on when resumed; the page's current model is replaced when the run ends.
   */
  async keepPausedWeights(slot: NetworkSlot): Promise<number> {
    const trainer = this.trainer;
    if (!trainer || slotOfKind(trainer.model.kind) !== slot) throw new Error('No run of this network is going on');
    const classes = { mlp: this.data?.info.classes, cnn: this.pairs?.train.classes, rnn: this.rnn.selected?.classes }[slot] ?? [];
    const epochs = trainer.history.length;
    const file = {
      model: trainer.model.kind, config: trainer.model.configJson(), classes: [...classes],
      metrics: { epochs, checkpoint: 'kept while paused' }, tensors: await trainer.pausedWeights(),
    };
    const error = await this.slots.saveFile(slot, file);
    if (error) throw new Error(error);
    return epochs;
  }

  pause(): void {
    this.trainer?.pause();
  }

  resume(): void {
    this.trainer?.resume();
  }

  stop(): void {
    this.trainer?.stop();
    this.tuning?.abort();
  }

  async autotune(request: AutotuneRequest, onTrial: (trial: TrialResult) => void): Promise<AutotuneResult> {
    await this.kernels.ready();
    this.refuseWhileTraining('start a search');
    const data = request.base.model === 'mlp' ? this.requireData() : this.requirePairs();
    const tuning = new AbortController();
    this.tuning = tuning;
    try {
      return await autotune({
        backend: this.backend, base: request.base, data: { train: data.train, test: data.test },
        subset: request.subset, epochs: request.epochs, trials: request.trials, lrSweep: request.lrSweep,
        signal: tuning.signal, onTrial: (t) => void onTrial(t),
      });
    } finally {
      this.tuning = null;
    }
  }

  async evaluate(split: 'test', slot: NetworkSlot = 'mlp', options: SequencePredictOptions = {}): Promise<EvalResult> {
    if (slot === 'rnn') return this.rnn.evaluate(options);
    await this.kernels.ready();
    this.refuseWhileTraining('evaluate');
    const current = this.slots.require(slot);
    const set = slot === 'mlp' ? this.requireData().test : this.requirePairs().test;
    const report = await evaluateAsync(current.model, set, split);
    const perImage = set.inputShape.reduce((a, b) => a * b, 1);
    const examples: MisclassifiedDigit[] = report.misclassified.slice(0, MISCLASSIFIED_SHOWN).map((m) => ({
      ...m,
      pixels: set.pixels.slice(m.index * perImage, (m.index + 1) * perImage),
    }));
    current.metrics = { ...current.metrics, test_accuracy: report.accuracy, test_count: report.count };
    await this.slots.persist(slot);
    const result: EvalResult = { report, examples, inputShape: [...set.inputShape] };
    if (report.confusion.length === 100) result.digitConfusion = digitConfusions(report.confusion);
    return result;
  }

  async predict(pixels: Uint8Array): Promise<Float32Array> {
    if (pixels.length !== 784) throw new Error(`predict expects 784 pixels (28×28), got ${pixels.length}`);
    await this.kernels.ready();
    const model = this.liveModel('mlp');
    if (!model) throw new Error('No model yet: train or import one first');
    // A copy: the result is transferred to the page, which must never detach backend memory.
    return predictProbsAsync(model, pixels);
  }

  async predictInk(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction> {
    const input = preprocessDigit(ink, width, height);
    await this.kernels.ready();
    const model = this.liveModel('mlp');
    // A network for other images (the 16×16 lines toy) cannot read a 28×28 digit.
    if (!input || !model || modelInputSize(model) !== input.length) return { input, probs: null };
    return { input, probs: await predictProbsAsync(model, input) };
  }

  async predictPair(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction> {
    const input = preprocessPair(ink, width, height);
    await this.kernels.ready();
    const model = this.liveModel('cnn');
    if (!input || !model) return { input, probs: null };
    return { input, probs: await predictProbsAsync(model, input) };
  }

  /** `counts`: other than the defaults (30k/5k bundled, 60k/10k full); the page never passes it. */
  async preparePairs(sourceId: string, onProgress: ProgressCallback, counts?: PairCounts): Promise<PairsInfo> {
    this.refuseWhileTraining('rebuild the pairs');
    this.pairs = await preparePairs(sourceId, onProgress, counts);
    return this.pairs.info;
  }

  async loadStoredPairs(sourceId: string): Promise<PairsInfo | null> {
    if (this.pairs?.info.sourceId === sourceId) return this.pairs.info;
    this.refuseWhileTraining('switch the pairs');
    const loaded = await loadStoredPairs(sourceId);
    if (loaded) this.pairs = loaded;
    return loaded?.info ?? null;
  }

  async modelSummary(slot: NetworkSlot): Promise<ModelSummary | null> {
    return this.summary(slot);
  }

  /** The kept MLP's first layer as images (the model being trained is left alone). */
  async firstLayerWeights(): Promise<FirstLayerWeights | null> {
    await this.kernels.ready();
    return firstLayerWeights(this.slots.get('mlp')?.model ?? null);
  }

  /** The CNN's filters and, for `pixels`, its feature maps (the weights being trained during a run, as predictPair). */
  async cnnFeatures(pixels: Uint8Array | null): Promise<CnnFeatures | null> {
    await this.kernels.ready();
    return cnnFeatures(this.liveModel('cnn'), pixels);
  }

  /** The BiGRU's probabilities after each step of the canvas strokes (null without an RNN). */
  async rnnSteps(strokes: Drawing): Promise<RnnStepPredictions | null> {
    await this.kernels.ready();
    const model = this.liveModel('rnn');
    return model instanceof RnnModel ? canvasStepPredictions(model, strokes) : null;
  }

  async exportModel(format: ExportFormat, slot: NetworkSlot = 'mlp'): Promise<Uint8Array> {
    await this.kernels.ready();
    return encodeWeights(await this.slots.weightFile(this.slots.require(slot)), format);
  }

  async importModel(bytes: Uint8Array, slot: NetworkSlot = 'mlp'): Promise<ModelSummary> {
    await this.kernels.ready();
    this.refuseWhileTraining('import a model');
    const file = await decodeWeights(bytes);
    await this.slots.adopt(file, 'imported', slot);
    await this.slots.persist(slot);
    return this.summary(slot)!;
  }

  summary(slot: NetworkSlot = 'mlp'): ModelSummary | null {
    return this.slots.summary(slot);
  }

  /** During a run, predictions use the weights being trained, so a drawing follows the learning. */
  private liveModel(slot: NetworkSlot): Model | null {
    const training = this.trainer?.model;
    if (training && slotOfKind(training.kind) === slot) return training;
    return this.slots.get(slot)?.model ?? null;
  }

  private requirePairs(): LoadedPairs {
    if (!this.pairs) throw new Error('No paired MNIST loaded yet: press "Build pairs" first');
    return this.pairs;
  }

  private requireData(): LoadedData {
    if (!this.data) throw new Error('No dataset loaded yet: wait for the bundled MNIST to load or pick a dataset');
    return this.data;
  }

  /** The RNN part starts work without waiting for a switch of kernels: it is refused during one. */
  private refuseWhileBusy(what: string): void {
    if (this.kernels.isSwitching) throw new Error(`The kernels are being switched: wait a moment before you ${what}`);
    this.refuseWhileTraining(what);
  }

  private refuseWhileTraining(what: string): void {
    if (this.tuning) throw new Error(`A hyperparameter search is running: stop it before you ${what}`);
    if (this.trainer) throw new Error(`Training is running: stop it before you ${what}`);
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
