import type { BenchArgs } from './args';
import {
  BENCH_BATCH, DATA_PARALLEL_IMPLS, MATMUL_IMPLS, MATMUL_SIZE, type BenchImplName, type BenchJob, type TimingOptions,
} from './protocol';

/** Same seed for every implementation: identical initial data in the same run. */
export const BENCH_SEED = 1234;

/** Matmul reps are ~1–100 ms: a short window is as precise as the training one. */
export const MATMUL_TIMING: Readonly<TimingOptions> = { warmupMs: 500, warmupSteps: 2, measureMs: 2000, minSteps: 5, maxMs: 10000 };

/** Every job of a run, in order: each model × impl, then the matmul of the impls that have one. */
export function planJobs(args: BenchArgs): BenchJob[] {
  const jobs: BenchJob[] = [];
  for (const model of args.models) {
    for (const impl of args.impls) {
      for (const workers of workerCounts(args, impl)) {
        const job: BenchJob = { kind: 'train', impl, model, batch: BENCH_BATCH[model], seed: BENCH_SEED, timing: { ...args.timing[model] } };
        if (workers !== undefined) job.workers = workers;
        jobs.push(job);
      }
    }
  }
  if (args.matmul) {
    for (const impl of MATMUL_IMPLS) {
      if (args.impls.includes(impl)) jobs.push({ kind: 'matmul', impl, n: MATMUL_SIZE, timing: { ...MATMUL_TIMING } });
    }
  }
  return jobs;
}

/** With --workers, each count for the impls that train data-parallel (1 for the others); else the plain step. */
function workerCounts(args: BenchArgs, impl: BenchImplName): (number | undefined)[] {
  if (!args.workers) return [undefined];
  return DATA_PARALLEL_IMPLS.includes(impl) ? args.workers : [undefined];
}

/**
 * How long the runner waits for a job before calling it stuck: its own warm-up and cap, plus
 * room for what no timing option bounds (one slow warm-up step, shader compilation, loading).
 * The BiGRU gets more: a WebGL peer unrolls 100 steps into hundreds of programs and compiles
 * them all in its first step, which takes minutes on a software rasterizer.
 */
export function jobBudgetMs(job: BenchJob): number {
  const slackMs = job.kind === 'train' && job.model === 'rnn' ? 600000 : 150000;
  return job.timing.warmupMs + job.timing.maxMs + slackMs;
}

export function describeJob(job: BenchJob): string {
  if (job.kind !== 'train') return `matmul ${job.n}³ on ${job.impl}`;
  const workers = job.workers === undefined ? '' : `, ${job.workers} worker${job.workers === 1 ? '' : 's'}`;
  return `${job.model} on ${job.impl} (batch ${job.batch}${workers})`;
}
