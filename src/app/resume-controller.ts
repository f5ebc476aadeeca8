/**
 * The page's side of resumable runs: which interrupted run a page can continue (read from the
 * worker at boot), what the status line says about it, and the Stop watchdog that replaces a
 * worker which does not stop in time.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PendingRun } from '../../workers/api';
import type { NetworkRemote } from './network-controller';
import { setStatus, type AppStore } from './page-state';

/** The calls on a network's interrupted run (its worker group's). */
type RunCheckpointsRemote = Pick<NetworkRemote, 'pendingRun' | 'discardPendingRun' | 'keepPausedWeights'>;

export interface ResumeState {
  /** The network's run that a reload or a crash interrupted (null: none, or it was continued). */
  pending: PendingRun | null;
  /** A Stop the worker did not acknowledge in time: the worker is being replaced. */
  restarting: boolean;
}

export type ResumeStore = StoreApi<ResumeState>;

export function createResumeStore(): ResumeStore {
  return createStore<ResumeState>()(() => ({ pending: null, restarting: false }));
}

/** How long Stop waits for the worker to take the message before it replaces the worker. */
export const STOP_GRACE_MS = 1500;

/** The status line's offer for an interrupted run, or why it cannot be continued. */
export function pendingRunText(p: PendingRun): string {
  if (p.error) return `A run was interrupted but cannot be continued: ${p.error}. Discard it or train anew.`;
  const where = p.step > 0 ? `in epoch ${p.epoch + 1} of ${p.epochs} (after step ${p.step})` : `after epoch ${p.epoch} of ${p.epochs}`;
  return `A run was interrupted ${where}: press Continue run to resume it from there.`;
}

/** Looks for the network's interrupted run: offered with its curves so far, or why it cannot be continued. */
export async function offerPendingRun(
  network: RunCheckpointsRemote, store: AppStore, resumable: ResumeStore, announce = true,
): Promise<void> {
  let pending: PendingRun | null = null;
  try {
    pending = await network.pendingRun();
  } catch (err) {
    console.warn('scratchnet: could not look for an interrupted run', err);
  }
  resumable.setState({ pending });
  if (!pending || !announce) return;
  if (!pending.error) store.setState({ lossPoints: pending.loss, epochPoints: pending.epochPoints });
  setStatus(store, pendingRunText(pending), pending.error ? 'error' : 'info');
}

export async function discardPendingRun(network: RunCheckpointsRemote, store: AppStore, resumable: ResumeStore): Promise<void> {
  try {
    await network.discardPendingRun();
    resumable.setState({ pending: null });
    setStatus(store, 'Discarded the interrupted run.', 'info');
  } catch (err) {
    setStatus(store, err instanceof Error ? err.message : String(err), 'error');
  }
}

/** While paused: the run's weights become the saved model (what a reload restores); the run goes on when resumed. */
export async function keepPausedWeights(network: RunCheckpointsRemote, store: AppStore): Promise<void> {
  if (store.getState().phase !== 'paused') return;
  try {
    const epochs = await network.keepPausedWeights();
    setStatus(store, `Kept the weights after ${epochs} epoch${epochs === 1 ? '' : 's'} as your saved model. Resume to go on training.`, 'success');
  } catch (err) {
    setStatus(store, `Could not keep the weights: ${err instanceof Error ? err.message : String(err)}`, 'error');
  }
}

/**
 * Runs `onTimeout` unless cancelled within `graceMs`: a step can take a minute, and Stop must not
 * wait for it.
 */
export class StopWatchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly graceMs = STOP_GRACE_MS) {}

  arm(onTimeout: () => void): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      onTimeout();
    }, this.graceMs);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
