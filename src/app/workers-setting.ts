/**
 * The page's "Workers" setting (data-parallel training): how many workers share each batch. It is
 * one setting for every page, kept in its own small store; a run reads it when it starts.
 */
import { createStore } from 'zustand/vanilla';

/** The default never asks for more than this many workers, whatever the cores. */
export const DEFAULT_WORKER_CAP = 4;
/** The most the select offers. */
export const MAX_WORKER_CHOICE = 8;

export interface WorkersState {
  workers: number;
  /** SharedArrayBuffer works here (a cross-origin isolated page): more than one worker is possible. */
  isolated: boolean;
  /** Logical cores the browser reports. */
  cores: number;
}

interface Environment {
  crossOriginIsolated?: boolean;
  hardwareConcurrency?: number;
  sharedMemory: boolean;
}

function environment(): Environment {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return {
    crossOriginIsolated: g.crossOriginIsolated,
    hardwareConcurrency: g.navigator?.hardwareConcurrency,
    sharedMemory: typeof SharedArrayBuffer === 'function',
  };
}

/** Isolation, cores and the default count: min(cores, 4) where memory can be shared, else 1. */
export function initialWorkers(env: Environment = environment()): WorkersState {
  const isolated = env.crossOriginIsolated === true && env.sharedMemory;
  const cores = Math.max(1, Math.floor(env.hardwareConcurrency ?? 1) || 1);
  return { isolated, cores, workers: isolated ? Math.min(cores, DEFAULT_WORKER_CAP) : 1 };
}

/** The counts the select offers: 1 … max(cores, 2), at most MAX_WORKER_CHOICE; just 1 without isolation. */
export function workerChoices(s: WorkersState): number[] {
  const top = s.isolated ? Math.min(MAX_WORKER_CHOICE, Math.max(2, s.cores)) : 1;
  return Array.from({ length: top }, (_, i) => i + 1);
}

export const workersStore = createStore<WorkersState>(() => initialWorkers());

/** What a run asks the worker for: the setting where isolation allows it, else 1. */
export function workersForRun(state: WorkersState = workersStore.getState()): number {
  return state.isolated ? state.workers : 1;
}

export function setWorkers(n: number): void {
  const s = workersStore.getState();
  if (!workerChoices(s).includes(n)) return;
  workersStore.setState({ workers: n });
}
