/**
 * One network's side of the trainer worker (the page's slots 'mlp', 'cnn', 'rnn'), the same for
 * every kind: train, continue an interrupted run, pause/resume/stop, keep paused weights, evaluate,
 * export/import and the saved model. What differs per kind (its data, how a run and an evaluation
 * are made) is the few abstract members at the end; see session-images.ts and session-rnn.ts.
 * Everything the networks share — the kernels, the model slots, the one run at a time — is the
 * SessionContext they are built on.
 */
import { decodeWeights, encodeWeights } from '../src/io/weights';
import type { Backend } from '../src/kernels/backend';
import type { Model } from '../src/nn/types';
import { dataParallel, type TransportFactory } from '../src/train/data-parallel';
import type { RunCheckpoint } from '../src/train/run-state';
import type { TrainLoop } from '../src/train/train-loop';
import type { RnnTrainConfig, TrainConfig, TrainEvents } from '../src/train/types';
import type {
  EvalResult, ExportFormat, ModelSummary, NetworkSlot, PendingRun, SequencePredictOptions, TrainCallbacks, TrainOptions,
  TrainOutcome,
} from './api';
import type { SwitchableBackend } from './backend-switch';
import { usableWorkers } from './grad-setting';
import { kindsOfSlot, ModelSlots, slotOfKind, type CurrentModel } from './model-slots';
import { discardRunCheckpoint, loadRunCheckpoint, pendingRun, type RunMeta } from './run-checkpoints';
import { RunCheckpointing } from './run-checkpointing';

/** The run going on (one at a time in the worker, whatever the network) and the classes it learns. */
interface ActiveRun {
  slot: NetworkSlot;
  loop: TrainLoop;
  classes: string[];
}

/** What every network's session shares: the kernels, the saved models, and what is running now. */
export class SessionContext {
  readonly slots: ModelSlots;
  /** Data-parallel helpers (Workers sharing memory), set by the worker script where the page allows them. */
  gradientTransport: TransportFactory | null = null;
  private run: ActiveRun | null = null;
  private search: { slot: NetworkSlot; abort: AbortController } | null = null;

  constructor(readonly kernels: SwitchableBackend) {
    this.slots = new ModelSlots(() => this.kernels.backend);
  }

  /** The kernels every network runs on now (they can change between calls). */
  get backend(): Backend {
    return this.kernels.backend;
  }

  /** Resolves once a switch of kernels in progress has finished. */
  ready(): Promise<void> {
    return this.kernels.ready();
  }

  refuseWhileTraining(what: string): void {
    if (this.search) throw new Error(`A hyperparameter search is running: stop it before you ${what}`);
    if (this.run) throw new Error(`Training is running: stop it before you ${what}`);
  }

  /** For work that starts without waiting for a switch of kernels: it is refused during one. */
  refuseWhileBusy(what: string): void {
    if (this.kernels.isSwitching) throw new Error(`The kernels are being switched: wait a moment before you ${what}`);
    this.refuseWhileTraining(what);
  }

  runOf(slot: NetworkSlot): ActiveRun | null {
    return this.run?.slot === slot ? this.run : null;
  }

  setRun(run: ActiveRun | null): void {
    this.run = run;
  }

  searchOf(slot: NetworkSlot): AbortController | null {
    return this.search?.slot === slot ? this.search.abort : null;
  }

  setSearch(slot: NetworkSlot, abort: AbortController | null): void {
    this.search = abort ? { slot, abort } : null;
  }

  /** During a run, predictions use the weights being trained, so a drawing follows the learning. */
  liveModel(slot: NetworkSlot): Model | null {
    const training = this.run?.loop.model;
    if (training && slotOfKind(training.kind) === slot) return training;
    return this.slots.get(slot)?.model ?? null;
  }
}

/** The data one run trains on, as a network kind prepares it. */
export interface RunData {
  classes: string[];
  /** The stored dataset it comes from (a resumed run reloads it), or null. */
  datasetId: string | null;
  /** Examples the run trains on (after the Training subset). */
  trainCount: number;
}

export abstract class NetworkSession<Config extends TrainConfig | RnnTrainConfig, Data extends RunData> {
  constructor(readonly slot: NetworkSlot, protected readonly context: SessionContext) {}

  /** Trains a fresh model; resolves when the run ends (completed, stopped or diverged). */
  async train(config: Config, callbacks: TrainCallbacks, options: TrainOptions = {}): Promise<TrainOutcome> {
    await this.context.ready();
    this.context.refuseWhileTraining('start another run');
    if (slotOfKind(config?.model ?? '') !== this.slot) {
      throw new Error(`This is a "${config?.model}" run; this page trains and runs ${kindsOfSlot(this.slot)}`);
    }
    return this.runToEnd(config, callbacks, options, null);
  }

  /** The run a reload or a crash interrupted (checkpointed after its last epoch), or null. */
  pendingRun(): Promise<PendingRun | null> {
    return pendingRun(this.slot);
  }

  async discardPendingRun(): Promise<void> {
    this.context.refuseWhileTraining('discard the interrupted run');
    await discardRunCheckpoint(this.slot);
  }

  /** Continues a checkpointed run with its own settings; refused (nothing lost) when it does not fit the data. */
  async resumeRun(runId: string, callbacks: TrainCallbacks): Promise<TrainOutcome> {
    await this.context.ready();
    this.context.refuseWhileTraining('continue a run');
    const saved = await loadRunCheckpoint(this.slot, runId);
    const meta = saved.meta as unknown as RunMeta;
    await this.loadDataOfRun(meta.datasetId);
    return this.runToEnd(saved.config as Config, callbacks, meta.options, saved);
  }

  /**
   * The paused run's weights become the network's saved model (what a reload restores), while the
   * run itself goes on when resumed; the current model is replaced when the run ends.
   */
  async keepPausedWeights(): Promise<number> {
    const run = this.context.runOf(this.slot);
    if (!run) throw new Error('No run of this network is going on');
    const { loop } = run;
    const epochs = loop.history.length;
    const file = {
      model: loop.model.kind, config: loop.model.configJson(), classes: [...run.classes],
      metrics: { epochs, checkpoint: 'kept while paused' }, tensors: await loop.pausedWeights(),
    };
    const error = await this.context.slots.saveFile(this.slot, file);
    if (error) throw new Error(error);
    return epochs;
  }

  pause(): void {
    this.context.runOf(this.slot)?.loop.pause();
  }

  resume(): void {
    this.context.runOf(this.slot)?.loop.resume();
  }

  /** Ends this network's run after the current step, or its hyperparameter search. */
  stop(): void {
    this.context.runOf(this.slot)?.loop.stop();
    this.context.searchOf(this.slot)?.abort();
  }

  /** Scores the current model on the test split of the loaded data; the score is saved with the model. */
  async evaluate(options: SequencePredictOptions = {}): Promise<EvalResult> {
    await this.context.ready();
    this.context.refuseWhileTraining('evaluate');
    const current = this.context.slots.require(this.slot);
    const result = await this.evaluateModel(current, options);
    current.metrics = { ...current.metrics, test_accuracy: result.report.accuracy, test_count: result.report.count };
    await this.context.slots.persist(this.slot);
    return result;
  }

  async exportModel(format: ExportFormat): Promise<Uint8Array> {
    await this.context.ready();
    const { slots } = this.context;
    return encodeWeights(await slots.weightFile(slots.require(this.slot)), format);
  }

  /** Replaces the model with the file's; a bad file throws and leaves the current model in place. */
  async importModel(bytes: Uint8Array): Promise<ModelSummary> {
    await this.context.ready();
    this.context.refuseWhileTraining('import a model');
    const file = await decodeWeights(bytes);
    await this.context.slots.adopt(file, 'imported', this.slot);
    await this.context.slots.persist(this.slot);
    return this.summary()!;
  }

  async modelSummary(): Promise<ModelSummary | null> {
    return this.summary();
  }

  summary(): ModelSummary | null {
    return this.context.slots.summary(this.slot);
  }

  /** The model predictions use: the one in training during a run, else the saved one. */
  protected liveModel(): Model | null {
    return this.context.liveModel(this.slot);
  }

  /** Refuses a Training subset that is not a whole number of at least the kind's minimum. */
  protected checkTrainLimit(limit: number | undefined, least: number, unit: string): void {
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= least)) {
      throw new Error(`The training subset must be a whole number of at least ${least} ${unit}, got ${limit}`);
    }
  }

  private async runToEnd(config: Config, callbacks: TrainCallbacks, options: TrainOptions, resumed: RunCheckpoint | null): Promise<TrainOutcome> {
    const data = this.runData(options.trainLimit);
    const { backend, slots } = this.context;
    // Checked before the model exists: a nonsense count is refused with nothing to clean up.
    const workers = usableWorkers(options.workers, this.context.gradientTransport, backend);
    const checkpoints = new RunCheckpointing(this.slot, options, data.classes, data.datasetId, resumed, callbacks);
    let loop: TrainLoop | null = null;
    loop = this.createLoop(backend, config, data, {
      onSteps: (points, progress) => {
        checkpoints.loss.add(points);
        void callbacks.onSteps(points, progress);
      },
      onEpoch: (point) => void callbacks.onEpoch(point),
      onRunState: (state) => (loop ? checkpoints.save(loop, state) : undefined),
    });
    try {
      if (resumed) loop.restoreState(resumed.loop);
      if (workers > 1) loop.useGradientSource(dataParallel(workers, this.context.gradientTransport!));
    } catch (err) {
      loop.model.dispose();
      throw err;
    }
    this.context.setRun({ slot: this.slot, loop, classes: data.classes });
    try {
      const reason = await loop.run();
      const metrics: Record<string, unknown> = { ...this.runMetrics(loop), stop_reason: reason };
      if (options.trainLimit !== undefined) metrics.train_examples = data.trainCount;
      // The run ended: only now does its model replace the saved one, and its checkpoint go.
      slots.replace(this.slot, { model: loop.model, classes: [...data.classes], metrics, origin: 'trained' });
      const saveError = await slots.persist(this.slot);
      await checkpoints.finish();
      const model = this.summary()!;
      return saveError ? { reason, model, saveError } : { reason, model };
    } catch (err) {
      loop.model.dispose();
      throw err;
    } finally {
      this.context.setRun(null);
    }
  }

  /** The loaded data a run trains on, cut to `trainLimit` examples; throws when none is loaded. */
  protected abstract runData(trainLimit: number | undefined): Data;
  /** The training loop of this kind for `config` on `data`. */
  protected abstract createLoop(backend: Backend, config: Config, data: Data, events: TrainEvents): TrainLoop;
  /** The epochs and accuracies a finished run reports. */
  protected abstract runMetrics(loop: TrainLoop): Record<string, unknown>;
  /** Loads the dataset an interrupted run trained on, when it is not the one loaded. */
  protected abstract loadDataOfRun(datasetId: string | null): Promise<void>;
  /** The test-set report of this kind, with what the page shows of the mistakes. */
  protected abstract evaluateModel(current: CurrentModel, options: SequencePredictOptions): Promise<EvalResult>;
}
