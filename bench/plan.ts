import type { BenchArgs } from './args';
import { BENCH_BATCH, MATMUL_IMPLS, MATMUL_SIZE, type BenchJob } from './protocol';

/** Same seed for every implementation: identical initial data in the same run. */
export const BENCH_SEED = 1234;

/** Every job of a run, in order: each model × impl, then the matmul of the impls that have one. */
export function planJobs(args: BenchArgs): BenchJob[] {
  const jobs: BenchJob[] = [];
  for (const model of args.models) {
    for (const impl of args.impls) {
      jobs.push({ kind: 'train', impl, model, batch: BENCH_BATCH[model], seed: BENCH_SEED, timing: args.timing });
    }
  }
  if (args.matmul) {
    // Matmul reps are ~10–100 ms: a shorter window is as precise as the training one.
    const timing = { warmupMs: 500, measureMs: 2000, minSteps: 5, maxMs: 30000 };
    for (const impl of MATMUL_IMPLS) {
      if (args.impls.includes(impl)) jobs.push({ kind: 'matmul', impl, n: MATMUL_SIZE, timing });
    }
  }
  return jobs;
}

export function describeJob(job: BenchJob): string {
  return job.kind === 'train' ? `${job.model} on ${job.impl} (batch ${job.batch})` : `matmul ${job.n}³ on ${job.impl}`;
}
