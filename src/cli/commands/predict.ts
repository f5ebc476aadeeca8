import { predictProbs } from '../../train/evaluate';
import { asciiArt, probabilityBars } from '../ascii';
import { intOption, stringOption, type ParsedArgs } from '../args';
import { createCliBackend, loadModelFile, readMnist, requireDir, unsupportedModel } from './shared';

export async function predictCommand(args: ParsedArgs): Promise<void> {
  const file = args.positional[1];
  if (!file) throw new Error('usage: predict FILE --data <dir> --index N');
  const backend = createCliBackend();
  const { file: weights, model } = await loadModelFile(backend, file);
  if (weights.model !== 'mlp') throw unsupportedModel(weights.model);
  const dir = await requireDir(stringOption(args, 'data'));
  const index = intOption(args, 'index', 0) ?? 0;
  const { test } = await readMnist(dir);
  if (index >= test.count) throw new Error(`--index ${index} is out of range: the test set has ${test.count} examples`);
  const [h, w] = test.inputShape;
  const pixels = test.pixels.subarray(index * h * w, (index + 1) * h * w);
  const probs = predictProbs(model, pixels, 1);
  const classes = weights.classes.length ? weights.classes : test.classes;
  let top = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[top]) top = i;
  console.log(asciiArt(pixels, w, h));
  console.log(`test example ${index}: label ${test.classes[test.labels[index]]}, predicted ${classes[top]}`);
  console.log(probabilityBars(classes, probs));
  model.dispose();
}
