/**
 * The Worker + SharedArrayBuffer transport of data-parallel training (src/train/data-parallel):
 * N−1 grad.worker.ts helpers, one shared weights array the leader publishes each step, and per
 * helper a shared slot for its batch slice and its gradient. Needs a cross-origin isolated page
 * (COOP/COEP headers); `canShareMemory()` says whether this one is.
 */
import type { DataParallelPlan, GradientTransport, HelperPort, SliceWork, TransportFactory } from '../src/train/data-parallel';
import type { SliceJob, SliceOutcome } from '../src/train/data-parallel-slice';
import {
  CMD_EVAL, CMD_QUIT, CMD_STEP, COMMAND, GENERATION, OUTCOME_WORDS, controlWords, doneIndex, jobIndex,
  type GradHelperInit, type GradHelperReply, type HelperBuffers,
} from './grad-protocol';

/** A helper that has not answered a step for this long is taken as lost (the run fails with a message). */
const STEP_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 60_000;
/** How long the leader blocks for a step's answer before it waits without blocking (a step takes a few ms). */
const BLOCKING_WAIT_MS = 200;

/** True where SharedArrayBuffer can be shared with workers (a cross-origin isolated page or worker). */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/** The TransportFactory that runs helpers in Workers. */
export const workerTransport: TransportFactory = (plan) => GradPool.start(plan);

const f32 = (n: number): SharedArrayBuffer => new SharedArrayBuffer(4 * Math.max(1, n));

class GradPool implements GradientTransport {
  readonly weights: Float32Array;
  readonly ports: HelperPort[];
  private readonly control: Int32Array;
  private readonly outcomes: Float64Array[];
  private readonly errors: (string | null)[];
  private generation = 0;

  private constructor(
    private readonly workers: Worker[],
    control: SharedArrayBuffer,
    weights: SharedArrayBuffer,
    buffers: HelperBuffers[],
  ) {
    this.control = new Int32Array(control);
    this.weights = new Float32Array(weights);
    this.ports = buffers.map((b) => ({
      data: {
        x: new Float32Array(b.x),
        labels: new Float32Array(b.labels),
        lengths: b.lengths ? new Float32Array(b.lengths) : null,
      },
      grads: new Float32Array(b.grads),
    }));
    this.outcomes = buffers.map((b) => new Float64Array(b.outcome));
    this.errors = workers.map(() => null);
    workers.forEach((w, h) => {
      w.onerror = (e) => (this.errors[h] = e.message || 'the gradient worker crashed');
    });
  }

  static async start(plan: DataParallelPlan): Promise<GradPool> {
    if (!canShareMemory()) {
      throw new Error('multi-worker training needs a cross-origin isolated page (COOP/COEP headers): use 1 worker here');
    }
    const control = new SharedArrayBuffer(4 * controlWords(plan.helpers));
    const weights = f32(plan.paramValues);
    const buffers: HelperBuffers[] = Array.from({ length: plan.helpers }, () => ({
      x: f32(plan.sliceFloats),
      labels: f32(plan.sliceRows),
      lengths: plan.replica.sequences ? f32(plan.sliceRows) : null,
      grads: f32(plan.paramValues),
      outcome: new SharedArrayBuffer(8 * OUTCOME_WORDS),
    }));
    const workers: Worker[] = [];
    try {
      for (let h = 0; h < plan.helpers; h++) {
        workers.push(new Worker(new URL('./grad.worker.ts', import.meta.url), { type: 'module', name: `scratchnet-grad-${h + 1}` }));
      }
      await Promise.all(workers.map((w, h) => ready(w, {
        helper: h, helpers: plan.helpers, replica: plan.replica, control, weights, buffers: buffers[h],
      })));
    } catch (err) {
      for (const w of workers) w.terminate();
      throw err;
    }
    return new GradPool(workers, control, weights, buffers);
  }

  start(jobs: readonly SliceJob[], work: SliceWork = 'gradients'): void {
    const { control } = this;
    jobs.forEach((job, h) => {
      const at = jobIndex(this.workers.length, h);
      control[at] = job.offset;
      control[at + 1] = job.rows;
      control[at + 2] = job.total;
      control[at + 3] = job.steps;
    });
    Atomics.store(control, COMMAND, work === 'probabilities' ? CMD_EVAL : CMD_STEP);
    this.generation = Atomics.add(control, GENERATION, 1) + 1;
    Atomics.notify(control, GENERATION);
  }

  async finish(): Promise<SliceOutcome[]> {
    const results: SliceOutcome[] = [];
    for (let h = 0; h < this.workers.length; h++) {
      await this.awaitDone(h);
      const o = this.outcomes[h];
      if (o[2] !== 0) throw new Error(`gradient worker ${h + 1} failed on this step (details in the browser console)`);
      results.push({ loss: o[0], correct: o[1] });
    }
    return results;
  }

  dispose(): void {
    Atomics.store(this.control, COMMAND, CMD_QUIT);
    Atomics.add(this.control, GENERATION, 1);
    Atomics.notify(this.control, GENERATION);
    // Workers exit on QUIT; terminate() also frees one that is stuck.
    for (const w of this.workers) w.terminate();
  }

  /**
   * Blocks for the first BLOCKING_WAIT_MS where this thread may (a worker): a helper's answer then
   * wakes it directly, without a task through the event loop on every step. Past that it waits
   * without blocking, so the helpers' error messages still arrive.
   */
  private async awaitDone(h: number): Promise<void> {
    const index = doneIndex(h);
    const start = performance.now();
    const deadline = start + STEP_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(this.control, index);
      if (done === this.generation) return;
      if (this.errors[h]) throw new Error(`gradient worker ${h + 1} stopped: ${this.errors[h]}`);
      const now = performance.now();
      if (now >= deadline) throw new Error(`gradient worker ${h + 1} did not answer within ${STEP_TIMEOUT_MS / 1000} s`);
      if (canBlock() && now - start < BLOCKING_WAIT_MS) Atomics.wait(this.control, index, done, BLOCKING_WAIT_MS);
      else await waitChange(this.control, index, done, Math.min(deadline - now, 1000));
    }
  }
}

/** Whether Atomics.wait may block this thread: in a worker, not on a page's main thread. */
function canBlock(): boolean {
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function';
}

/** Atomics.waitAsync where the browser has it; else a blocking wait (allowed in workers). */
async function waitChange(control: Int32Array, index: number, value: number, timeoutMs: number): Promise<void> {
  const waitAsync = (Atomics as { waitAsync?: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: unknown } }).waitAsync;
  if (waitAsync) {
    const r = waitAsync(control, index, value, timeoutMs);
    if (r.async) await r.value;
    return;
  }
  Atomics.wait(control, index, value, timeoutMs);
}

function ready(worker: Worker, init: GradHelperInit): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a gradient worker did not start in time')), READY_TIMEOUT_MS);
    worker.onmessage = (e: MessageEvent<GradHelperReply>) => {
      clearTimeout(timer);
      worker.onmessage = null;
      if (e.data.ready) resolve();
      else reject(new Error(`a gradient worker could not start: ${e.data.error}`));
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      reject(new Error(`a gradient worker could not start: ${e.message || 'it failed to load'}`));
    };
    worker.postMessage(init);
  });
}
