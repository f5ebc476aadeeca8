import { evaluate } from '../../train/evaluate';
import { takesSequences } from '../../nn/models';
import { stringOption, type ParsedArgs } from '../args';
import { mirrorAverageOption } from './mirror-option';
import { createCliBackend, loadModelFile, percent, readTestSet, requireDir } from './shared';
import { confusedText, evalRnn } from './rnn';
import { digitsText } from './train';

const PER_CLASS = '__per_class__';

/**
 * {"class": accuracy, …} in class order, written by hand: a JS object would put integer-like keys
 * ("10".."99") before "00".."09".
 */
function perClassJson(classes: readonly string[], accuracy: readonly number[]): string {
  return `{${classes.map((c, i) => `${JSON.stringify(c)}:${JSON.stringify(accuracy[i])}`).join(',')}}`;
}

export async function evalCommand(args: ParsedArgs): Promise<void> {
  const file = args.positional[1];
  if (!file) throw new Error('usage: eval FILE --data <dir> [--json] [--mirror-average on|off]');
  const backend = createCliBackend();
  const { file: weights, model } = await loadModelFile(backend, file);
  try {
    const dir = await requireDir(stringOption(args, 'data'));
    const mirrorAverage = mirrorAverageOption(args, model);
    const report = takesSequences(model)
      ? await evalRnn(weights, model, dir, { mirrorAverage })
      : evaluate(model, await readTestSet(weights.model, dir), 'test');
    const classes = weights.classes.length ? weights.classes : report.classes;
    if (args.options.get('json')) {
      const json: Record<string, unknown> = {
        model: weights.model, count: report.count, test_accuracy: report.accuracy, test_loss: report.loss,
        ...(mirrorAverage ? { mirror_average: true } : {}), per_class: PER_CLASS, hardest: report.hardest.slice(0, 5).map((i) => classes[i]),
      };
      if (report.digitAccuracy) json.digit_accuracy = report.digitAccuracy;
      if (report.confusedPairs) json.most_confused = report.confusedPairs.map((p) => ({ a: classes[p.a], b: classes[p.b], count: p.count }));
      console.log(JSON.stringify(json).replace(JSON.stringify(PER_CLASS), perClassJson(classes, report.perClassAccuracy)));
      return;
    }
    console.log(`test accuracy ${percent(report.accuracy)} on ${report.count} examples (loss ${report.loss.toFixed(4)})` +
      (mirrorAverage ? ', each averaged with its mirror image' : '') +
      digitsText(report));
    console.log('per class:');
    for (let i = 0; i < classes.length; i++) console.log(`  ${classes[i]}: ${percent(report.perClassAccuracy[i])}`);
    console.log('hardest classes: ' + report.hardest.slice(0, 5)
      .map((i) => `${classes[i]} (${percent(report.perClassAccuracy[i])})`).join(', '));
    if (report.confusedPairs) console.log(`most confused: ${confusedText(report)}`);
  } finally {
    model.dispose();
  }
}
