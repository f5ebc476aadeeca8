/**
 * Model inspection, for the page (through the worker) and the CLI alike: the MLP's first-layer
 * weights, the CNN's filters and feature maps, the BiGRU's prediction step by step.
 */
export { cnnFeatures, strongestChannels } from './cnn-features';
export { firstLayerWeights, imageShapeOf, strongestUnits, type UnitResponse } from './first-layer';
export { canvasStepPredictions, stepPredictions } from './rnn-steps';
export { settledStep, topAtStep } from './step-readings';
export type { CnnFeatureMaps, CnnFeatures, CnnFilterBank, FirstLayerWeights, RnnStepPredictions } from './types';
