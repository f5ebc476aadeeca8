/**
 * How a session turns the page's "Workers" setting into a run: data-parallel over that many
 * workers where it can (shared memory, kernels that read synchronously), else one thread.
 */
import type { Backend } from '../src/kernels/backend';
import { MAX_WORKERS, dataParallel, type TransportFactory } from '../src/train/data-parallel';
import type { TrainLoop } from '../src/train/train-loop';

/** Checks the requested count (a clear message for nonsense) and says how many the run can use. */
export function usableWorkers(requested: number | undefined, transport: TransportFactory | null, backend: Backend): number {
  if (requested === undefined) return 1;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_WORKERS) {
    throw new Error(`Workers must be a whole number from 1 to ${MAX_WORKERS}, got ${requested}`);
  }
  if (!transport || !backend.readSync) return 1;
  return requested;
}

/** Makes `loop` data-parallel when more than one worker is usable; returns the count it will run with. */
export function applyWorkers(loop: TrainLoop, requested: number | undefined, transport: TransportFactory | null): number {
  const workers = usableWorkers(requested, transport, loop.model.backend);
  if (workers > 1) loop.useGradientSource(dataParallel(workers, transport!));
  return workers;
}
