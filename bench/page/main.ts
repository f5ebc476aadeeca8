/**
 * The bench page: the Node runner calls `window.scratchnetBench.run(job)` through Playwright.
 * Every job runs in a fresh module worker (as training does in the app), which is terminated
 * afterwards so one implementation's memory and threads never slow the next.
 */
import type { BenchJob, JobOutcome } from '../protocol';

export interface BrowserInfo {
  userAgent: string;
  hardwareConcurrency: number;
  crossOriginIsolated: boolean;
}

export interface BenchPageApi {
  run(job: BenchJob): Promise<JobOutcome>;
  info(): BrowserInfo;
}

declare global {
  interface Window {
    scratchnetBench?: BenchPageApi;
  }
}

function runInWorker(job: BenchJob): Promise<JobOutcome> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: `${job.impl}-${job.kind}` });
  return new Promise<JobOutcome>((resolve) => {
    const finish = (outcome: JobOutcome) => {
      worker.terminate();
      resolve(outcome);
    };
    worker.onmessage = (e: MessageEvent<JobOutcome>) => finish(e.data);
    worker.onerror = (e: ErrorEvent) => finish({ ok: false, error: `worker failed: ${e.message || 'could not load the worker script'}` });
    worker.onmessageerror = () => finish({ ok: false, error: 'worker sent a message that could not be read' });
    worker.postMessage(job);
  });
}

window.scratchnetBench = {
  run: runInWorker,
  info: () => ({
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: self.crossOriginIsolated,
  }),
};
document.getElementById('status')!.textContent = 'ready';
