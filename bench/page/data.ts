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
