/**
 * The hook between a page's controller and the run history: the controller reports each ended
 * run; the Runs controller (runs-controller.ts) turns it into a stored RunRecord.
 */
import type { StopReason } from '../train/types';
import type { NetworkSlot } from '../../workers/api';
import type { RunPlan } from './network-controller';
import type { AppState } from './page-state';

export interface FinishedRun {
  /** The run's id when it is recorded as it goes (see RunsController.record); absent = a new id. */
  id?: string;
  network: NetworkSlot;
  plan: RunPlan;
  /** 'interrupted': still running (a record written during the run, kept as is if the page dies). */
  reason: StopReason | 'interrupted';
  startedAt: number;
  /** When training ended (before the test-set evaluation). */
  endedAt: number;
  /** The page's state after the run (curves, model, test evaluation when there was one). */
  state: AppState;
  /** The trained network's weights as safetensors bytes (for "keep weights"). */
  exportWeights(): Promise<Uint8Array>;
}

export interface RunLog {
  record(run: FinishedRun): Promise<void>;
}
