/**
 * Everything the trainer worker does, as a plain class (so Node tests can drive it without a Worker):
 * the current model, the dataset held in memory, the running Trainer, and persistence of the model.
 */
import { ensureBundledMnist } from '../src/data/bundled';
import { loadMnistFromFiles, loadMnistFromUrl } from '../src/data/mnist-remote';
import { preprocessDigit } from '../src/data/preprocess-digit';
import { listDatasets, loadBlob, loadImageSet, saveBlob } from '../src/data/store';
import type { DatasetManifest, ImageSet } from '../src/data/types';
import { decodeWeights, encodeWeights, type WeightFile } from '../src/io/weights';
import { weightFileOf } from '../src/train/weights';
import type { Backend } from '../src/kernels/backend';
import { modelFromWeights, modelInputSize } from '../src/nn/models';
import { describeArchitecture } from '../src/nn/models/describe';
import type { Model } from '../src/nn/types';
import { evaluateAsync, predictProbs } from '../src/train/evaluate';
import { Trainer } from '../src/train/trainer';
import type { TrainConfig } from '../src/train/types';
import type {
  DatasetInfo, EvalResult, ExportFormat, InkPrediction, MisclassifiedDigit, ModelSummary,
  ProgressCallback, StartupState, TrainCallbacks, TrainOutcome,
} from './api';

/** IndexedDB blob key of the saved MLP (safetensors bytes). */
export const SAVED_MODEL_KEY = 'model/mlp';
const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const MISCLASSIFIED_SHOWN = 30;

interface CurrentModel {
  model: Model;
  classes: string[];
  metrics: Record<string, unknown>;
  origin: ModelSummary['origin'];
}

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
  private current: CurrentModel | null = null;
  private trainer: Trainer | null = null;
  private data: LoadedData | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly kernelsLabel: string = backend.name,
    private readonly kernelsFallback: string | null = null,
  ) {}

  async init(): Promise<StartupState> {
    let warning: string | null = null;
    try {
      const bytes = await loadBlob(SAVED_MODEL_KEY);
      if (bytes) await this.adopt(await decodeWeights(bytes), 'restored');
    } catch (err) {
      warning = `The saved model could not be restored (${messageOf(err)}); train a new one.`;
    }
    if (this.kernelsFallback) {
      const note = `Training on ${this.kernelsLabel} (${this.kernelsFallback}).`;
      warning = warning ? `${warning} ${note}` : note;
    }
    return { datasets: await this.listDatasets(), model: this.summary(), warning, kernels: this.kernelsLabel };
  }

  async ensureBundled(pageBase: string, onProgress: ProgressCallback): Promise<DatasetInfo> {
    return datasetInfo(await ensureBundledMnist(pageBase.replace(/\/+$/, ''), onProgress));
  }

  async listDatasets(): Promise<DatasetInfo[]> {
    return (await listDatasets()).map(datasetInfo);
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

  async startTraining(config: TrainConfig, callbacks: TrainCallbacks): Promise<TrainOutcome> {
    this.refuseWhileTraining('start another run');
    const data = this.requireData();
    const trainer = new Trainer(this.backend, config, { train: data.train, test: data.test }, {
      onSteps: (points, progress) => void callbacks.onSteps(points, progress),
      onEpoch: (point) => void callbacks.onEpoch(point),
    });
    this.trainer = trainer;
    try {
      const reason = await trainer.run();
      const lastEpoch = trainer.lastEpoch;
      const metrics: Record<string, unknown> = { epochs: lastEpoch?.epoch ?? 0, stop_reason: reason };
      if (lastEpoch) {
        metrics.train_accuracy = lastEpoch.trainAccuracy;
        metrics.dev_accuracy = lastEpoch.devAccuracy;
      }
      this.replaceModel({
        model: trainer.model, classes: [...data.info.classes], metrics, origin: 'trained',
      });
      await this.persist();
      return { reason, model: this.summary()! };
    } catch (err) {
      trainer.model.dispose();
      throw err;
    } finally {
      this.trainer = null;
    }
  }

  pause(): void {
    this.trainer?.pause();
  }

  resume(): void {
    this.trainer?.resume();
  }

  stop(): void {
    this.trainer?.stop();
  }

  async evaluate(split: 'test'): Promise<EvalResult> {
    this.refuseWhileTraining('evaluate');
    const current = this.requireModel();
    const set = this.requireData().test;
    const report = await evaluateAsync(current.model, set, split);
    const perImage = set.inputShape.reduce((a, b) => a * b, 1);
    const examples: MisclassifiedDigit[] = report.misclassified.slice(0, MISCLASSIFIED_SHOWN).map((m) => ({
      ...m,
      pixels: set.pixels.slice(m.index * perImage, (m.index + 1) * perImage),
    }));
    current.metrics = { ...current.metrics, test_accuracy: report.accuracy, test_count: report.count };
    await this.persist();
    return { report, examples };
  }

  async predict(pixels: Uint8Array): Promise<Float32Array> {
    if (pixels.length !== 784) throw new Error(`predict expects 784 pixels (28×28), got ${pixels.length}`);
    const model = this.liveModel();
    if (!model) throw new Error('No model yet: train or import one first');
    // A copy: the result is transferred to the page, which must never detach backend memory.
    return Float32Array.from(predictProbs(model, pixels, 1));
  }

  async predictInk(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction> {
    const input = preprocessDigit(ink, width, height);
    const model = this.liveModel();
    if (!input || !model) return { input, probs: null };
    return { input, probs: Float32Array.from(predictProbs(model, input, 1)) };
  }

  async exportModel(format: ExportFormat): Promise<Uint8Array> {
    return encodeWeights(await this.weightFile(this.requireModel()), format);
  }

  async importModel(bytes: Uint8Array): Promise<ModelSummary> {
    this.refuseWhileTraining('import a model');
    const file = await decodeWeights(bytes);
    await this.adopt(file, 'imported');
    await this.persist();
    return this.summary()!;
  }

  summary(): ModelSummary | null {
    const c = this.current;
    if (!c) return null;
    return {
      kind: c.model.kind,
      config: c.model.configJson(),
      architecture: describeArchitecture(c.model, modelInputSize(c.model) ?? 784, c.classes.length),
      classes: [...c.classes],
      parameterCount: c.model.parameterCount(),
      metrics: { ...c.metrics },
      origin: c.origin,
    };
  }

  /** Builds a model from a decoded file; throws (keeping the current model) when it does not fit. */
  private async adopt(file: WeightFile, origin: ModelSummary['origin']): Promise<void> {
    if (file.model !== 'mlp') {
      throw new Error(`This file holds a "${file.model}" model; this page trains and runs "mlp" models`);
    }
    const model = modelFromWeights(this.backend, file);
    const classes = file.classes.length > 0 ? [...file.classes] : [...DIGIT_CLASSES];
    this.replaceModel({ model, classes, metrics: { ...file.metrics }, origin });
  }

  private replaceModel(next: CurrentModel): void {
    if (this.current && this.current.model !== next.model) this.current.model.dispose();
    this.current = next;
  }

  private weightFile(c: CurrentModel): Promise<WeightFile> {
    return weightFileOf(c.model, c.classes, c.metrics);
  }

  /** Saving is a convenience: a full disk must not fail the training run that just finished. */
  private async persist(): Promise<void> {
    if (!this.current) return;
    try {
      await saveBlob(SAVED_MODEL_KEY, encodeWeights(await this.weightFile(this.current), 'safetensors'));
    } catch (err) {
      console.warn('scratchnet: could not save the model', err);
    }
  }

  /** During a run, predictions use the weights being trained, so a drawing follows the learning. */
  private liveModel(): Model | null {
    return this.trainer?.model ?? this.current?.model ?? null;
  }

  private requireModel(): CurrentModel {
    if (!this.current) throw new Error('No model yet: train one or import a weight file first');
    return this.current;
  }

  private requireData(): LoadedData {
    if (!this.data) throw new Error('No dataset loaded yet: wait for the bundled MNIST to load or pick a dataset');
    return this.data;
  }

  private refuseWhileTraining(what: string): void {
    if (this.trainer) throw new Error(`Training is running: stop it before you ${what}`);
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
