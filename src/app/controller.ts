/**
 * The page's actions: each one calls the worker and writes what happened into the store
 * (status line included). Components call these; they never talk to the worker themselves.
 */
import * as Comlink from 'comlink';
import type { LoadProgress } from '../data/types';
import type { RnnTrainConfig, TrainConfig } from '../train/types';
import type { EvalResult, ExportFormat, InkPrediction, ModelSummary, TrainerApi, TrainOptions } from '../../workers/api';
import { formatBytes, formatCount, formatLayers, formatPercent } from './format';
import { parseHyperForm, type HyperForm, type ParseResult } from './hyperparams';
import { saveDatasetId, saveMnistBase, savedDatasetId } from './settings';
import { setStatus, type AppStore } from './store';
import { TrainingFeed } from './training-feed';
import type { RunLog } from './run-log';
import { newRunId } from '../data/runs-store';
import { createResumeStore, discardPendingRun, keepPausedWeights, offerPendingRun, type ResumeStore } from './resume-controller';
import { RunDriver } from './run-controller';
import { workersForRun } from './workers-setting';

/** The worker as the page sees it (comlink makes every call async). */
export type TrainerRemote = Comlink.Remote<TrainerApi>;

export const BUNDLED_ID = 'mnist-bundled';

export interface ControllerDeps {
  pageBase: string;
  download(bytes: Uint8Array, fileName: string): void;
  /** Replaces a worker that does not stop (absent in tests: Stop then only asks). */
  restartWorker?(): void;
}

/** The run's options plus the Workers setting when it asks for more than one thread. */
function withWorkers(options: TrainOptions | undefined, workers: number): TrainOptions | undefined {
  return workers > 1 ? { ...options, workers } : options;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What a Train press runs: the config, worker options, and the status text while it starts. */
export interface RunPlan {
  config: TrainConfig | RnnTrainConfig;
  options?: TrainOptions;
  label: string;
}

export function describeModel(m: ModelSummary): string {
  return `${m.kind.toUpperCase()} ${m.architecture} (${formatCount(m.parameterCount)} parameters)`;
}

export class Controller {
  private readonly feed: TrainingFeed;
  /** Bumped whenever a load call ends, retiring its progress callback. */
  protected loadEpoch = 0;
  /** Which network this controller drives (its saved model, export name, evaluation data). */
  protected readonly network: 'mlp' | 'cnn' | 'rnn' = 'mlp';
  /** Told about every run as it goes and when it ends: the Runs view keeps them. */
  runLog: RunLog | null = null;
  /** An interrupted run this page can continue, and the Stop watchdog's state. */
  readonly resumable: ResumeStore = createResumeStore();
  /** Drives each run to its end (curves, run record, evaluation, status). */
  private readonly runs: RunDriver;

  constructor(
    protected readonly api: TrainerRemote,
    protected readonly store: AppStore,
    protected readonly deps: ControllerDeps,
  ) {
    this.feed = new TrainingFeed(store);
    this.runs = new RunDriver(store, this.feed, {
      network: () => this.network,
      runLog: () => this.runLog,
      exportWeights: () => this.exportRemote('safetensors'),
      evaluate: (prefix) => this.evaluate(prefix),
    });
  }

  /** Restores the saved model, stores the bundled MNIST on first visit, loads the preferred dataset. */
  async boot(): Promise<void> {
    setStatus(this.store, 'Starting the trainer…', 'busy');
    try {
      const startup = await this.api.init();
      this.store.setState({ datasets: startup.datasets, model: startup.model, kernels: startup.kernels });
      if (startup.warning) setStatus(this.store, startup.warning, 'error');
      const bundledError = await this.ensureBundled();
      const datasets = await this.api.listDatasets();
      this.store.setState({ datasets });
      const preferred = savedDatasetId();
      const usable = datasets.filter((d) => d.complete);
      const pick = usable.find((d) => d.id === preferred) ?? usable.find((d) => d.id === BUNDLED_ID) ?? usable[0];
      if (!pick) {
        setStatus(this.store, bundledError ?? 'No dataset available: load MNIST from a URL or drop its IDX files', 'error');
        return;
      }
      await this.selectDataset(pick.id);
      if (bundledError) setStatus(this.store, bundledError, 'error');
      else if (!startup.warning) this.greet(startup.model);
      await this.offerResume();
    } catch (err) {
      setStatus(this.store, `The trainer could not start: ${messageOf(err)}`, 'error');
    }
  }

  private greet(model: ModelSummary | null): void {
    const data = this.store.getState().datasets.find((d) => d.id === this.store.getState().datasetId);
    const dataText = data ? `${formatCount(data.trainCount)} training digits ready` : 'Ready';
    if (model) {
      const acc = model.metrics.test_accuracy;
      const accText = typeof acc === 'number' ? `, test accuracy ${formatPercent(acc)}` : '';
      setStatus(this.store, `${dataText}. Restored your last model: ${describeModel(model)}${accText}.`, 'success');
    } else {
      setStatus(this.store, `${dataText}. Press Train to teach the network.`, 'success');
    }
  }

  /** Returns an error message instead of throwing: other stored datasets may still work. */
  private async ensureBundled(): Promise<string | null> {
    try {
      await this.api.ensureBundled(this.deps.pageBase, this.progressProxy());
      return null;
    } catch (err) {
      return `Could not store the bundled MNIST subset: ${messageOf(err)}`;
    } finally {
      this.endLoad();
    }
  }

  /**
   * A progress callback for one worker call. Callback messages travel on their own channel and may
   * arrive after the call's result: once `loadEpoch` moves on (the call ended), late ones are dropped.
   */
  protected progressProxy(): ((p: LoadProgress) => void) & Comlink.ProxyMarked {
    let last = { phase: '', fraction: -1 };
    const epoch = this.loadEpoch;
    return Comlink.proxy((p: LoadProgress) => {
      if (epoch !== this.loadEpoch) return;
      // Skip sub-percent updates: a download reports progress per network chunk.
      if (p.phase === last.phase && Math.abs(p.fraction - last.fraction) < 0.005 && p.fraction < 1) return;
      last = p;
      this.store.setState({ load: p });
      setStatus(this.store, p.phase, 'busy');
    });
  }

  protected endLoad(): void {
    this.loadEpoch++;
    this.store.setState({ load: null });
  }

  async selectDataset(id: string): Promise<void> {
    if (this.store.getState().phase !== 'idle') {
      setStatus(this.store, 'Stop training before switching datasets', 'error');
      return;
    }
    try {
      const info = await this.api.selectDataset(id, this.progressProxy());
      this.store.setState({ datasetId: info.id, evalResult: null });
      saveDatasetId(info.id);
      setStatus(this.store, `${info.name}: ${formatCount(info.trainCount)} train / ${formatCount(info.testCount)} test digits ready`, 'success');
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    } finally {
      this.endLoad();
    }
  }

  setMnistBase(url: string): void {
    this.store.setState({ mnistBase: url });
    saveMnistBase(url);
  }

  async loadFullMnist(): Promise<void> {
    const base = this.store.getState().mnistBase.trim();
    if (!/^https?:\/\//i.test(base) && !base.startsWith('/') && !base.startsWith('.')) {
      setStatus(this.store, `"${base}" is not a URL: use something like https://example.org/mnist/`, 'error');
      return;
    }
    // A link's ?mnistBase= is remembered only now, when the user loads from it (settings.ts).
    saveMnistBase(base);
    await this.loadDataset(() => this.api.loadRemote(base, this.progressProxy()), `Downloading MNIST from ${base}…`);
  }

  async loadIdxFiles(files: File[]): Promise<void> {
    if (files.length !== 4) {
      setStatus(this.store, `Drop all 4 MNIST IDX files at once (train/t10k images and labels); got ${files.length}`, 'error');
      return;
    }
    await this.loadDataset(() => this.api.loadFiles(files, this.progressProxy()), 'Reading the IDX files…');
  }

  private async loadDataset(load: () => Promise<{ id: string }>, startText: string): Promise<void> {
    if (this.store.getState().load) return;
    this.store.setState({ load: { phase: startText, fraction: 0 } });
    setStatus(this.store, startText, 'busy');
    try {
      const info = await load();
      this.store.setState({ datasets: await this.api.listDatasets() });
      await this.selectDataset(info.id);
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    } finally {
      this.endLoad();
    }
  }

  updateForm(patch: Partial<HyperForm>): void {
    this.store.setState((s) => ({ form: { ...s.form, ...patch } }));
  }

  async train(): Promise<void> {
    const state = this.store.getState();
    if (state.phase !== 'idle') return;
    const parsed = this.planRun();
    if (!parsed.ok) {
      setStatus(this.store, parsed.error, 'error');
      return;
    }
    if (!state.datasetId) {
      setStatus(this.store, this.noDataMessage(), 'error');
      return;
    }
    const { config } = parsed.value;
    const options = withWorkers(parsed.value.options, workersForRun());
    const plan: RunPlan = options ? { ...parsed.value, options } : parsed.value;
    const startedAt = Date.now();
    const runId = newRunId(startedAt);
    // The worker checkpoints a run it knows by id after every epoch, so a reload can continue it.
    const runOptions: TrainOptions = { ...options, runId, startedAt };
    this.resumable.setState({ pending: null });
    this.store.setState({ phase: 'running', lossPoints: [], epochPoints: [], progress: null, evalResult: null });
    await this.runs.runToEnd(plan, runId, startedAt, (callbacks) => (config.model === 'rnn'
      ? this.api.startSequenceTraining(config, callbacks, runOptions)
      : this.api.startTraining(config, callbacks, runOptions)));
  }

  /** Continues the interrupted run from its last checkpoint (its own settings, data and worker count). */
  async resumeRun(): Promise<void> {
    const pending = this.resumable.getState().pending;
    if (this.store.getState().phase !== 'idle' || !pending?.config || pending.error) return;
    const plan: RunPlan = { config: pending.config, options: pending.options, label: `Continuing the run from epoch ${pending.epoch + 1} of ${pending.epochs}…` };
    this.resumable.setState({ pending: null });
    this.store.setState({ phase: 'running', lossPoints: pending.loss, epochPoints: pending.epochPoints, progress: null, evalResult: null });
    await this.runs.runToEnd(plan, pending.runId, pending.startedAt, (callbacks) => this.api.resumeTraining(this.network, pending.runId, callbacks));
    // Refused (other data, a damaged file): the checkpoint is still there to retry or discard.
    if (this.store.getState().status.kind === 'error') await offerPendingRun(this.api, this.network, this.store, this.resumable, false);
  }

  /** While paused: keeps the run's weights as the saved model. */
  keepPausedWeights(): Promise<void> {
    return keepPausedWeights(this.api, this.network, this.store);
  }

  /** Forgets the interrupted run (its record stays in Runs, marked interrupted). */
  discardRun(): Promise<void> {
    return discardPendingRun(this.api, this.network, this.store, this.resumable);
  }

  /** Asks the worker for an interrupted run of this page's network and offers it. */
  protected offerResume(): Promise<void> {
    return offerPendingRun(this.api, this.network, this.store, this.resumable);
  }

  /** The run the form describes, or what to fix. */
  protected planRun(): ParseResult<RunPlan> {
    const parsed = parseHyperForm(this.store.getState().form);
    if (!parsed.ok) return parsed;
    const label = `Training ${formatLayers(parsed.value.net.hidden)} with ${parsed.value.optimizer.kind}…`;
    return { ok: true, value: { config: parsed.value, label } };
  }

  protected noDataMessage(): string {
    return 'No dataset is loaded yet: wait for MNIST to finish loading';
  }

  protected evaluateRemote(): Promise<EvalResult> {
    return this.api.evaluate('test');
  }

  protected predictRemote(ink: Uint8ClampedArray, width: number, height: number): Promise<InkPrediction> {
    return this.api.predictInk(Comlink.transfer(ink, [ink.buffer as ArrayBuffer]), width, height);
  }

  protected exportRemote(format: ExportFormat): Promise<Uint8Array> {
    return this.api.exportModel(format);
  }

  protected importRemote(bytes: Uint8Array): Promise<ModelSummary> {
    return this.api.importModel(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]));
  }

  togglePause(): void {
    const phase = this.store.getState().phase;
    if (phase === 'running') {
      void this.api.pause();
      this.store.setState({ phase: 'paused' });
      setStatus(this.store, 'Paused. Resume to continue from the same step.', 'info');
    } else if (phase === 'paused') {
      void this.api.resume();
      this.store.setState({ phase: 'running' });
      setStatus(this.store, 'Training…', 'busy');
    }
  }

  /** Stops after the current step; a worker that has not taken the Stop within STOP_GRACE_MS is replaced. */
  stop(): void {
    const phase = this.store.getState().phase;
    if (phase !== 'running' && phase !== 'paused') return;
    this.store.setState({ phase: 'stopping' });
    setStatus(this.store, 'Stopping after the current step…', 'busy');
    const restart = this.deps.restartWorker;
    // A worker stuck in one long step cannot even take the message: no answer in time, it is replaced.
    if (restart) this.runs.watchdog.arm(() => void this.replaceWorker(restart));
    void Promise.resolve(this.api.stop()).then(() => this.runs.watchdog.cancel(), () => undefined);
  }

  /** The run is abandoned with its worker; the saved model and the run's last checkpoint stay. */
  private async replaceWorker(restart: () => void): Promise<void> {
    if (this.store.getState().phase !== 'stopping') return;
    this.runs.abandon();
    this.resumable.setState({ restarting: true });
    restart();
    this.feed.flushAll();
    this.store.setState({ phase: 'idle', progress: null });
    const text = 'The trainer did not stop within 2 s (a long step): restarted it. The saved model and the run\'s last checkpoint are kept.';
    setStatus(this.store, text, 'error');
    try {
      const startup = await this.api.init();
      this.store.setState({ model: await this.api.modelSummary(this.network), kernels: startup.kernels });
      await this.reloadData();
      await this.offerResume();
      setStatus(this.store, text, 'error');
    } catch (err) {
      setStatus(this.store, `${text} The new trainer could not start: ${messageOf(err)}`, 'error');
    } finally {
      this.resumable.setState({ restarting: false });
    }
  }

  /** Puts this page's data back into a fresh worker (the MLP: the selected digits); main.tsx calls it on every page. */
  async reloadData(): Promise<void> {
    const id = this.store.getState().datasetId;
    if (id) await this.api.selectDataset(id);
  }

  /** `prefix` keeps what led here (a finished run, an import) in the status line. */
  async evaluate(prefix = ''): Promise<void> {
    const state = this.store.getState();
    if (state.evaluating || state.phase !== 'idle') return;
    this.store.setState({ evaluating: true });
    try {
      const result = await this.evaluateRemote();
      const model = this.store.getState().model;
      this.store.setState({
        evalResult: result,
        model: model ? { ...model, metrics: { ...model.metrics, test_accuracy: result.report.accuracy } } : model,
      });
      const r = result.report;
      const what = { mlp: 'digits', cnn: 'pairs', rnn: 'drawings' }[this.network];
      const text = `Test accuracy ${formatPercent(r.accuracy, 2)} on ${formatCount(r.count)} ${what} never seen in training.`;
      setStatus(this.store, prefix + text, 'success');
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    } finally {
      this.store.setState({ evaluating: false });
    }
  }

  /**
   * ink: 0 = background … 255 = ink, width × height (transferred to the worker). `isCurrent` drops
   * an answer that arrives after the drawing changed (e.g. was cleared).
   */
  async predictInk(ink: Uint8ClampedArray, width: number, height: number, isCurrent = () => true): Promise<void> {
    try {
      const r = await this.predictRemote(ink, width, height);
      if (!isCurrent()) return;
      this.store.setState({ prediction: { input: r.input, probs: r.probs ? Array.from(r.probs) : null } });
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    }
  }

  clearPrediction(): void {
    this.store.setState({ prediction: { input: null, probs: null } });
  }

  async exportModel(format: ExportFormat): Promise<void> {
    try {
      const bytes = await this.exportRemote(format);
      const name = `scratchnet-${this.store.getState().model?.kind ?? this.network}.${format}`;
      this.deps.download(bytes, name);
      setStatus(this.store, `Downloaded ${name} (${formatBytes(bytes.length)})`, 'success');
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    }
  }

  async importModel(file: File): Promise<void> {
    if (this.store.getState().phase !== 'idle') {
      setStatus(this.store, 'Stop training before importing a model', 'error');
      return;
    }
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const model = await this.importRemote(bytes);
      this.store.setState({ model, evalResult: null, lossPoints: [], epochPoints: [], progress: null });
      const imported = `Imported ${file.name}: ${describeModel(model)}.`;
      setStatus(this.store, imported, 'success');
      if (this.store.getState().datasetId) await this.evaluate(`${imported} `);
    } catch (err) {
      setStatus(this.store, `Could not import ${file.name}: ${messageOf(err)}. The current model is unchanged.`, 'error');
    }
  }
}
