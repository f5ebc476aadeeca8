import { writeFile } from 'node:fs/promises';
import { limitImageSet } from '../../data/split';
import { evaluate } from '../../train/evaluate';
import { defaultMlpTrainConfig } from '../../train/presets';
import { Trainer } from '../../train/trainer';
import type { EpochPoint, TrainProgress } from '../../train/types';
import { exportWeights } from '../../train/weights';
import { intOption, stringOption, type ParsedArgs } from '../args';
import { createCliBackend, percent, readMnist, requireDir, unsupportedModel } from './shared';

export async function trainCommand(args: ParsedArgs): Promise<void> {
  const kind = args.positional[1];
  if (kind !== 'mlp') throw unsupportedModel(kind ?? '(none)');
  const dir = await requireDir(stringOption(args, 'data'));
  const out = stringOption(args, 'out');
  const limit = intOption(args, 'limit');
  const defaults = defaultMlpTrainConfig();
  const config = defaultMlpTrainConfig({
    epochs: intOption(args, 'epochs', defaults.epochs),
    seed: intOption(args, 'seed', defaults.seed),
  });
  const { train, test } = await readMnist(dir);
  const trainSet = limit ? limitImageSet(train, limit) : train;
  const backend = createCliBackend();
  console.log(`training mlp ${[784, ...config.net.hidden, 10].join('-')} on ${trainSet.count} digits ` +
    `(${Math.round(config.trainFraction * 100)}% train / rest dev), ${config.epochs} epochs, seed ${config.seed}`);
  const started = performance.now();
  const trainer = new Trainer(backend, config, { train: trainSet, test }, {
    onSteps: (_points, p) => printProgress(p),
    onEpoch: (e) => printEpoch(e),
  });
  const reason = await trainer.run();
  process.stdout.write('\n');
  const seconds = (performance.now() - started) / 1000;
  if (reason === 'diverged') throw new Error('training diverged (loss became NaN/Inf): lower the learning rate');
  const report = evaluate(trainer.model, test, 'test');
  const dev = trainer.lastEpoch;
  console.log(`done in ${seconds.toFixed(1)} s · dev accuracy ${dev ? percent(dev.devAccuracy) : 'n/a'} · ` +
    `test accuracy ${percent(report.accuracy)} (${report.count} digits)`);
  if (out) {
    const metrics = { test_accuracy: report.accuracy, dev_accuracy: dev?.devAccuracy, epochs: trainer.history.length, seconds };
    const format = out.endsWith('.npz') ? 'npz' : 'safetensors';
    await writeFile(out, await exportWeights(trainer.model, config.net, test.classes, metrics, format));
    console.log(`wrote ${out}`);
  }
  trainer.model.dispose();
}

function printProgress(p: TrainProgress): void {
  if (!process.stdout.isTTY) return;
  process.stdout.write(`\repoch ${p.epoch}/${p.epochs} step ${p.step}/${p.stepsPerEpoch} · ` +
    `${Math.round(p.examplesPerSec)} ex/s · ${Math.ceil(p.etaMs / 1000)} s left   `);
}

function printEpoch(e: EpochPoint): void {
  if (process.stdout.isTTY) process.stdout.write('\r');
  console.log(`epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)} acc ${percent(e.trainAccuracy)} · ` +
    `dev loss ${e.devLoss.toFixed(4)} acc ${percent(e.devAccuracy)} · ${(e.elapsedMs / 1000).toFixed(1)} s`);
}
