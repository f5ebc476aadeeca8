/**
 * Model inspection, for the page (through the worker) and the CLI alike: the MLP's first-layer
 * weights, the CNN's filters and feature maps, the BiGRU's prediction step by step.
 */
export { cnnFeatures } from './cnn-features';
export { firstLayerWeights, imageShapeOf } from './first-layer';
export { canvasStepPredictions, stepPredictions } from './rnn-steps';
export type { CnnFeatureMaps, CnnFeatures, CnnFilterBank, FirstLayerWeights, RnnStepPredictions } from './types';
