/**
 * scratchnet command line (contract A2): train / eval / predict on the same kernels as the page.
 * Errors print one line and exit 1.
 */
import { parseArgs } from './args';
import { evalCommand } from './commands/eval';
import { predictCommand } from './commands/predict';
import { flagsUsage, recipeUsage } from './commands/overrides';
import { trainCommand } from './commands/train';
import { CNN_SETTINGS } from '../train/settings/cnn-settings';
import { MLP_SETTINGS } from '../train/settings/mlp-settings';
import { RNN_SETTINGS } from '../train/settings/rnn-settings';

const USAGE = `usage:
  npm run cli -- train <mlp|cnn|cnn2head|rnn> --data <dir> [--limit N] [--out FILE]
      [--checkpoint FILE (the whole run after every epoch)] [--resume FILE (continue that run)]
      each flag has the range of the page's field; 0 turns patience, averaging, clipping, smoothing and augmentations off
      mlp: ${flagsUsage(MLP_SETTINGS)}
      cnn, cnn2head: ${recipeUsage(CNN_SETTINGS)}${flagsUsage(CNN_SETTINGS)}
      rnn: ${recipeUsage(RNN_SETTINGS)}${flagsUsage(RNN_SETTINGS)}
  npm run cli -- eval FILE --data <dir> [--json]
  npm run cli -- predict FILE --data <dir> --index N
      rnn files, eval and predict: [--mirror-average on|off (average each drawing with its mirror image)]
      predict: [--inspect on|off (inside the network: the first-layer units or feature maps the input drives hardest, or the answer after each stroke)]`;

const COMMANDS: Record<string, (args: ReturnType<typeof parseArgs>) => Promise<void>> = {
  train: trainCommand,
  eval: evalCommand,
  predict: predictCommand,
};

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const name = args.positional[0];
  if (!name || args.options.has('help')) {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`error: unknown command '${name}'\n${USAGE}`);
    return 1;
  }
  try {
    await command(args);
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message.split('\n')[0]}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
