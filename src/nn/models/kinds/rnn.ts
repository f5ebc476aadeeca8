import { STEP_FEATURES } from '../../layers/gru-input';
import { SoftmaxCrossEntropy } from '../../loss';
import type { RnnConfig } from '../../types';
import type { ModelKindSpec } from '../kind-spec';
import { SPEC_LIMITS, atMost, checkClasses } from '../limits';
import { RnnModel, resolveRnnConfig, rnnConfigFromWeights, rnnTensorShapes, type ResolvedRnnConfig } from '../rnn';

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
  loss: (backend, config, smoothing) => new SoftmaxCrossEntropy(backend, config.outputSize, smoothing),
  describe: (config, _inputs, classes) => `BiGRU ${config.layers}×${config.hidden} → ${classes}`,
};
