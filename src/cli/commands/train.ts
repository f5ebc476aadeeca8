import { writeFile } from 'node:fs/promises';
import type { ImageSet } from '../../data/types';
import { limitImageSet } from '../../data/split';
import { evaluate } from '../../train/evaluate';
import { defaultMlpTrainConfig } from '../../train/presets';
import { CNN_SETTINGS } from '../../train/settings/cnn-settings';
import { MLP_SETTINGS } from '../../train/settings/mlp-settings';
import { scheduleText } from '../../train/schedule';
import { Trainer } from '../../train/trainer';
import type { CnnTrainConfig, EvalReport, TrainConfig } from '../../train/types';
import { MODEL_KINDS, isModelKind } from '../../nn/models';
import { exportWeights } from '../../train/weights';
import { trainRnn } from './rnn';
import { intOption, stringOption, type ParsedArgs } from '../args';
import { CliCheckpoint, runCliTraining } from './checkpoint';
import { configFromFlags, recipeConfig } from './overrides';
import { createCliBackend, fitsInMemory, percent, readMnist, readPairedMnist, requireDir, unsupportedModel } from './shared';

interface TrainData {
  train: ImageSet;
  test: ImageSet;
}

export async function trainCommand(args: ParsedArgs): Promise<void> {
  const kind = args.positional[1] ?? '(none)';
  if (!isModelKind(kind)) throw unsupportedModel(kind);
  const { network } = MODEL_KINDS[kind];
  const dir = await requireDir(stringOption(args, 'data'));
  const limit = intOption(args, 'limit');
  const checkpoint = await CliCheckpoint.open(args, kind, { limit: limit ?? null });
  if (network === 'rnn') return trainRnn(args, dir, limit, checkpoint);
  if (network === 'mlp') {
    const config = fitsInMemory(checkpoint.config(configFromFlags(MLP_SETTINGS, args, defaultMlpTrainConfig())));
    const { train, test } = await readMnist(dir);
    const data = { train: limit ? limitImageSet(train, limit) : train, test };
    console.log(`training mlp ${[784, ...config.net.hidden, 10].join('-')} on ${data.train.count} digits ` +
      `(${Math.round(config.trainFraction * 100)}% train / rest dev), ${config.epochs} epochs, seed ${config.seed}`);
    return trainAndReport(config, data, stringOption(args, 'out'), 'digits', checkpoint);
  }
  const recipe = recipeConfig(CNN_SETTINGS, args, { model: kind as CnnTrainConfig['model'] });
  const config = fitsInMemory(checkpoint.config(configFromFlags(CNN_SETTINGS, args, recipe)));
  const data = await readPairedMnist(dir, limit);
  const { channels, fc } = config.net;
  console.log(`training ${kind} (conv ${channels.join('-')}, fc ${fc}) on ${data.train.count} digit pairs ` +
    `(${Math.round(config.trainFraction * 100)}% train / rest dev), up to ${config.epochs} epochs ` +
    `(early stopping: ${config.earlyStopping ? `patience ${config.earlyStopping.patience}` : 'off'}), ` +
    `${scheduleText(config.optimizer.lr, config.lrSchedule)}, dropout ${config.net.dropout}, ` +
    `re-paired digits ${config.augment?.remixHalves ? 'on' : 'off'}, ` +
    `${config.augment?.plainLastEpochs ? `last ${config.augment.plainLastEpochs} epoch(s) unshifted, ` : ''}` +
    `weight averaging ${config.weightAverage ? config.weightAverage : 'off'}, ` +
    `${config.digitLoss ? `digit loss λ ${config.digitLoss}, ` : ''}batch ${config.batchSize}, seed ${config.seed}`);
  return trainAndReport(config, data, stringOption(args, 'out'), 'pairs', checkpoint);
}

async function trainAndReport(
  config: TrainConfig, data: TrainData, out: string | undefined, unit: string, checkpoint: CliCheckpoint,
): Promise<void> {
  const { trainer, seconds } = await runCliTraining((events) => new Trainer(createCliBackend(), config, data, events), checkpoint);
  if (trainer.earlyStoppedAt) console.log(`early stopping after epoch ${trainer.earlyStoppedAt}`);
  const report = evaluate(trainer.model, data.test, 'test');
  const dev = config.restoreBest || config.earlyStopping ? trainer.bestEpoch : trainer.lastEpoch;
  console.log(`done in ${seconds.toFixed(1)} s · dev accuracy ${dev ? percent(dev.devAccuracy) : 'n/a'} · ` +
    `test accuracy ${percent(report.accuracy)} (${report.count} ${unit})${digitsText(report)}`);
  if (out) {
    const metrics: Record<string, unknown> = {
      test_accuracy: report.accuracy, dev_accuracy: dev?.devAccuracy, epochs: trainer.history.length, seconds,
    };
    if (report.digitAccuracy) metrics.test_digit_accuracy = report.digitAccuracy;
    const format = out.endsWith('.npz') ? 'npz' : 'safetensors';
    await writeFile(out, await exportWeights(trainer.model, data.test.classes, metrics, format));
    console.log(`wrote ${out}`);
  }
  trainer.model.dispose();
}

export function digitsText(report: EvalReport): string {
  const d = report.digitAccuracy;
  return d ? ` · per digit: tens ${percent(d.tens)}, ones ${percent(d.ones)}` : '';
}
