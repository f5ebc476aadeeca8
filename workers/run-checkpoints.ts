/**
 * The page's run checkpoints in IndexedDB: each run's whole state after every epoch under its own
 * key ('run-checkpoint/<run id>', src/train/run-state bytes), and per network a small record naming
 * the run that has not ended yet. A reload or a crash finds it here and offers to continue it; a
 * run that ends removes both. Nothing here touches the network's saved model.
 */
import { runCheckpointKey } from '../src/data/runs-store';
import { deleteBlob, deleteRecords, loadBlob, loadRecord, saveBlob, saveRecord } from '../src/data/store';
import { decodeRunCheckpoint, encodeRunCheckpoint, type LoopState, type RunCheckpoint } from '../src/train/run-state';
import type { TrainLoop } from '../src/train/train-loop';
import type { RnnTrainConfig, StepPoint, TrainConfig } from '../src/train/types';
import type { NetworkSlot, PendingRun, TrainOptions } from './api';

const POINTER_KIND = 'run-checkpoint';
/** Loss points kept with a checkpoint (every other one is dropped past this). */
const MAX_LOSS_POINTS = 2000;

/** What the worker keeps beside the loop state: enough for the page to show and continue the run. */
export interface RunMeta {
  runId: string;
  network: NetworkSlot;
  startedAt: number;
  datasetId: string | null;
  classes: string[];
  options: TrainOptions;
  loss: StepPoint[];
}

interface Pointer {
  runId: string;
}

/** The loss curve of a run, thinned to a bounded size (what a checkpoint carries for the charts). */
export class LossTrail {
  readonly points: StepPoint[] = [];

  constructor(initial: readonly StepPoint[] = []) {
    this.points.push(...initial);
  }

  add(points: readonly StepPoint[]): void {
    this.points.push(...points);
    if (this.points.length > MAX_LOSS_POINTS) {
      const kept = this.points.filter((_, i) => i % 2 === 1);
      this.points.length = 0;
      this.points.push(...kept);
    }
  }
}

/** Writes one epoch's state; throws the storage error (the caller says it in `status`). */
export async function saveRunCheckpoint(meta: RunMeta, trainer: TrainLoop, loop: LoopState): Promise<void> {
  const bytes = encodeRunCheckpoint({
    model: trainer.model.kind, modelConfig: trainer.model.configJson(),
    config: trainer.config as TrainConfig | RnnTrainConfig, loop, meta: { ...meta },
  });
  await saveBlob(runCheckpointKey(meta.runId), bytes);
  await saveRecord(POINTER_KIND, meta.network, { runId: meta.runId } satisfies Pointer);
}

/** The network's unfinished run, if any; a damaged one is reported, not thrown, and kept. */
export async function pendingRun(network: NetworkSlot): Promise<PendingRun | null> {
  const pointer = await loadRecord<Pointer>(POINTER_KIND, network);
  if (!pointer) return null;
  // Its run was deleted in Runs (checkpoint with it): nothing is left to continue.
  if (!(await loadBlob(runCheckpointKey(pointer.runId)))) {
    await deleteRecords(POINTER_KIND, [network]);
    return null;
  }
  try {
    const c = await loadRunCheckpoint(network, pointer.runId);
    const meta = c.meta as unknown as RunMeta;
    return {
      runId: meta.runId, epoch: c.loop.epoch, epochs: c.config.epochs, step: c.loop.step, config: c.config, options: meta.options,
      startedAt: meta.startedAt, datasetId: meta.datasetId, loss: meta.loss, epochPoints: c.loop.history, error: null,
    };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { runId: pointer.runId, epoch: 0, epochs: 0, step: 0, config: null, options: {}, startedAt: 0, datasetId: null, loss: [], epochPoints: [], error };
  }
}

export async function loadRunCheckpoint(network: NetworkSlot, runId: string): Promise<RunCheckpoint> {
  const name = `the saved checkpoint of run ${runId}`;
  const bytes = await loadBlob(runCheckpointKey(runId));
  if (!bytes) throw new Error(`${name} is missing from browser storage`);
  const c = decodeRunCheckpoint(bytes, name);
  const meta = c.meta as Partial<RunMeta>;
  if (meta.network !== network || meta.runId !== runId) throw new Error(`${name} belongs to another run`);
  return c;
}

/** Forgets the network's unfinished run (it ended, or a new one replaces it). */
export async function discardRunCheckpoint(network: NetworkSlot): Promise<void> {
  const pointer = await loadRecord<Pointer>(POINTER_KIND, network);
  if (!pointer) return;
  await deleteBlob(runCheckpointKey(pointer.runId));
  await deleteRecords(POINTER_KIND, [network]);
}
