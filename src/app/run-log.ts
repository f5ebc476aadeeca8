/**
 * The hook between a page's controller and the run history: the controller reports each ended
 * run; the Runs controller (runs-controller.ts) turns it into a stored RunRecord.
 */
import type { StopReason } from '../train/types';
import type { RunPlan } from './controller';
import type { AppState } from './store';

export interface FinishedRun {
  network: 'mlp' | 'cnn' | 'rnn';
  plan: RunPlan;
  reason: StopReason;
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
