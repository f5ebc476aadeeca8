/**
 * Data parallelism: each batch is cut into N contiguous slices; the leader (the training loop's
 * thread, which keeps the master weights and the optimizer) computes slice 0 and N−1 helpers
 * compute the others on replicas, through a GradientTransport (Workers + SharedArrayBuffer in
 * the page, in-process for tests). Gradients are summed in helper order, so a fixed N gives
 * bit-identical runs, and they equal one worker's up to float rounding.
 */
import type { Tensor } from '../kernels/backend';
import { readHostSync } from '../nn/host';
import type { Model } from '../nn/types';
import type { Batch } from './batches';
import { lossFor } from '../nn/models';
import type { ClassifierLoss } from '../nn/loss';
import { lossOptionsOf } from './loss-options';
import type { GradientContext, GradientSource, GradientSourceFactory, StepGradients } from './data-parallel-source';
import {
  SliceComputer, copySliceInput, flatParamSize, replicaSpecOf, sliceBounds, sliceCapacity, sliceFloats,
  type ReplicaSpec, type SliceData, type SliceJob, type SliceOutcome,
} from './data-parallel-slice';

/** Most workers a run may use (the leader included). */
export const MAX_WORKERS = 16;

/** What a transport is built for: sizes of its shared buffers and the replica each helper builds. */
export interface DataParallelPlan {
  helpers: number;
  replica: ReplicaSpec;
  /** Values of the flat weights / gradients arrays. */
  paramValues: number;
  /** Most rows and input floats one slice carries. */
  sliceRows: number;
  sliceFloats: number;
}

/** One helper's buffers as the leader sees them: the leader fills `data`, the helper fills `grads`. */
export interface HelperPort {
  data: SliceData;
  grads: Float32Array;
}

/** What helpers compute on their slices: a step's gradients, or an evaluation's class probabilities. */
export type SliceWork = 'gradients' | 'probabilities';

/** Moves weights, slices and gradients between the leader and its helpers. */
export interface GradientTransport {
  /** The weights the leader publishes before start (params in model order). */
  readonly weights: Float32Array;
  readonly ports: readonly HelperPort[];
  /**
   * Helper h computes jobs[h] from weights and ports[h].data (already filled): gradients into
   * ports[h].grads, or (work 'probabilities') its rows' class probabilities there.
   */
  start(jobs: readonly SliceJob[], work?: SliceWork): void;
  /** Every helper's outcome, in helper order, once all have written their gradients. */
  finish(): Promise<SliceOutcome[]>;
  dispose(): void;
}

export type TransportFactory = (plan: DataParallelPlan) => Promise<GradientTransport>;

/** Where the leader's time went, summed over steps (ms): to see what limits the scaling. */
export interface DataParallelStats {
  steps: number;
  /** Reading the batch, publishing weights and slices. */
  publishMs: number;
  /** Computing slice 0 (and building the next batch meanwhile). */
  leaderMs: number;
  /** Waiting for the helpers after slice 0. */
  waitMs: number;
  /** Adding the helpers' gradients. */
  reduceMs: number;
}

/** The GradientSourceFactory for TrainLoop.useGradientSource: `workers` in total, leader included. */
export function dataParallel(workers: number, connect: TransportFactory): GradientSourceFactory {
  return (ctx) => new DataParallelGradients(ctx, workers, connect);
}

export class DataParallelGradients implements GradientSource {
  private transport: GradientTransport | null = null;
  private readonly leader: SliceComputer;
  private readonly model: Model;
  private readonly plan: DataParallelPlan;
  private readonly leaderData: SliceData;
  /** Per param: where a helper's gradient is written before it is added to the master grad. */
  private readonly incoming: Tensor[];
  /** Plain softmax probabilities of an evaluation (as evaluateBatches reads them), built on first use. */
  private evalLoss: ClassifierLoss | null = null;
  private evalOut: Float32Array | null = null;
  readonly stats: DataParallelStats = { steps: 0, publishMs: 0, leaderMs: 0, waitMs: 0, reduceMs: 0 };
  /** When the last round's helpers were started and when the leader finished its own part. */
  private readonly marks = { started: 0, leaderDone: 0 };

  constructor(ctx: GradientContext, readonly workers: number, private readonly connect: TransportFactory) {
    if (!Number.isInteger(workers) || workers < 2 || workers > MAX_WORKERS) {
      throw new Error(`data-parallel training needs 2 to ${MAX_WORKERS} workers, got ${workers}`);
    }
    this.model = ctx.model;
    this.leader = new SliceComputer(ctx.model, ctx.loss);
    const rows = Math.ceil(ctx.config.batchSize / workers);
    this.plan = {
      helpers: workers - 1,
      replica: replicaSpecOf(ctx.model, ctx.config.seed, lossOptionsOf(ctx.config)),
      paramValues: flatParamSize(ctx.model),
      sliceRows: rows,
      sliceFloats: sliceCapacity(ctx.model, rows),
    };
    this.leaderData = {
      x: new Float32Array(this.plan.sliceFloats),
      labels: new Float32Array(rows),
      lengths: this.plan.replica.sequences ? new Float32Array(rows) : null,
    };
    this.incoming = ctx.model.params.map((p) => ctx.model.backend.tensor(p.value.shape));
  }

  async prepare(): Promise<void> {
    this.transport ??= await this.connect(this.plan);
  }

  async compute(batch: Batch, whileWaiting?: () => void): Promise<StepGradients> {
    const transport = this.connected();
    const t0 = performance.now();
    const jobs = this.jobsFor(batch);
    this.leader.exportFlat('value', transport.weights);
    const { own, outcomes } = await this.round(batch, jobs, 'gradients', () => {
      const outcome = this.leader.compute(jobs[0], this.leaderData);
      whileWaiting?.();
      return outcome;
    });
    const t3 = performance.now();
    let loss = 0, correct = 0;
    [own, ...outcomes].forEach((o, k) => {
      loss += (o.loss * jobs[k].rows) / batch.size;
      correct += o.correct;
    });
    if (Number.isFinite(loss)) this.addHelperGradients(jobs.slice(1));
    const s = this.stats, m = this.marks;
    s.steps++;
    s.publishMs += m.started - t0;
    s.leaderMs += m.leaderDone - m.started;
    s.waitMs += t3 - m.leaderDone;
    s.reduceMs += performance.now() - t3;
    return { loss, correct: () => correct };
  }

  /**
   * A batch's class probabilities [size, classes] (inference mode) with the rows shared out over
   * the workers: the per-epoch dev evaluation no longer runs on the leader alone. The current
   * weights (the averaged ones while they are swapped in) are published first.
   */
  async probabilities(batch: Batch): Promise<Float32Array> {
    const transport = this.connected();
    const loss = (this.evalLoss ??= lossFor(this.model));
    const C = loss.classes;
    const rowsPerRound = Math.min(this.plan.sliceRows, Math.floor(this.plan.paramValues / C));
    if (rowsPerRound < 1) throw new Error(`a worker's slot cannot hold one row of ${C} probabilities`);
    if (!this.evalOut || this.evalOut.length < batch.size * C) this.evalOut = new Float32Array(batch.size * C);
    const out = this.evalOut;
    const steps = batch.lengths ? batch.input.size / (batch.size * 3) : 0;
    this.leader.exportFlat('value', transport.weights);
    for (const jobs of evalRounds(batch.size, this.workers, rowsPerRound, steps)) {
      await this.round(batch, jobs, 'probabilities', () =>
        this.leader.probabilities(jobs[0], this.leaderData, loss, out.subarray(jobs[0].offset * C)));
      jobs.slice(1).forEach((job, h) => out.set(transport.ports[h].grads.subarray(0, job.rows * C), job.offset * C));
    }
    return out.subarray(0, batch.size * C);
  }

  dispose(): void {
    this.evalLoss?.dispose();
    this.evalLoss = null;
    this.transport?.dispose();
    this.transport = null;
    for (const t of this.incoming) this.model.backend.dispose(t);
    this.incoming.length = 0;
    this.leader.dispose();
  }

  private connected(): GradientTransport {
    if (!this.transport) throw new Error('data-parallel gradients: prepare() must run before the first step or evaluation');
    return this.transport;
  }

  /**
   * One round on every worker: the jobs' rows of the batch are copied to the slots, the helpers
   * start, the leader runs its own part, then the helpers are collected — always, even when the
   * leader's part failed, so the next round starts from a clean state.
   */
  private async round<T>(batch: Batch, jobs: readonly SliceJob[], work: SliceWork, leaderPart: () => T): Promise<{ own: T; outcomes: SliceOutcome[] }> {
    const transport = this.connected();
    // Read per round: the leader's forward may grow WebAssembly memory, which detaches older views.
    const x = readHostSync(this.model.backend, batch.input);
    const lengths = batch.lengths ? readHostSync(this.model.backend, batch.lengths) : null;
    jobs.slice(1).forEach((job, h) => fillSlice(x, lengths, batch.hostLabels, job, transport.ports[h].data));
    transport.start(jobs.slice(1), work);
    fillSlice(x, lengths, batch.hostLabels, jobs[0], this.leaderData);
    this.marks.started = performance.now();
    let own: T | undefined, failed = false, failure: unknown;
    try {
      own = leaderPart();
    } catch (err) {
      failed = true;
      failure = err;
    }
    this.marks.leaderDone = performance.now();
    const outcomes = await transport.finish();
    if (failed) throw failure;
    return { own: own as T, outcomes };
  }

  private jobsFor(batch: Batch): SliceJob[] {
    const steps = batch.lengths ? batch.input.size / (batch.size * 3) : 0;
    const jobs = sliceBounds(batch.size, this.workers);
    for (const job of jobs) job.steps = steps;
    if (jobs[0].rows > this.plan.sliceRows || sliceFloats(jobs[0], batch.input.size) > this.plan.sliceFloats) {
      throw new Error(`a batch of ${batch.size} does not fit the data-parallel buffers (planned for ${this.plan.sliceRows} rows per worker)`);
    }
    return jobs;
  }

  /** Master grad += each helper's, in helper order: the same sum every run. */
  private addHelperGradients(jobs: SliceJob[]): void {
    const { backend, params } = this.model;
    this.transport!.ports.forEach((port, h) => {
      if (jobs[h].rows === 0) return;
      let at = 0;
      params.forEach((p, i) => {
        backend.write(this.incoming[i], port.grads.subarray(at, at + p.value.size));
        backend.axpy(1, this.incoming[i], p.grad);
        at += p.value.size;
      });
    });
  }
}

/**
 * The jobs of an evaluation, round by round: each round's rows split over the workers (the
 * leader's first), at most `rowsPerJob` per worker, so a batch larger than the slots still fits.
 */
function evalRounds(total: number, workers: number, rowsPerJob: number, steps: number): SliceJob[][] {
  const rounds: SliceJob[][] = [];
  for (let start = 0; start < total; start += workers * rowsPerJob) {
    const rows = Math.min(total - start, workers * rowsPerJob);
    rounds.push(sliceBounds(rows, workers).map((j) => ({ offset: start + j.offset, rows: j.rows, total, steps })));
  }
  return rounds;
}

function fillSlice(
  x: ArrayLike<number>, lengths: ArrayLike<number> | null, labels: Uint8Array, job: SliceJob, out: SliceData,
): void {
  copySliceInput(x, job, out.x);
  for (let r = 0; r < job.rows; r++) out.labels[r] = labels[job.offset + r];
  if (lengths && out.lengths) for (let r = 0; r < job.rows; r++) out.lengths[r] = lengths[job.offset + r];
}
