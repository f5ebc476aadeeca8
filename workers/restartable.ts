/**
 * The page's handle on the trainer worker, which can be replaced: Stop must not wait for a step that
 * takes a minute, so a worker that does not stop in time is terminated and a fresh one started.
 * `api` always talks to the current worker (the controllers keep one reference to it).
 */
import * as Comlink from 'comlink';
import type { TrainerApi, TrainerRemote } from './api';

export interface RestartableTrainer {
  readonly api: TrainerRemote;
  /** Terminates the worker (its run and memory with it) and starts a fresh one; storage is untouched. */
  restart(): void;
  /** Listens to the errors of this worker and of every later one. */
  onError(listener: (e: ErrorEvent) => void): void;
}

export function restartableTrainer(create: () => Worker): RestartableTrainer {
  let worker = create();
  let remote = Comlink.wrap<TrainerApi>(worker);
  const listeners: ((e: ErrorEvent) => void)[] = [];
  // A group (`api.cnn`) is looked up on each use, so it too reaches the current worker.
  const api = new Proxy({} as TrainerRemote, {
    get: (_target, key) => (remote as unknown as Record<PropertyKey, unknown>)[key],
  });
  return {
    api,
    restart() {
      worker.terminate();
      worker = create();
      remote = Comlink.wrap<TrainerApi>(worker);
      for (const l of listeners) worker.addEventListener('error', l);
    },
    onError(listener) {
      listeners.push(listener);
      worker.addEventListener('error', listener);
    },
  };
}
