import { STEP_FEATURES } from '../../layers/gru-input';
import { SoftmaxCrossEntropy } from '../../loss';
import type { RnnConfig } from '../../types';
import { gruCacheShape, sizeOf } from '../../../kernels/backend';
import type { ActivationFootprint, ModelKindSpec } from '../kind-spec';
import { SPEC_LIMITS, atMost, checkClasses } from '../limits';
import { RnnModel, resolveRnnConfig, rnnConfigFromWeights, rnnTensorShapes, type ResolvedRnnConfig } from '../rnn';

/**
 * Per step and sequence: the shared input projection and its gradient (3H each), a zero row (H),
 * the step input, and per layer and direction the outputs (H), the kernels' GRU cache and the
 * gradient passed down (H, not the top layer), with dropout between layers. Per sequence: final
 * states, logits, loss and head dropout.
 */
function rnnFootprint(config: ResolvedRnnConfig): ActivationFootprint {
  const { hidden: H, layers, max_len: steps, outputSize: C, dropout, head_dropout: headDropout } = config;
  const cachePerStep = sizeOf(gruCacheShape(1, 1, H));
  let perStep = 3 * H + 3 * H + H + STEP_FEATURES;
  for (let k = 0; k < layers; k++) {
    perStep += 2 * (H + cachePerStep + (k + 1 < layers ? H : 0));
    if (k + 1 < layers && dropout > 0) perStep += 3 * 2 * H;
  }
  const perSequence = 2 * layers * H + 2 * H + C + 2 * C + (headDropout > 0 ? 6 * H : 0);
  // The split matmuls' column selectors and blocks (gru-columns.ts) measure up to 1.35 more copies.
  return { floatsPerExample: steps * perStep + perSequence, perStep: { floats: perStep, maxSteps: steps }, extraParameterCopies: 1.5 };
}

/** The BiGRU on Quick, Draw! strokes (docs/weights.md, `rnn`): time-major steps (dx/s, dy/s, p) plus lengths. */
export const RNN_KIND: ModelKindSpec<RnnConfig, ResolvedRnnConfig> = {
  kind: 'rnn',
  network: 'rnn',
  resolve: resolveRnnConfig,
  configFromWeights(w) {
    const config = resolveRnnConfig(rnnConfigFromWeights(w));
    atMost('rnn', 'layers', config.layers, SPEC_LIMITS.layers);
    atMost('rnn', 'hidden', config.hidden, SPEC_LIMITS.width);
    atMost('rnn', 'max_len', config.max_len, SPEC_LIMITS.maxLen);
    checkClasses('rnn', config.outputSize);
    return config;
  },
  tensorShapes: rnnTensorShapes,
  build: (backend, config, seed) => new RnnModel(backend, config, seed),
  fitToData: (config, _shape, classes) => ({ ...config, outputSize: config.outputSize ?? (classes || 10) }),
  input: (config) => ({ kind: 'sequence', features: STEP_FEATURES, maxLen: config.max_len, deltaScale: config.delta_scale }),
  classCount: (config) => config.outputSize,
  loss: (backend, config, { smoothing }) => new SoftmaxCrossEntropy(backend, config.outputSize, smoothing),
  footprint: rnnFootprint,
  memoryAdvice: 'a smaller hidden size, fewer layers, fewer max steps or a smaller batch',
  runTableCells: (config) => ({ hidden: `${config.hidden ?? ''}`, activation: '' }),
  inputWeightImages: () => null,
  describe: (config, _inputs, classes) => `BiGRU ${config.layers}×${config.hidden} → ${classes}`,
};
