import { predictProbs } from '../../train/evaluate';
import { asciiArt, probabilityBars } from '../ascii';
import { takesSequences } from '../../nn/models';
import { intOption, onOffOption, stringOption, type ParsedArgs } from '../args';
import { inspectImageText } from '../inspect';
import { mirrorAverageOption } from './mirror-option';
import { predictRnn } from './rnn';
import { createCliBackend, loadModelFile, readTestSet, requireDir } from './shared';

/** More classes than this: print only the most probable ones. */
const ALL_CLASSES_UP_TO = 10;
const TOP = 5;

export async function predictCommand(args: ParsedArgs): Promise<void> {
  const file = args.positional[1];
  if (!file) throw new Error('usage: predict FILE --data <dir> --index N [--mirror-average on|off] [--inspect on|off]');
  const backend = createCliBackend();
  const { file: weights, model } = await loadModelFile(backend, file);
  try {
    const dir = await requireDir(stringOption(args, 'data'));
    const index = intOption(args, 'index', 0) ?? 0;
    const inspect = onOffOption(args, 'inspect', false);
    const mirrorAverage = mirrorAverageOption(args, model);
    if (takesSequences(model)) return await predictRnn(weights, model, dir, index, { mirrorAverage }, inspect);
    const test = await readTestSet(weights.model, dir);
    if (index >= test.count) throw new Error(`--index ${index} is out of range: the test set has ${test.count} examples`);
    const [h, w] = test.inputShape;
    const pixels = test.pixels.subarray(index * h * w, (index + 1) * h * w);
    const probs = predictProbs(model, pixels, 1);
    const classes = weights.classes.length ? weights.classes : test.classes;
    const order = Array.from(probs, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
    console.log(asciiArt(pixels, w, h));
    console.log(`test example ${index}: label ${test.classes[test.labels[index]]}, predicted ${classes[order[0]]}`);
    if (classes.length <= ALL_CLASSES_UP_TO) {
      console.log(probabilityBars(classes, probs));
    } else {
      const top = order.slice(0, TOP);
      console.log(`top ${TOP} of ${classes.length} classes:`);
      console.log(probabilityBars(top.map((i) => classes[i]), top.map((i) => probs[i])));
    }
    if (inspect) console.log(await inspectImageText(model, pixels));
  } finally {
    model.dispose();
  }
}
