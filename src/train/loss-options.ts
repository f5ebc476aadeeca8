import type { LossOptions } from '../nn/loss';
import type { CnnTrainConfig, LoopConfig } from './types';

/**
 * The loss settings of a run, read the same way by the loop and by every data-parallel replica:
 * label smoothing, and the digit loss of a paired-digit CNN's config (other configs have none).
 */
export function lossOptionsOf(config: LoopConfig & Pick<CnnTrainConfig, 'digitLoss'>): LossOptions {
  return { smoothing: config.labelSmoothing ?? 0, digitLoss: config.digitLoss ?? 0 };
}
