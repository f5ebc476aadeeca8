/**
 * Trains the seed CNN (or cnn2head) on paired MNIST with the CPU backend and prints per-epoch
 * metrics, examples/s, dev/test accuracy (whole number and per digit) and wall time.
 *   npx tsx bench/measure-cnn.ts [--model cnn|cnn2head] [--epochs 20] [--limit 60000]
 *     [--lr 1e-3] [--wd 1e-4] [--schedule constant|cosine] [--seed 1] [--steps N (throughput only)]
 */
import { parseArgs } from 'node:util';
import { makePairedMnist } from '../src/data/pairs';
import { CpuBackend } from '../src/kernels/cpu';
import { evaluate } from '../src/train/evaluate';
import { defaultCnnTrainConfig } from '../src/train/presets';
import { readMnistSplit } from '../src/train/testing/shared-data';
import { Trainer } from '../src/train/trainer';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'cnn' },
    epochs: { type: 'string', default: '20' },
    limit: { type: 'string', default: '60000' },
    lr: { type: 'string', default: '1e-3' },
    wd: { type: 'string', default: '1e-4' },
    schedule: { type: 'string', default: 'constant' },
    seed: { type: 'string', default: '1' },
    steps: { type: 'string', default: '0' },
  },
});

const pct = (x: number | undefined): string => `${((x ?? NaN) * 100).toFixed(2)}%`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const pairs = makePairedMnist(readMnistSplit('train'), readMnistSplit('test'), { trainCount: Number(args.limit) });
  const config = defaultCnnTrainConfig({
    model: args.model as 'cnn' | 'cnn2head',
    epochs: Number(args.epochs),
    seed: Number(args.seed),
    optimizer: { kind: 'adam', lr: Number(args.lr), weightDecay: Number(args.wd) },
    lrSchedule: args.schedule === 'cosine' ? { kind: 'cosine', minFactor: 0.01 } : { kind: 'constant' },
  });
  console.log(JSON.stringify(config));
  const maxSteps = Number(args.steps);
  const trainer: Trainer = new Trainer(new CpuBackend({ precision: 'f32' }), config, pairs, {
    onSteps: (_p, prog) => {
      if (maxSteps && prog.globalStep >= maxSteps) {
        console.log(`${prog.globalStep} steps: ${prog.examplesPerSec.toFixed(1)} examples/s at batch ${config.batchSize}`);
        trainer.stop();
      }
    },
    onEpoch: (p) =>
      console.log(`epoch ${p.epoch}: train loss ${p.trainLoss.toFixed(4)} acc ${pct(p.trainAccuracy)} | dev loss ` +
        `${p.devLoss.toFixed(4)} acc ${pct(p.devAccuracy)} digits ${pct(p.devDigitAccuracy?.tens)}/${pct(p.devDigitAccuracy?.ones)}` +
        ` | ${(p.elapsedMs / 1000).toFixed(1)} s`),
  });
  const reason = await trainer.run();
  if (maxSteps) return;
  const report = evaluate(trainer.model, pairs.test, 'test');
  console.log(`stop: ${reason}${trainer.earlyStoppedAt ? ` (early at epoch ${trainer.earlyStoppedAt})` : ''}; ` +
    `best dev epoch ${trainer.bestEpoch?.epoch} (${pct(trainer.bestEpoch?.devAccuracy)})`);
  console.log(`TEST accuracy ${pct(report.accuracy)} on ${report.count} pairs (loss ${report.loss.toFixed(4)}); ` +
    `digits tens ${pct(report.digitAccuracy?.tens)} ones ${pct(report.digitAccuracy?.ones)}; ` +
    `hardest ${report.hardest.map((c) => report.classes[c]).join(',')}`);
  console.log(`wall time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
