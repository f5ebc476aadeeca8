import { choiceOption, fractionOption, intOption, nonNegativeOption, numberOption, type ParsedArgs } from '../args';
import type { LoopConfig } from '../../train/types';

/**
 * `--lr`, `--weight-decay`, `--schedule cosine|constant` and `--batch` over a recipe's defaults
 * (`--patience 0` turns early stopping off), `--average DECAY` (a moving average of the weights; 0 = off),
 * `--label-smoothing E`.
 */
export function loopOverrides<C extends LoopConfig>(args: ParsedArgs, defaults: C): Partial<C> {
  const out: Partial<LoopConfig> = {
    optimizer: {
      ...defaults.optimizer,
      lr: numberOption(args, 'lr', defaults.optimizer.lr)!,
      weightDecay: nonNegativeOption(args, 'weight-decay', defaults.optimizer.weightDecay),
    },
    batchSize: intOption(args, 'batch', defaults.batchSize),
  };
  const smoothing = fractionOption(args, 'label-smoothing', defaults.labelSmoothing ?? 0);
  out.labelSmoothing = smoothing > 0 ? smoothing : undefined;
  const average = fractionOption(args, 'average', defaults.weightAverage ?? 0);
  out.weightAverage = average > 0 ? average : undefined;
  const schedule = choiceOption(args, 'schedule', ['cosine', 'constant'] as const);
  if (schedule === 'constant') out.lrSchedule = { kind: 'constant' };
  if (schedule === 'cosine') out.lrSchedule = { kind: 'cosine', minFactor: 0.01 };
  const patience = intOption(args, 'patience');
  if (patience === 0) out.earlyStopping = undefined;
  else if (patience !== undefined && defaults.earlyStopping) out.earlyStopping = { ...defaults.earlyStopping, patience };
  if (patience !== undefined && patience > 0 && !defaults.earlyStopping) out.earlyStopping = { patience, minDelta: 1e-3 };
  return out as Partial<C>;
}
