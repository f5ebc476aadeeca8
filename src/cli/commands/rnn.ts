/** The `rnn` (BiGRU on Quick, Draw!) side of train / eval / predict (contract A2). */
import { writeFile } from 'node:fs/promises';
import { drawingAt } from '../../data/strokes';
import type { WeightFile } from '../../io/weights';
import type { Model } from '../../nn/types';
import { scheduleText } from '../../train/schedule';
import { RNN_SETTINGS } from '../../train/settings/rnn-settings';
import { evaluateSequences, predictDrawing, type SequencePredictOptions } from '../../train/sequence-eval';
import { SequenceTrainer } from '../../train/sequence-trainer';
import type { EvalReport, RnnTrainConfig } from '../../train/types';
import { exportWeights } from '../../train/weights';
import { drawingAscii, probabilityBars } from '../ascii';
import { inspectStepsText } from '../inspect';
import { stringOption, type ParsedArgs } from '../args';
import { createCliBackend, fitsInMemory, percent, readQuickDraw } from './shared';
import { runCliTraining, type CliCheckpoint } from './checkpoint';
import { configFromFlags, recipeConfig } from './overrides';

/** "scale ±0.1, stretch ±0.15, rotate ±15°, mirror, drop points 0.1, swap strokes 0.2" (what is on), or "off". */
function augmentText(augment: RnnTrainConfig['augment']): string {
  if (!augment) return 'off';
  const { scale, stretch = 0, rotate = 0, mirror = false, dropPoints = 0, swapStrokes = 0 } = augment;
  const parts = [
    scale > 0 && `scale ±${scale}`, stretch > 0 && `stretch ±${stretch}`, rotate > 0 && `rotate ±${rotate}°`,
    mirror && 'mirror', dropPoints > 0 && `drop points ${dropPoints}`, swapStrokes > 0 && `swap strokes ${swapStrokes}`,
  ].filter((part): part is string => typeof part === 'string');
  return parts.length > 0 ? parts.join(', ') : 'off';
}

export async function trainRnn(args: ParsedArgs, dir: string, limit: number | undefined, checkpoint: CliCheckpoint): Promise<void> {
  const config = fitsInMemory(checkpoint.config(configFromFlags(RNN_SETTINGS, args, recipeConfig(RNN_SETTINGS, args))));
  const data = await readQuickDraw(dir, limit);
  const { hidden, layers, max_len } = config.net;
  console.log(`training rnn (${layers}-layer BiGRU, hidden ${hidden}, max_len ${max_len}) on ${data.train.count} drawings ` +
    `of ${data.classes.length} classes (dev ${data.dev.count}, test ${data.test.count}), ${config.epochs} epochs, ` +
    `${scheduleText(config.optimizer.lr, config.lrSchedule)}, dropout ${config.net.dropout} / head ${config.net.head_dropout}, ` +
    `augmentation ${augmentText(config.augment)}, weight averaging ${config.weightAverage || 'off'}, batch ${config.batchSize}, seed ${config.seed}`);
  const { trainer, seconds } = await runCliTraining((events) => new SequenceTrainer(createCliBackend(), config, data, events), checkpoint);
  const report = await evaluateSequences(trainer.model, data.test, 'test', { batchSize: config.batchSize });
  const averaged = await evaluateSequences(trainer.model, data.test, 'test', { mirrorAverage: true, batchSize: config.batchSize });
  const dev = trainer.bestEpoch;
  console.log(`done in ${seconds.toFixed(1)} s · dev accuracy ${dev ? percent(dev.devAccuracy) : 'n/a'} · ` +
    `test accuracy ${percent(report.accuracy)} (${report.count} drawings; ${percent(averaged.accuracy)} averaged with mirror images)`);
  console.log(`most confused: ${confusedText(report)}`);
  const out = stringOption(args, 'out');
  if (out) {
    const metrics = { test_accuracy: report.accuracy, dev_accuracy: dev?.devAccuracy, epochs: trainer.history.length, seconds };
    await writeFile(out, await exportWeights(trainer.model, data.classes, metrics, out.endsWith('.npz') ? 'npz' : 'safetensors'));
    console.log(`wrote ${out}`);
  }
  trainer.model.dispose();
}

/** The test split of the folder, checked against the classes the file was trained on. */
async function testDrawings(weights: WeightFile, dir: string) {
  const data = await readQuickDraw(dir);
  if (weights.classes.length && weights.classes.join(',') !== data.classes.join(',')) {
    throw new Error(`the file's classes (${weights.classes.join(', ')}) differ from the folder's (${data.classes.join(', ')})`);
  }
  return data.test;
}

export async function evalRnn(weights: WeightFile, model: Model, dir: string, options: SequencePredictOptions = {}): Promise<EvalReport> {
  return evaluateSequences(model, await testDrawings(weights, dir), 'test', options);
}

export function confusedText(report: EvalReport): string {
  return (report.confusedPairs ?? []).map((p) => `${report.classes[p.a]}/${report.classes[p.b]} (${p.count})`).join(', ');
}

export async function predictRnn(
  weights: WeightFile, model: Model, dir: string, index: number, options: SequencePredictOptions = {}, inspect = false,
): Promise<void> {
  const test = await testDrawings(weights, dir);
  if (index >= test.count) throw new Error(`--index ${index} is out of range: the test set has ${test.count} drawings`);
  const drawing = drawingAt(test, index);
  const probs = await predictDrawing(model, drawing, options);
  const classes = weights.classes.length ? weights.classes : test.classes;
  let best = 0;
  for (let c = 1; c < probs.length; c++) if (probs[c] > probs[best]) best = c;
  console.log(drawingAscii(drawing));
  console.log(`test example ${index}: label ${test.classes[test.labels[index]]}, predicted ${classes[best]}` +
    (options.mirrorAverage ? ' (averaged with its mirror image)' : ''));
  console.log(probabilityBars(classes, probs));
  if (inspect) console.log(await inspectStepsText(model, drawing, classes));
}
