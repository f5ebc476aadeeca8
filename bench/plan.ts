import type { BenchArgs } from './args';
import { BENCH_BATCH, MATMUL_IMPLS, MATMUL_SIZE, type BenchJob, type TimingOptions } from './protocol';

/** Same seed for every implementation: identical initial data in the same run. */
export const BENCH_SEED = 1234;

/** Matmul reps are ~1–100 ms: a short window is as precise as the training one. */
export const MATMUL_TIMING: Readonly<TimingOptions> = { warmupMs: 500, warmupSteps: 2, measureMs: 2000, minSteps: 5, maxMs: 10000 };

/** Every job of a run, in order: each model × impl, then the matmul of the impls that have one. */
export function planJobs(args: BenchArgs): BenchJob[] {
  const jobs: BenchJob[] = [];
  for (const model of args.models) {
    for (const impl of args.impls) {
      jobs.push({ kind: 'train', impl, model, batch: BENCH_BATCH[model], seed: BENCH_SEED, timing: { ...args.timing[model] } });
    }
  }
  if (args.matmul) {
    for (const impl of MATMUL_IMPLS) {
      if (args.impls.includes(impl)) jobs.push({ kind: 'matmul', impl, n: MATMUL_SIZE, timing: { ...MATMUL_TIMING } });
    }
  }
  return jobs;
}

/**
 * How long the runner waits for a job before calling it stuck: its own warm-up and cap, plus
 * room for what no timing option bounds (one slow warm-up step, shader compilation, loading).
 */
export function jobBudgetMs(job: BenchJob): number {
  return job.timing.warmupMs + job.timing.maxMs + 150000;
}

export function describeJob(job: BenchJob): string {
  return job.kind === 'train' ? `${job.model} on ${job.impl} (batch ${job.batch})` : `matmul ${job.n}³ on ${job.impl}`;
}
