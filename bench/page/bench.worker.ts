/// <reference lib="webworker" />
/** Runs one bench job (train steps or matmul repetitions) and posts back its measurement. */
import { NOT_IMPLEMENTED, type BenchJob, type JobOutcome } from '../protocol';
import { loadImpl } from './registry';
import { timeSteps } from './timing';

async function runJob(job: BenchJob): Promise<JobOutcome> {
  const impl = await loadImpl(job.impl);
  if (job.kind === 'matmul') {
    if (!impl.matmul) return { ok: false, error: NOT_IMPLEMENTED };
    const bench = await impl.matmul(job.n);
    try {
      return { ok: true, measurement: await timeSteps(() => bench.run(), job.timing), detail: impl.detail };
    } finally {
      bench.dispose();
    }
  }
  const build = impl.trainers[job.model];
  if (!build) return { ok: false, error: NOT_IMPLEMENTED };
  if (job.workers !== undefined && job.workers > 1 && !impl.dataParallel) return { ok: false, error: 'no data-parallel training on this implementation' };
  const trainer = await build(job.batch, job.seed, job.workers ?? 1);
  try {
    const measurement = await timeSteps(() => trainer.step(), job.timing, (loss) => {
      if (!Number.isFinite(loss)) throw new Error(`loss became ${loss}`);
    });
    const extra = trainer.detail?.();
    return { ok: true, measurement, detail: extra ? `${impl.detail}; ${extra}` : impl.detail };
  } finally {
    trainer.dispose();
  }
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (e: MessageEvent<BenchJob>) => {
  let outcome: JobOutcome;
  try {
    outcome = await runJob(e.data);
  } catch (err) {
    outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(outcome);
};
