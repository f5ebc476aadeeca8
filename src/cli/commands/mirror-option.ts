import { takesSequences } from '../../nn/models';
import type { Model } from '../../nn/types';
import { onOffOption, type ParsedArgs } from '../args';

/** `--mirror-average on|off` (off by default): only a model that reads drawings (the BiGRU) takes it. */
export function mirrorAverageOption(args: ParsedArgs, model: Model): boolean {
  const on = onOffOption(args, 'mirror-average', false);
  if (on && !takesSequences(model)) throw new Error(`--mirror-average is for rnn weight files (drawings), not ${model.kind}`);
  return on;
}
