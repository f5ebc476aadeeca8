/**
 * One page run's checkpointing: after every epoch its whole state goes to IndexedDB (run-checkpoints.ts);
 * a failed write (storage full) is told to the page and the run goes on; when the run ends, the
 * checkpoint is removed. Shared by the image and the sequence runs.
 */
import type { LoopState, RunCheckpoint } from '../src/train/run-state';
import type { TrainLoop } from '../src/train/train-loop';
import type { NetworkSlot, TrainCallbacks, TrainOptions } from './api';
import { discardRunCheckpoint, LossTrail, saveRunCheckpoint, type RunMeta } from './run-checkpoints';

export class RunCheckpointing {
  readonly loss: LossTrail;
  private readonly meta: RunMeta | null;
  private replacesPrevious: boolean;

  /** No run id in `options` (a test, a search): nothing is written. */
  constructor(
    private readonly network: NetworkSlot,
    options: TrainOptions,
    classes: string[],
    datasetId: string | null,
    resumed: RunCheckpoint | null,
    private readonly callbacks: TrainCallbacks,
  ) {
    const before = resumed ? (resumed.meta as unknown as RunMeta) : null;
    this.replacesPrevious = !resumed;
    this.loss = new LossTrail(before?.loss ?? []);
    const runId = before?.runId ?? options.runId;
    this.meta = runId
      ? { runId, network, startedAt: before?.startedAt ?? options.startedAt ?? Date.now(), datasetId, classes, options: { ...options }, loss: this.loss.points }
      : null;
  }

  async save(trainer: TrainLoop, state: LoopState): Promise<void> {
    const meta = this.meta;
    if (!meta) return;
    // A new run's first checkpoint replaces the network's interrupted run (its record stays, marked interrupted).
    if (this.replacesPrevious) await this.quietly(() => discardRunCheckpoint(this.network));
    this.replacesPrevious = false;
    try {
      await saveRunCheckpoint(meta, trainer, state);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      void this.callbacks.onSaveError?.(`Could not save the checkpoint of epoch ${state.epoch} (${why}); training goes on, but a reload now would lose the run.`);
    }
  }

  async finish(): Promise<void> {
    if (this.meta) await this.quietly(() => discardRunCheckpoint(this.network));
  }

  /** Clean-up must not fail a run: at worst a stale checkpoint is offered again. */
  private async quietly(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      console.warn('scratchnet: could not remove a run checkpoint', err);
    }
  }
}
