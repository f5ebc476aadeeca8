/** Random training batches, the same for every implementation given the same seed. */

export interface HostBatch {
  /** [batch, inputSize] floats in [0, 1), like pixels/255. */
  x: Float32Array;
  /** Class indices as floats (scratchnet's label tensor). */
  labels: Float32Array;
  /** The same indices as int32 (tf.oneHot's input). */
  labelsInt: Int32Array;
}

/** A few distinct batches cycled through, so every step uploads fresh input as real training does. */
export const BATCH_POOL = 4;

function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBatches(seed: number, batch: number, inputSize: number, classes: number): HostBatch[] {
  const rand = mulberry32(seed);
  return Array.from({ length: BATCH_POOL }, () => {
    const x = new Float32Array(batch * inputSize);
    for (let i = 0; i < x.length; i++) x[i] = rand();
    const labelsInt = new Int32Array(batch);
    for (let i = 0; i < batch; i++) labelsInt[i] = Math.floor(rand() * classes);
    return { x, labels: Float32Array.from(labelsInt), labelsInt };
  });
}

/** The A2 MLP: 784-256-128-64-10, ReLU, softmax cross-entropy, Adam lr 1e-3. */
export const MLP_BENCH = { sizes: [784, 256, 128, 64, 10], lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

export function randomMatrix(seed: number, n: number): Float32Array {
  const rand = mulberry32(seed);
  const m = new Float32Array(n * n);
  for (let i = 0; i < m.length; i++) m[i] = rand() * 2 - 1;
  return m;
}

/** Adam as every benchmark net trains with it (the MLP's settings). */
export const BENCH_ADAM = { lr: MLP_BENCH.lr, beta1: MLP_BENCH.beta1, beta2: MLP_BENCH.beta2, eps: MLP_BENCH.eps } as const;

/**
 * The A2 CNN: the seed CNN on 1×28×56 (paired MNIST), Conv(3×3,16,pad1)–ReLU–MaxPool–
 * Conv(3×3,32,pad1)–ReLU–MaxPool–FC(256)–ReLU–FC(100).
 */
export const CNN_BENCH = { inputShape: [1, 28, 56], padding: 1, channels: [16, 32], fc: 256, classes: 100 } as const;

/** Values per CNN example (1·28·56). */
export const CNN_INPUT_SIZE = CNN_BENCH.inputShape[0] * CNN_BENCH.inputShape[1] * CNN_BENCH.inputShape[2];

/**
 * The A2 RNN: 2-layer bidirectional GRU, H=128, over T=100 steps of 3 features (every sequence
 * full length), then a 10-way classifier on the top layer's two final states. Host batches are
 * batch-first [B, T, 3].
 */
export const RNN_BENCH = { hidden: 128, layers: 2, steps: 100, features: 3, classes: 10 } as const;
