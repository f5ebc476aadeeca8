import type { Backend } from '../kernels/backend';
import type { ClassifierLoss } from '../nn/loss';
import { readHost } from '../nn/host';
import { classCountOf, lossFor, readStateDict } from '../nn/models';
import { GradNormClipper, createOptimizer, type Optimizer } from '../nn/optimizers';
import type { Model, StateDict } from '../nn/types';
import { BatchPrefetcher } from './batch-prefetch';
import { EarlyStopper } from './early-stopping';
import { LocalGradients, type GradientSource, type GradientSourceFactory } from './data-parallel-source';
import { EvalAccumulator, evaluateBatches, isDigitPairModel, type BatchSource } from './evaluate';
import { lossOptionsOf } from './loss-options';
import { lrAt } from './schedule';
import type { RngState } from '../kernels/rng';
import { dropoutLayersOf, type LoopState } from './run-state';
import { ParamSnapshot } from './snapshot';
import { WeightAverage } from './weight-average';
import type { EpochPoint, LoopConfig, StepPoint, StopReason, TrainEvents, TrainProgress } from './types';
import { Yielder } from './yield';

const EMIT_EVERY_MS = 100;

export type TrainerState = 'idle' | 'running' | 'paused' | 'done';

/** What one step measured; NaN loss means the step diverged. */
interface StepResult {
  loss: number;
  size: number;
  correct: number;
}

/**
 * The training loop every model shares, whatever feeds it (images or stroke sequences): seeded
 * shuffles, optimizer with an lr schedule, gradient clipping, throttled progress events, per-epoch
 * dev evaluation, pause/resume/stop, early stopping and rollback to the last good weights on a
 * NaN/Inf loss. Subclasses build the model and the batch sources.
 */
export abstract class TrainLoop {
  /** Every finished epoch's metrics. */
  readonly history: EpochPoint[] = [];
  /** The epoch after which early stopping ended the run, or null. */
  earlyStoppedAt: number | null = null;
  private readonly optimizer: Optimizer;
  private readonly loss: ClassifierLoss;
  /** Fills the model's grads for a batch: here (default) or split over workers (useGradientSource). */
  private gradients: GradientSource;
  private readonly lastGood: ParamSnapshot;
  private readonly best: ParamSnapshot | null;
  private readonly clipper: GradNormClipper | null;
  /** Set by config.weightAverage: dev evaluation, checkpoints and the result use the averaged weights. */
  private readonly average: WeightAverage | null;
  private readonly stopper: EarlyStopper | null;
  private readonly yielder = new Yielder();
  /** The next training batch, built while a data-parallel step waits on its helpers. */
  private readonly nextBatch: BatchPrefetcher;
  private status: TrainerState = 'idle';
  private stopRequested = false;
  private wake: (() => void) | null = null;
  private activeMs = 0;
  private runningSince = 0;
  /** Where run() starts: after restoreState, where the saved run was (maybe inside an epoch). */
  private firstEpoch = 1;
  private firstStep = 0;
  private firstStepInEpoch = 0;
  private resumeAugment: RngState | null = null;
  /** Where the run is, updated every step (a checkpoint taken on Pause reads it); never reallocated. */
  private readonly at = { epoch: 1, step: 0, globalStep: 0, seen: 0, correct: 0, lossSum: 0 };

  protected constructor(
    protected readonly backend: Backend,
    readonly config: LoopConfig,
    readonly model: Model,
    private readonly trainBatches: BatchSource,
    private readonly devBatches: BatchSource | null,
    private readonly events: TrainEvents,
  ) {
    if (!(config.epochs >= 1) || !Number.isInteger(config.epochs)) throw new Error(`epochs must be a positive integer, got ${config.epochs}`);
    if (config.earlyStopping && !devBatches) throw new Error('early stopping needs a dev split with examples');
    this.stopper = config.earlyStopping ? new EarlyStopper(config.earlyStopping) : null;
    this.optimizer = createOptimizer(backend, model.params, config.optimizer);
    this.loss = lossFor(model, lossOptionsOf(config));
    this.gradients = new LocalGradients(model, this.loss);
    this.lastGood = new ParamSnapshot(backend, model.params);
    this.best = config.restoreBest || config.earlyStopping ? new ParamSnapshot(backend, model.params) : null;
    this.clipper = config.clipNorm ? new GradNormClipper(backend) : null;
    this.average = config.weightAverage ? new WeightAverage(backend, model.params, config.weightAverage) : null;
    this.nextBatch = new BatchPrefetcher(trainBatches);
  }

  /**
   * Where each step's gradients come from (e.g. data-parallel workers); before run() only. The
   * loop keeps the optimizer, clipping, rollback and metrics; the source fills the model's grads.
   */
  useGradientSource(create: GradientSourceFactory): void {
    if (this.status !== 'idle') throw new Error('the gradient source can only change before the run starts');
    const next = create({ model: this.model, loss: this.loss, config: this.config });
    this.gradients.dispose();
    this.gradients = next;
  }

  /**
   * Continues a saved run (run-state.ts): weights, optimizer, averages, best epoch, early stopping,
   * dropout streams, curves and clock as they were after `state.epoch`. Before run() and before
   * useGradientSource (replicas copy the dropout streams). Throws, changing nothing, when the
   * state belongs to other data or another model.
   */
  restoreState(state: LoopState): void {
    if (this.status !== 'idle') throw new Error('a run can only be restored before it starts');
    const counts = { stepsPerEpoch: this.trainBatches.batchesPerEpoch, trainCount: this.trainCount, devCount: this.devCount };
    for (const [what, value] of Object.entries(counts)) {
      const saved = state[what as keyof typeof counts];
      if (saved !== value) throw new Error(`the saved run had ${what} ${saved}, this data gives ${value}: resume it on the same data and batch size`);
    }
    const dropouts = dropoutLayersOf(this.model);
    if (state.dropoutCalls.length !== dropouts.length) throw new Error('the saved run has another dropout layout');
    const params = this.model.params;
    if (state.weights.length !== params.length || params.some((p, i) => p.value.size !== state.weights[i].length)) {
      throw new Error('the saved weights do not fit this model');
    }
    if (!!state.average !== !!this.average) throw new Error('the saved run and this one differ in weight averaging');
    this.optimizer.loadState(state.optimizer);
    if (state.average) this.average!.loadState(state.average);
    if (state.best) this.best?.loadState(state.best);
    params.forEach((p, i) => this.backend.write(p.value, state.weights[i]));
    if (this.stopper && state.stopper) this.stopper.state = { best: state.stopper.best ?? -Infinity, waited: state.stopper.waited };
    dropouts.forEach((d, i) => (d.callCount = state.dropoutCalls[i]));
    this.history.push(...state.history);
    this.earlyStoppedAt = state.earlyStoppedAt;
    this.activeMs = state.elapsedMs;
    this.firstEpoch = state.earlyStoppedAt ? this.config.epochs + 1 : state.epoch + 1;
    this.firstStep = state.globalStep;
    this.firstStepInEpoch = state.step;
    this.resumeAugment = state.augment;
    Object.assign(this.at, state.partial);
  }

  /**
   * The whole run after `epoch` epochs and `step` more steps (trained weights in the model, not the
   * average): at an epoch's end, or on Pause.
   */
  private async saveState(epoch: number, globalStep: number, step = 0): Promise<LoopState> {
    const weights: Float32Array[] = [];
    for (const p of this.model.params) weights.push(Float32Array.from(await readHost(this.backend, p.value)));
    return {
      epoch, globalStep, step, elapsedMs: this.elapsedMs(),
      partial: { seen: this.at.seen, correct: this.at.correct, lossSum: this.at.lossSum },
      augment: step > 0 ? this.nextBatch.augmentState() : null,
      stepsPerEpoch: this.trainBatches.batchesPerEpoch, trainCount: this.trainCount, devCount: this.devCount,
      history: this.history.map((p) => ({ ...p })),
      stopper: this.stopper ? this.stopper.state : null,
      earlyStoppedAt: this.earlyStoppedAt,
      dropoutCalls: dropoutLayersOf(this.model).map((d) => d.callCount),
      optimizer: await this.optimizer.saveState(),
      average: this.average ? await this.average.saveState() : null,
      best: this.best ? await this.best.saveState() : null,
      weights,
    };
  }

  /** While paused: the weights a kept checkpoint saves (the averaged ones when the run averages). */
  async pausedWeights(): Promise<StateDict> {
    if (this.status !== 'paused') throw new Error('Pause the run before keeping its weights');
    this.average?.swapIn();
    try {
      return await readStateDict(this.model);
    } finally {
      this.average?.swapOut();
    }
  }

  get state(): TrainerState {
    return this.status;
  }

  /** The most recent epoch's metrics, or null before the first epoch ends. */
  get lastEpoch(): EpochPoint | null {
    return this.history.length ? this.history[this.history.length - 1] : null;
  }

  /**
   * The epoch with the highest dev accuracy so far (the first of equals), or null. Without a dev
   * split there is nothing to choose by: the latest epoch.
   */
  get bestEpoch(): EpochPoint | null {
    let best: EpochPoint | null = null;
    for (const p of this.history) if (!best || isBetter(p, best)) best = p;
    return best;
  }

  get trainCount(): number {
    return this.trainBatches.count;
  }

  get devCount(): number {
    return this.devBatches?.count ?? 0;
  }

  async run(): Promise<StopReason> {
    if (this.status !== 'idle') throw new Error('this trainer has already run; create a new one');
    this.status = 'running';
    this.runningSince = performance.now();
    try {
      await this.gradients.prepare?.();
      return await this.loop();
    } finally {
      this.pauseClock();
      this.status = 'done';
      this.releaseBuffers();
    }
  }

  pause(): void {
    if (this.status !== 'running') return;
    this.status = 'paused';
    this.pauseClock();
  }

  resume(): void {
    if (this.status !== 'paused') return;
    this.status = 'running';
    this.runningSince = performance.now();
    this.wake?.();
  }

  /** Ends the run after the current step; run() resolves 'stopped'. */
  stop(): void {
    this.stopRequested = true;
    this.wake?.();
  }

  private async loop(): Promise<StopReason> {
    const { epochs } = this.config;
    let globalStep = this.firstStep;
    for (let epoch = this.firstEpoch; epoch <= epochs; epoch++) {
      const r = await this.trainEpoch(epoch, globalStep, epoch === this.firstEpoch ? this.firstStepInEpoch : 0);
      globalStep = r.globalStep;
      if (r.reason) return r.reason;
      if (this.earlyStoppedAt !== null) break;
    }
    if (this.best) this.best.restore();
    else this.average?.swapIn();
    return 'completed';
  }

  /** One epoch of steps and its dev evaluation; a reason when the run ends inside it. */
  private async trainEpoch(epoch: number, globalStep: number, from: number): Promise<{ globalStep: number; reason?: StopReason }> {
    const steps = this.trainBatches.batchesPerEpoch;
    const at = this.at;
    this.nextBatch.drop();
    this.trainBatches.shuffleForEpoch(this.config.seed, epoch, this.config.epochs);
    if (from > 0 && this.resumeAugment) this.trainBatches.restoreAugmentState?.(this.resumeAugment);
    if (from === 0) at.seen = at.correct = at.lossSum = 0;
    at.epoch = epoch;
    at.globalStep = globalStep;
    let pending: StepPoint[] = [];
    let lastEmit = -Infinity;
    for (let i = from; i < steps; i++) {
      at.step = i;
      if (this.status === 'paused' && pending.length) {
        this.emitSteps(pending, globalStep, epoch, i);
        pending = [];
      }
      if (await this.mustStop()) {
        if (this.best) this.best.restore();
        else this.average?.swapIn();
        return { globalStep, reason: this.finish('stopped', pending, globalStep, epoch, i) };
      }
      this.optimizer.lr = lrAt(this.config.optimizer.lr, this.config.lrSchedule, epoch - 1 + i / steps, this.config.epochs);
      const r = await this.step(i);
      if (!Number.isFinite(r.loss)) {
        this.lastGood.restore();
        return { globalStep, reason: this.finish('diverged', pending, globalStep, epoch, i) };
      }
      globalStep++;
      at.globalStep = globalStep;
      at.seen += r.size;
      at.correct += r.correct;
      at.lossSum += r.loss * r.size;
      pending.push({ step: globalStep, epoch, loss: r.loss });
      const now = performance.now();
      if (now - lastEmit >= EMIT_EVERY_MS) {
        this.emitSteps(pending, globalStep, epoch, i + 1);
        pending = [];
        lastEmit = now;
      }
      await this.yielder.maybeYield();
    }
    if (pending.length) this.emitSteps(pending, globalStep, epoch, steps);
    await this.endEpoch(epoch, at.lossSum / at.seen, at.correct / at.seen);
    if (this.stopper?.update(this.lastEpoch!.devAccuracy)) this.earlyStoppedAt = epoch;
    if (this.events.onRunState) await this.events.onRunState(await this.saveState(epoch, globalStep));
    return { globalStep };
  }

  /** One optimizer step on batch i; returns its loss (NaN/Inf: nothing was updated). */
  private async step(i: number): Promise<StepResult> {
    const batch = this.nextBatch.take(i);
    const grads = await this.gradients.compute(batch, () => this.nextBatch.prefetch(i + 1));
    const loss = grads.loss;
    if (!Number.isFinite(loss)) return { loss, size: batch.size, correct: 0 };
    if (this.clipper) await this.clipper.clip(this.model.params, this.config.clipNorm!);
    // The weights that just gave a finite loss: what a later divergence rolls back to.
    this.lastGood.save();
    this.optimizer.step();
    this.average?.update();
    return { loss, size: batch.size, correct: await grads.correct() };
  }

  private async endEpoch(epoch: number, trainLoss: number, trainAccuracy: number): Promise<void> {
    let devLoss = NaN;
    let devAccuracy = NaN;
    let acc: EvalAccumulator | null = null;
    this.average?.swapIn();
    if (this.devBatches) {
      acc = new EvalAccumulator(classCountOf(this.model), isDigitPairModel(this.model));
      const split = this.gradients.probabilities?.bind(this.gradients);
      await evaluateBatches(this.model, this.devBatches, acc, () => this.yielder.maybeYield(), split);
      devLoss = acc.loss;
      devAccuracy = acc.accuracy;
    }
    const point: EpochPoint = {
      epoch, trainLoss, trainAccuracy, devLoss, devAccuracy,
      gap: trainAccuracy - devAccuracy,
      elapsedMs: this.elapsedMs(),
    };
    const digits = acc?.digitAccuracy;
    if (digits) point.devDigitAccuracy = digits;
    const prevBest = this.bestEpoch;
    this.history.push(point);
    const isBest = !prevBest || isBetter(point, prevBest);
    if (isBest) this.best?.save();
    this.events.onEpoch?.(point);
    if (isBest && this.events.onCheckpoint) await this.events.onCheckpoint(epoch, await readStateDict(this.model));
    this.average?.swapOut();
  }

  private emitSteps(points: StepPoint[], globalStep: number, epoch: number, step: number): void {
    if (!this.events.onSteps) return;
    const stepsPerEpoch = this.trainBatches.batchesPerEpoch;
    const totalSteps = stepsPerEpoch * this.config.epochs;
    const elapsedMs = this.elapsedMs();
    const progress: TrainProgress = {
      epoch,
      epochs: this.config.epochs,
      step,
      stepsPerEpoch,
      globalStep,
      elapsedMs,
      etaMs: globalStep ? (elapsedMs / globalStep) * (totalSteps - globalStep) : NaN,
      examplesPerSec: elapsedMs > 0 ? (globalStep * this.trainBatches.batchSize * 1000) / elapsedMs : 0,
    };
    this.events.onSteps(points, progress);
  }

  private finish(reason: StopReason, pending: StepPoint[], globalStep: number, epoch: number, step: number): StopReason {
    if (pending.length) this.emitSteps(pending, globalStep, epoch, step);
    return reason;
  }

  /** Waits out a pause; true when the run should end. */
  private async mustStop(): Promise<boolean> {
    if (this.status === 'paused' && !this.stopRequested && this.events.onRunState) {
      const { epoch, step, globalStep } = this.at;
      await this.events.onRunState(await this.saveState(epoch - 1, globalStep, step));
    }
    while (this.status === 'paused' && !this.stopRequested) {
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
    return this.stopRequested;
  }

  private elapsedMs(): number {
    return this.activeMs + (this.status === 'running' ? performance.now() - this.runningSince : 0);
  }

  private pauseClock(): void {
    if (this.status === 'running') this.activeMs += performance.now() - this.runningSince;
  }

  private releaseBuffers(): void {
    this.trainBatches.dispose();
    this.devBatches?.dispose();
    this.optimizer.dispose();
    this.loss.dispose();
    this.gradients.dispose();
    this.lastGood.dispose();
    this.best?.dispose();
    this.clipper?.dispose();
    this.average?.dispose();
  }
}

/** Whether `p` beats `best` as the epoch to keep: more dev accuracy, or no dev accuracy at all (no dev split). */
function isBetter(p: EpochPoint, best: EpochPoint): boolean {
  return Number.isNaN(p.devAccuracy) || p.devAccuracy > best.devAccuracy;
}
