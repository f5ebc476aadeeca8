/**
 * Scores a CNN recipe on digits that no training pair holds, for choosing a recipe without the test set.
 * The page's dev split is a tenth of the 60k train PAIRS, and every MNIST train digit sits in ~2 pairs,
 * so most dev digits were also seen in training: that dev rewards remembering a digit over recognizing a
 * new one (augmentation looks worse on it than it is). Here the 60k MNIST train digits are split BY
 * IMAGE: 54k pairs from 54k digits to train on (the page's train split has as many), 6k pairs from the
 * other 6k digits to score after every epoch. Same kernels and trainer as `npm run cli -- train`.
 *   node --experimental-wasm-relaxed-simd --import tsx bench/held-out-digits.ts [--model cnn|cnn2head]
 *     [--seeds 1,2,3] [--epochs N] [--config JSON]
 * (the flag gives Node 20 the page's fused multiply-add kernels; plain `npx tsx` runs the SIMD128 ones).
 * `--config` is merged into the default (fast) recipe, `augment` field by field, e.g.
 * `--config '{"augment":{"warp":null}}'` (the default without its warp). Prints each epoch's held-out accuracy.
 * Needs ../shared/data/mnist (or SCRATCHNET_DATA naming a folder laid out like ../shared).
 */
import { parseArgs } from 'node:util';
import { readMnistDir } from '../src/data/node-mnist';
import { makePairs } from '../src/data/pairs';
import { subsetImageSet } from '../src/data/split';
import type { ImageSet } from '../src/data/types';
import { Rng } from '../src/kernels/rng';
import { createCliBackend } from '../src/cli/commands/shared';
import { evaluate } from '../src/train/evaluate';
import { defaultCnnTrainConfig } from '../src/train/presets';
import { Trainer } from '../src/train/trainer';
import type { CnnTrainConfig } from '../src/train/types';
import { MNIST_DIR } from '../src/train/testing/shared-data';

const HELD_DIGITS = 6000;
const TRAIN_PAIRS = 54000;

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'cnn' },
    seeds: { type: 'string', default: '1' },
    epochs: { type: 'string' },
    config: { type: 'string', default: '{}' },
  },
});

/** The train digits split by image (seeded): pairs of the first part to train on, of the second to score. */
function heldOutPairs(train: ImageSet, seed: number): { fit: ImageSet; held: ImageSet } {
  const order = new Rng(1000 + seed).shuffle(Int32Array.from({ length: train.count }, (_, i) => i));
  const fitDigits = subsetImageSet(train, order.subarray(HELD_DIGITS));
  const heldDigits = subsetImageSet(train, order.subarray(0, HELD_DIGITS));
  return { fit: makePairs(fitDigits, TRAIN_PAIRS, 2000 + seed), held: makePairs(heldDigits, HELD_DIGITS, 3000 + seed) };
}

function configFor(seed: number): CnnTrainConfig {
  const extra = JSON.parse(args.config!) as Partial<CnnTrainConfig>;
  const base = defaultCnnTrainConfig({ model: args.model as CnnTrainConfig['model'] });
  const epochs = args.epochs ? Number(args.epochs) : base.epochs;
  const augment = base.augment && { ...base.augment, ...extra.augment };
  // `"warp": null` in --config measures the recipe without its warp.
  if (augment && !augment.warp) delete augment.warp;
  // No dev split: every training pair trains, the held-out pairs score.
  return { ...base, ...extra, augment, epochs, seed, trainFraction: 1 };
}

async function main(): Promise<void> {
  const { train } = await readMnistDir(MNIST_DIR);
  for (const seed of args.seeds!.split(',').map(Number)) {
    const { fit, held } = heldOutPairs(train, seed);
    const config = configFor(seed);
    const started = Date.now();
    const trainer: Trainer = new Trainer(createCliBackend(), config, { train: fit, test: held }, {
      onEpoch: ({ epoch }) => {
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        console.log(`seed ${seed} epoch ${epoch}: held-out ${(evaluate(trainer.model, held, 'dev').accuracy * 100).toFixed(2)}% (${seconds} s)`);
      },
    });
    await trainer.run();
    console.log(`seed ${seed}: ${args.model} ${args.config} after ${config.epochs} epochs: held-out ` +
      `${(evaluate(trainer.model, held, 'dev').accuracy * 100).toFixed(2)}%`);
    trainer.model.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
