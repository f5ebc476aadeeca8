/**
 * How a session turns the page's "Workers" setting into a run: data-parallel over that many
 * workers where it can (shared memory, kernels that read synchronously), else one thread.
 */
import type { Backend } from '../src/kernels/backend';
import { MAX_WORKERS, type TransportFactory } from '../src/train/data-parallel';

/** Checks the requested count (a clear message for nonsense) and says how many the run can use. */
export function usableWorkers(requested: number | undefined, transport: TransportFactory | null, backend: Backend): number {
  if (requested === undefined) return 1;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_WORKERS) {
    throw new Error(`Workers must be a whole number from 1 to ${MAX_WORKERS}, got ${requested}`);
  }
  if (!transport || !backend.readSync) return 1;
  return requested;
}
