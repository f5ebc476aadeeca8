/** What model inspection hands the page and the CLI: plain arrays, no tensors. */

/** The MLP's first-layer weights (fc1.weight rows) for drawing each hidden unit as an image. */
export interface FirstLayerWeights {
  /** Hidden units of the layer, and inputs per unit. */
  units: number;
  inputs: number;
  /** Units included (the first ones, capped): `weights` holds shown × inputs values, row-major. */
  shown: number;
  /** [h, w] of an input image: [28, 28] for MNIST, [16, 16] for the lines toy. */
  imageShape: number[];
  weights: Float32Array;
}

/** One conv layer's filters: a kernel×kernel tile per output channel (deeper convs: the mean over input channels). */
export interface CnnFilterBank {
  name: string;
  outChannels: number;
  inChannels: number;
  kernel: number;
  /** outChannels × kernel × kernel values, row-major. */
  weights: Float32Array;
}

/** One conv block's output (after conv → pool → ReLU) for one input. */
export interface CnnFeatureMaps {
  name: string;
  channels: number;
  height: number;
  width: number;
  /** channels × height × width values (≥ 0), row-major. */
  values: Float32Array;
}

/** Inside the current CNN: its filters, and the feature maps of the drawing when one was given. */
export interface CnnFeatures {
  /** [channels, height, width] of the input. */
  inputShape: number[];
  filters: CnnFilterBank[];
  /** Per conv block, in order; null when no input was given. */
  maps: CnnFeatureMaps[] | null;
}

/** What the BiGRU would say if the drawing stopped after each step (one forward pass over all prefixes). */
export interface RnnStepPredictions {
  /** Steps T the network reads (after simplification, cut at max_len). */
  steps: number;
  /** Classes C per step. */
  classCount: number;
  /** T × C: row t−1 = the probabilities after the first t steps. */
  probs: Float32Array;
  /** The stroke-3 rows (dx/s, dy/s, p), 3·T values (as StrokePrediction.sequence). */
  sequence: Float32Array;
  deltaScale: number;
  /** Steps (1-based) on which a stroke ends (p = 1). */
  strokeEnds: number[];
}
