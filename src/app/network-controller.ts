/**
 * A page's actions on its network, the same for every network: each calls the worker's group for
 * the page's network (api.ts) and writes what happened into the page's store (status line
 * included). Components call these; they never talk to the worker themselves. A page's controller
 * adds its data (loading, selecting) and says how its form becomes a run (mlp-, cnn-, rnn-controller.ts).
 */
import * as Comlink from 'comlink';
import type { LoadProgress } from '../data/types';
import type { RnnTrainConfig, TrainConfig } from '../train/types';
import type {
  ExportFormat, InkPrediction, ModelSummary, NetworkApi, NetworkSlot, SequencePredictOptions, TrainerRemote, TrainOptions,
} from '../../workers/api';
import { newRunId } from '../data/runs-store';
import { formatBytes, formatCount, formatPercent, messageOf } from './format';
import type { ParseResult } from './mlp-hyperparams';
import { createResumeStore, discardPendingRun, keepPausedWeights, offerPendingRun, type ResumeStore } from './resume-controller';
import { RunDriver } from './run-driver';
import type { RunLog } from './run-log';
import { setStatus, type AppStore } from './page-state';
import { TrainingFeed } from './training-feed';
import { workersForRun } from './workers-setting';

export type { TrainerRemote };

/** What every network's worker group answers (the page's network's, whichever it is). */
export type NetworkRemote = Comlink.Remote<NetworkApi<TrainConfig | RnnTrainConfig>>;

export interface ControllerDeps {
  pageBase: string;
  download(bytes: Uint8Array, fileName: string): void;
  /** Replaces a worker that does not stop (absent in tests: Stop then only asks). */
  restartWorker?(): void;
}

/** What a Train press runs: the config, worker options, and the status text while it starts. */
export interface RunPlan {
  config: TrainConfig | RnnTrainConfig;
  options?: TrainOptions;
  label: string;
}

/** The run's options plus the Workers setting when it asks for more than one thread. */
function withWorkers(options: TrainOptions | undefined, workers: number): TrainOptions | undefined {
  return workers > 1 ? { ...options, workers } : options;
}

export function describeModel(m: ModelSummary): string {
  return `${m.kind.toUpperCase()} ${m.architecture} (${formatCount(m.parameterCount)} parameters)`;
}

export abstract class NetworkController {
  /** The network this page drives: its worker group, saved model, checkpoint and export name. */
  abstract readonly network: NetworkSlot;
  /** What its examples are, for the status line ('digits', 'pairs', 'drawings'). */
  protected abstract readonly examples: string;
  private readonly feed: TrainingFeed;
  /** Bumped whenever a load call ends, retiring its progress callback. */
  protected loadEpoch = 0;
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
      exportWeights: () => this.remote.exportModel('safetensors'),
      evaluate: (prefix) => this.evaluate(prefix),
    });
  }

  /** The form's run, or what to fix. */
  protected abstract planRun(): ParseResult<RunPlan>;
  /** Why Train cannot start before data is loaded. */
  protected abstract noDataMessage(): string;
  /** Puts this page's data back into a fresh worker (Stop replaced a stuck one); main.tsx calls it on every page. */
  abstract reloadData(): Promise<void>;

  /** Options of the test evaluation (the RNN page's mirror averaging). */
  protected evaluateOptions(): SequencePredictOptions {
    return {};
  }

  /**
   * The worker group of this page's network, looked up on every call: after a restart the same
   * `api` talks to a fresh worker.
   */
  protected get remote(): NetworkRemote {
    return this.api[this.network] as unknown as NetworkRemote;
  }

  /**
   * The status line once the page is ready: its data, then the model restored from the last visit
   * (`modelName`: "model", "CNN", …) or, with data but no model, what to do.
   */
  protected greet(dataText: string, hasData: boolean, model: ModelSummary | null, modelName: string): void {
    const acc = model?.metrics.test_accuracy;
    const accText = typeof acc === 'number' ? `, test accuracy ${formatPercent(acc)}` : '';
    const next = hasData ? ' Press Train to teach the network.' : '';
    const modelText = model ? ` Restored your last ${modelName}: ${describeModel(model)}${accText}.` : next;
    setStatus(this.store, `${dataText}.${modelText}`, 'success');
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
    const options = withWorkers(parsed.value.options, workersForRun());
    const plan: RunPlan = options ? { ...parsed.value, options } : parsed.value;
    const startedAt = Date.now();
    const runId = newRunId(startedAt);
    // The worker checkpoints a run it knows by id after every epoch, so a reload can continue it.
    const runOptions: TrainOptions = { ...options, runId, startedAt };
    this.resumable.setState({ pending: null });
    this.store.setState({ phase: 'running', lossPoints: [], epochPoints: [], progress: null, evalResult: null });
    await this.runs.runToEnd(plan, runId, startedAt, (callbacks) => this.remote.train(plan.config, callbacks, runOptions));
  }

  /** Continues the interrupted run from its last checkpoint (its own settings, data and worker count). */
  async resumeRun(): Promise<void> {
    const pending = this.resumable.getState().pending;
    if (this.store.getState().phase !== 'idle' || !pending?.config || pending.error) return;
    const plan: RunPlan = { config: pending.config, options: pending.options, label: `Continuing the run from epoch ${pending.epoch + 1} of ${pending.epochs}…` };
    this.resumable.setState({ pending: null });
    this.store.setState({ phase: 'running', lossPoints: pending.loss, epochPoints: pending.epochPoints, progress: null, evalResult: null });
    await this.runs.runToEnd(plan, pending.runId, pending.startedAt, (callbacks) => this.remote.resumeRun(pending.runId, callbacks));
    // Refused (other data, a damaged file): the checkpoint is still there to retry or discard.
    if (this.store.getState().status.kind === 'error') await offerPendingRun(this.remote, this.store, this.resumable, false);
  }

  /** While paused: keeps the run's weights as the saved model. */
  keepPausedWeights(): Promise<void> {
    return keepPausedWeights(this.remote, this.store);
  }

  /** Forgets the interrupted run (its record stays in Runs, marked interrupted). */
  discardRun(): Promise<void> {
    return discardPendingRun(this.remote, this.store, this.resumable);
  }

  /** Asks the worker for an interrupted run of this page's network and offers it. */
  protected offerResume(): Promise<void> {
    return offerPendingRun(this.remote, this.store, this.resumable);
  }

  togglePause(): void {
    const phase = this.store.getState().phase;
    if (phase === 'running') {
      void this.remote.pause();
      this.store.setState({ phase: 'paused' });
      this.feed.flushAll();
      setStatus(this.store, 'Paused. Resume to continue from the same step.', 'info');
    } else if (phase === 'paused') {
      void this.remote.resume();
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
    void Promise.resolve(this.remote.stop()).then(() => this.runs.watchdog.cancel(), () => undefined);
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
      this.store.setState({ model: await this.remote.modelSummary(), kernels: startup.kernels });
      await this.reloadData();
      await this.offerResume();
      setStatus(this.store, text, 'error');
    } catch (err) {
      setStatus(this.store, `${text} The new trainer could not start: ${messageOf(err)}`, 'error');
    } finally {
      this.resumable.setState({ restarting: false });
    }
  }

  /** `prefix` keeps what led here (a finished run, an import) in the status line. */
  async evaluate(prefix = ''): Promise<void> {
    const state = this.store.getState();
    if (state.evaluating || state.phase !== 'idle') return;
    this.store.setState({ evaluating: true });
    try {
      const result = await this.remote.evaluate(this.evaluateOptions());
      const model = this.store.getState().model;
      this.store.setState({
        evalResult: result,
        model: model ? { ...model, metrics: { ...model.metrics, test_accuracy: result.report.accuracy } } : model,
      });
      const r = result.report;
      const text = `Test accuracy ${formatPercent(r.accuracy, 2)} on ${formatCount(r.count)} ${this.examples} never seen in training.`;
      setStatus(this.store, prefix + text, 'success');
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    } finally {
      this.store.setState({ evaluating: false });
    }
  }

  /** Shows a drawing's prediction unless `isCurrent` says the drawing changed (e.g. was cleared) meanwhile. */
  protected async showInkPrediction(request: Promise<InkPrediction>, isCurrent: () => boolean): Promise<void> {
    try {
      const r = await request;
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
      const bytes = await this.remote.exportModel(format);
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
      const model = await this.remote.importModel(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]));
      this.store.setState({ model, evalResult: null, lossPoints: [], epochPoints: [], progress: null });
      const imported = `Imported ${file.name}: ${describeModel(model)}.`;
      setStatus(this.store, imported, 'success');
      if (this.store.getState().datasetId) await this.evaluate(`${imported} `);
    } catch (err) {
      setStatus(this.store, `Could not import ${file.name}: ${messageOf(err)}. The current model is unchanged.`, 'error');
    }
  }
}
