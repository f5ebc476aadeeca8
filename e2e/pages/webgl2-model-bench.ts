/**
 * Forward + backward throughput of the DESIGN A2 benchmark nets (seed CNN on 1×28×56 at batch
 * 256; 2-layer BiGRU, H=128, T=100 full length, batch 64), built from the real nn models on
 * whatever backend is passed. No optimizer step: the figure is the kernels' training work.
 * Also reports the backend's resource counters after the first and the last step, so a test
 * can check that no GPU object is created once warm.
 */
import type { Backend, Tensor } from '../../src/kernels/backend';
import { Rng } from '../../src/kernels/rng';
import { SoftmaxCrossEntropy } from '../../src/nn/loss';
import { CnnModel, RnnModel } from '../../src/nn/models';
import type { Model } from '../../src/nn/types';

export interface ModelBench {
  model: string;
  batch: number;
  steps: number;
  msPerStep: number;
  examplesPerSec: number;
  losses: number[];
  first: unknown;
  last: unknown;
}

async function timeSteps(
  b: Backend, name: string, model: Model, classes: number, batch: number, steps: number,
  input: Tensor, forward: () => Tensor, probe: () => unknown,
): Promise<ModelBench> {
  const rng = new Rng(5);
  const labels = b.tensor([batch], Array.from({ length: batch }, () => rng.int(classes)));
  const loss = new SoftmaxCrossEntropy(b, classes);
  const losses: number[] = [];
  const step = (): Tensor => {
    model.zeroGrad();
    const out = loss.forward(forward(), labels);
    model.backward(out.dlogits);
    return out.loss;
  };
  try {
    // Two untimed steps compile the shaders and fill the texture pool: the second step's
    // gradient accumulations ping-pong through textures the first step did not need yet.
    losses.push((await b.read(step()))[0]);
    await b.read(step());
    const first = probe();
    const start = performance.now();
    let last: Tensor = step();
    for (let i = 1; i < steps; i++) last = step();
    losses.push((await b.read(last))[0]);
    const msPerStep = (performance.now() - start) / steps;
    return { model: name, batch, steps, msPerStep, examplesPerSec: (batch * 1000) / msPerStep, losses, first, last: probe() };
  } finally {
    loss.dispose();
    b.dispose(labels);
    b.dispose(input);
    model.dispose();
  }
}

function uniform(n: number, seed: number, scale: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => scale * (2 * rng.next() - 1));
}

export async function benchCnn(b: Backend, steps: number, probe: () => unknown, batch = 256): Promise<ModelBench> {
  const model = new CnnModel(b, 'cnn', { padding: 1, channels: [16, 32], fc: 256 }, 1);
  const x = b.tensor([batch, 1, 28, 56], uniform(batch * 28 * 56, 2, 1));
  return timeSteps(b, 'cnn', model, 100, batch, steps, x, () => model.forward({ input: x }, true), probe);
}

export async function benchBiGru(b: Backend, steps: number, probe: () => unknown, batch = 64, T = 100): Promise<ModelBench> {
  const model = new RnnModel(b, { hidden: 128, layers: 2, max_len: T, delta_scale: 10 }, 1);
  const x = b.tensor([T * batch, 3], uniform(T * batch * 3, 3, 1));
  const lengths = b.tensor([batch], new Array<number>(batch).fill(T));
  try {
    return await timeSteps(b, 'rnn', model, 10, batch, steps, x, () => model.forward({ input: x, lengths }, true), probe);
  } finally {
    b.dispose(lengths);
  }
}
