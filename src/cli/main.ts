/**
 * scratchnet command line (contract A2): train / eval / predict on the same kernels as the page.
 * Errors print one line and exit 1.
 */
import { parseArgs } from './args';
import { evalCommand } from './commands/eval';
import { predictCommand } from './commands/predict';
import { trainCommand } from './commands/train';

const USAGE = `usage:
  npm run cli -- train <mlp|cnn|cnn2head|rnn> --data <dir> [--epochs N] [--limit N] [--seed S] [--out FILE]
      [--checkpoint FILE (the whole run after every epoch)] [--resume FILE (continue that run)]
      [--lr X] [--weight-decay X] [--batch N] [--schedule cosine|constant] [--patience N (0 = no early stopping)]
      [--average DECAY (moving average of the weights, e.g. 0.999; 0 = off)] [--label-smoothing E]
      cnn, cnn2head: [--recipe seed|tuned] [--dropout P] [--augment on|off] [--remix-halves on|off] [--shift-y PIXELS] [--warp-rotate DEGREES] [--warp-scale S]
      rnn: [--hidden N] [--dropout P] [--head-dropout P] [--augment-scale S] [--augment-stretch S] [--augment-rotate DEGREES] [--augment-mirror on|off]
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
