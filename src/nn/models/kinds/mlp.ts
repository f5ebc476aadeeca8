import { SoftmaxCrossEntropy } from '../../loss';
import type { MlpConfig } from '../../types';
import type { ActivationFootprint, ModelKindSpec } from '../kind-spec';
import { SPEC_LIMITS, atMost, checkClasses } from '../limits';
import { MlpModel, mlpConfigFromWeights, mlpTensorShapes, resolveMlpConfig, type ResolvedMlpConfig } from '../mlp';

/** Per dense layer [out, in]: y, the fused activation's gradient, dx (not the first); dropout: mask, y, dx; loss: probs, dlogits. */
function mlpFootprint(config: ResolvedMlpConfig): ActivationFootprint {
  const weights = mlpTensorShapes(config).filter((t) => t.shape.length === 2);
  let floats = config.inputSize + 2 * config.outputSize;
  weights.forEach(({ shape: [outSize, inSize] }, i) => {
    floats += 2 * outSize + (i > 0 ? inSize : 0);
    if (i + 1 < weights.length && config.dropout > 0) floats += 3 * outSize;
  });
  return { floatsPerExample: floats };
}

/** The MLP on MNIST (docs/weights.md, `mlp`): fc1 → act → … → fcL on [B, inputSize] pixels. */
export const MLP_KIND: ModelKindSpec<MlpConfig, ResolvedMlpConfig> = {
  kind: 'mlp',
  network: 'mlp',
  resolve: resolveMlpConfig,
  configFromWeights(w) {
    const hidden = w.config?.hidden;
    if (Array.isArray(hidden)) atMost('mlp', 'the number of hidden layers', hidden.length, SPEC_LIMITS.layers);
    const config = resolveMlpConfig(mlpConfigFromWeights(w));
    config.hidden.forEach((h, i) => atMost('mlp', `hidden[${i}]`, h, SPEC_LIMITS.width));
    atMost('mlp', 'the input size', config.inputSize, SPEC_LIMITS.width);
    checkClasses('mlp', config.outputSize);
    return config;
  },
  tensorShapes: mlpTensorShapes,
  build: (backend, config, seed) => new MlpModel(backend, config, seed),
  fitToData: (config, shape, classes) => ({
    ...config,
    inputSize: config.inputSize ?? shape.reduce((a, b) => a * b, 1),
    outputSize: config.outputSize ?? (classes || 10),
  }),
  input: (config) => ({ kind: 'image', shape: [config.inputSize] }),
  classCount: (config) => config.outputSize,
  loss: (backend, config, { smoothing }) => new SoftmaxCrossEntropy(backend, config.outputSize, smoothing),
  footprint: mlpFootprint,
  memoryAdvice: 'fewer or smaller hidden layers or a smaller batch',
  runTableCells: (config) => ({ hidden: config.hidden.join('-') || '—', activation: config.activation }),
  // A linear classifier's rows are per class, not per hidden unit: nothing inside to show.
  inputWeightImages: (config) => (config.hidden.length > 0 ? 'fc1.weight' : null),
  describe: (config, inputs, classes) => `${[inputs, ...config.hidden, classes].join('-')} · ${config.activation}`,
};
