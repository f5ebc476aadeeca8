import { onOffOption, type ParsedArgs } from '../args';

/** `--mirror-average on|off` (off by default): only the BiGRU reads drawings, so only an rnn file takes it. */
export function mirrorAverageOption(args: ParsedArgs, model: string): boolean {
  const on = onOffOption(args, 'mirror-average', false);
  if (on && model !== 'rnn') throw new Error(`--mirror-average is for rnn weight files (drawings), not ${model}`);
  return on;
}
