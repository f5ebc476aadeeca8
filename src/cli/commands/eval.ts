import { evaluate } from '../../train/evaluate';
import { stringOption, type ParsedArgs } from '../args';
import { createCliBackend, loadModelFile, percent, readMnist, requireDir, unsupportedModel } from './shared';

export async function evalCommand(args: ParsedArgs): Promise<void> {
  const file = args.positional[1];
  if (!file) throw new Error('usage: eval FILE --data <dir> [--json]');
  const backend = createCliBackend();
  const { file: weights, model } = await loadModelFile(backend, file);
  if (weights.model !== 'mlp') throw unsupportedModel(weights.model);
  const dir = await requireDir(stringOption(args, 'data'));
  const { test } = await readMnist(dir);
  const report = evaluate(model, test, 'test');
  const classes = weights.classes.length ? weights.classes : report.classes;
  if (args.options.get('json')) {
    const perClass = Object.fromEntries(classes.map((c, i) => [c, report.perClassAccuracy[i]]));
    console.log(JSON.stringify({
      model: weights.model, count: report.count, test_accuracy: report.accuracy, test_loss: report.loss,
      per_class: perClass, hardest: report.hardest.slice(0, 5).map((i) => classes[i]),
    }));
  } else {
    console.log(`test accuracy ${percent(report.accuracy)} on ${report.count} examples (loss ${report.loss.toFixed(4)})`);
    console.log('per class:');
    for (let i = 0; i < classes.length; i++) console.log(`  ${classes[i]}: ${percent(report.perClassAccuracy[i])}`);
    console.log('hardest classes: ' + report.hardest.slice(0, 5)
      .map((i) => `${classes[i]} (${percent(report.perClassAccuracy[i])})`).join(', '));
  }
  model.dispose();
}
