/**
 * Class probabilities for raw pixels on any backend: the trainer's predictProbs is synchronous
 * (CPU read-back), and a GPU backend can only read tensors back asynchronously.
 */
import type { ImageSet } from '../src/data/types';
import { readHost } from '../src/nn/host';
import { classCountOf, lossFor, modelInputSize } from '../src/nn/models';
import type { Model } from '../src/nn/types';
import { Batcher } from '../src/train/batches';

/** Softmax probabilities [count, C] for count × inputSize bytes (MNIST convention), normalized as in training. */
export async function predictProbsAsync(model: Model, pixels: Uint8Array, count = 1): Promise<Float32Array> {
  const inputSize = modelInputSize(model);
  if (inputSize === undefined) throw new Error(`prediction from pixels does not apply to ${model.kind} models`);
  if (pixels.length < count * inputSize) throw new Error(`expected ${count * inputSize} pixels for ${count} inputs, got ${pixels.length}`);
  const C = classCountOf(model);
  const set: ImageSet = { inputShape: [inputSize], classes: [], count, pixels, labels: new Uint8Array(count) };
  const batcher = new Batcher(model.backend, set, null, Math.min(count, 256), model.norm);
  const loss = lossFor(model);
  const out = new Float32Array(count * C);
  try {
    for (let i = 0; i < batcher.batchesPerEpoch; i++) {
      const b = batcher.batch(i);
      const probs = await readHost(model.backend, loss.forward(model.forward(b, false), b.labels).probs);
      out.set(probs.subarray(0, b.size * C), i * batcher.batchSize * C);
    }
  } finally {
    loss.dispose();
    batcher.dispose();
  }
  return out;
}
