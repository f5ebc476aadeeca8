/**
 * scratchnet on one of its backends (cpu, wasm, webgl2): the models from src/nn and the same
 * kernels the app trains with. The step is the app's inner training step without the data
 * pipeline: write batch → zeroGrad → forward → loss → backward → Adam → read the loss (awaited on
 * a backend without readSync, as the app's trainer does on WebGL2).
 */
import type { Backend, Tensor } from '../../../src/kernels/backend';
import { CpuBackend } from '../../../src/kernels/cpu/index';
import { WasmBackend } from '../../../src/kernels/wasm/index';
import { WebGl2Backend } from '../../../src/kernels/webgl2/index';
import { SequencePacker } from '../../../src/nn/layers/gru-input';
import { buildModel, lossFor, type RnnModel } from '../../../src/nn/models/index';
import { createOptimizer } from '../../../src/nn/optimizers';
import type { Model } from '../../../src/nn/types';
import { DataParallelGradients, type DataParallelStats } from '../../../src/train/data-parallel';
import { workerTransport } from '../../../workers/grad-pool';
import {
  BENCH_ADAM, CNN_BENCH, CNN_INPUT_SIZE, MLP_BENCH, RNN_BENCH, randomBatches, randomMatrix, type HostBatch,
} from '../data';
import type { BenchImpl, MatmulBench, TrainBench, TrainerBuilder } from '../registry';

export type ScratchnetBackendName = 'cpu' | 'wasm' | 'webgl2';

type BackendFactory = () => Promise<Backend>;

const FACTORIES: Record<ScratchnetBackendName, BackendFactory> = {
  cpu: async () => new CpuBackend({ precision: 'f32' }),
  wasm: async () => new WasmBackend(),
  webgl2: () => WebGl2Backend.create(),
};

/** Writes one host batch into the model's input and returns the logits of a training forward. */
type Feed = (b: HostBatch) => Tensor;

/** A host batch written into the model's input tensors (lengths: sequence nets), without a forward. */
type Load = (b: HostBatch) => { input: Tensor; lengths?: Tensor };

interface Net {
  model: Model;
  feed: Feed;
  load: Load;
  /** Frees what the feed owns (the model is freed by the trainer). */
  dispose(): void;
}

/** The loss as a number: synchronously where the backend can, else after the GPU read-back. */
function lossReader(backend: Backend): (t: Tensor) => number | Promise<number> {
  const readSync = backend.readSync?.bind(backend);
  if (readSync) return (t) => readSync(t)[0];
  return (t) => backend.read(t).then((a) => a[0]);
}

function releaseBackend(backend: Backend): void {
  (backend as Partial<{ destroy(): void }>).destroy?.();
}

/**
 * The step split over `workers` (src/train/data-parallel with Worker helpers sharing memory): the
 * leader publishes the weights, computes its slice while the helpers compute theirs, sums the
 * gradients, then runs Adam. The loss is read synchronously (these backends can).
 */
async function dataParallelTrainer(backend: Backend, net: Net, batches: HostBatch[], workers: number, seed: number): Promise<TrainBench> {
  const { model } = net;
  const size = batches[0].labels.length;
  const labels = backend.tensor([size]);
  const hostLabels = batches.map((b) => Uint8Array.from(b.labelsInt));
  const loss = lossFor(model);
  const optimizerConfig = { kind: 'adam' as const, ...BENCH_ADAM, weightDecay: 0 };
  const optimizer = createOptimizer(backend, model.params, optimizerConfig);
  const config = { optimizer: optimizerConfig, batchSize: size, epochs: 1, seed };
  const source = new DataParallelGradients({ model, loss, config }, workers, workerTransport);
  await source.prepare();
  let t = 0;
  return {
    async step() {
      const i = t++ % batches.length;
      backend.write(labels, batches[i].labels);
      const { input, lengths } = net.load(batches[i]);
      const grads = await source.compute({ input, lengths, labels, hostLabels: hostLabels[i], size });
      optimizer.step();
      return grads.loss;
    },
    detail: () => describeStats(source.stats),
    dispose() {
      source.dispose();
      optimizer.dispose();
      loss.dispose();
      backend.dispose(labels);
      net.dispose();
      model.dispose();
      releaseBackend(backend);
    },
  };
}

/** The plain step on one thread, or data-parallel when workers > 1. */
function trainerFor(backend: Backend, net: Net, batches: HostBatch[], workers: number, seed: number): Promise<TrainBench> {
  return workers > 1 ? dataParallelTrainer(backend, net, batches, workers, seed) : Promise.resolve(trainer(backend, net, batches));
}

function trainer(backend: Backend, net: Net, batches: HostBatch[]): TrainBench {
  const { model } = net;
  const labels = backend.tensor([batches[0].labels.length]);
  const loss = lossFor(model);
  const optimizer = createOptimizer(backend, model.params, { kind: 'adam', ...BENCH_ADAM, weightDecay: 0 });
  const readLoss = lossReader(backend);
  let t = 0;
  return {
    step() {
      const b = batches[t++ % batches.length];
      backend.write(labels, b.labels);
      model.zeroGrad();
      const out = loss.forward(net.feed(b), labels);
      model.backward(out.dlogits);
      optimizer.step();
      return readLoss(out.loss);
    },
    dispose() {
      optimizer.dispose();
      loss.dispose();
      backend.dispose(labels);
      net.dispose();
      model.dispose();
      releaseBackend(backend);
    },
  };
}

/** A model fed [B, ...inputShape] images (MLP, CNN). */
function imageNet(backend: Backend, model: Model, inputShape: readonly number[], batch: number): Net {
  const x = backend.tensor([batch, ...inputShape]);
  return {
    model,
    feed(b) {
      backend.write(x, b.x);
      return model.forward({ input: x }, true);
    },
    load(b) {
      backend.write(x, b.x);
      return { input: x };
    },
    dispose: () => backend.dispose(x),
  };
}

function rnnNet(backend: Backend, model: RnnModel, batch: number): Net {
  const packer = new SequencePacker(backend, RNN_BENCH.features);
  const lengths = new Float32Array(batch).fill(RNN_BENCH.steps);
  return {
    model,
    feed: (b) => model.forward(packer.packBatchFirst(b.x, lengths, batch, RNN_BENCH.steps), true),
    load(b) {
      return packer.packBatchFirst(b.x, lengths, batch, RNN_BENCH.steps);
    },
    dispose: () => packer.dispose(),
  };
}

function mlpBuilder(factory: BackendFactory): TrainerBuilder {
  return async (batch, seed, workers = 1) => {
    const backend = await factory();
    const [inputSize, ...rest] = MLP_BENCH.sizes;
    const classes = rest[rest.length - 1];
    const model = buildModel(backend, 'mlp', { hidden: rest.slice(0, -1), activation: 'relu', inputSize, outputSize: classes }, seed);
    return trainerFor(backend, imageNet(backend, model, [inputSize], batch), randomBatches(seed, batch, inputSize, classes), workers, seed);
  };
}

function cnnBuilder(factory: BackendFactory): TrainerBuilder {
  return async (batch, seed, workers = 1) => {
    const backend = await factory();
    const { inputShape, padding, channels, fc, classes } = CNN_BENCH;
    const model = buildModel(backend, 'cnn', {
      padding, channels: [...channels], fc, inputShape: [...inputShape], outputSize: classes,
    }, seed);
    return trainerFor(backend, imageNet(backend, model, inputShape, batch), randomBatches(seed, batch, CNN_INPUT_SIZE, classes), workers, seed);
  };
}

function rnnBuilder(factory: BackendFactory): TrainerBuilder {
  return async (batch, seed, workers = 1) => {
    const backend = await factory();
    const { hidden, layers, steps, features, classes } = RNN_BENCH;
    const model = buildModel(backend, 'rnn', {
      hidden, layers, max_len: steps, delta_scale: 1, outputSize: classes,
    }, seed) as RnnModel;
    return trainerFor(backend, rnnNet(backend, model, batch), randomBatches(seed, batch, steps * features, classes), workers, seed);
  };
}

function matmulBuilder(factory: BackendFactory): (n: number) => Promise<MatmulBench> {
  return async (n) => {
    const backend = await factory();
    const a = backend.tensor([n, n], randomMatrix(1, n));
    const b = backend.tensor([n, n], randomMatrix(2, n));
    const out = backend.tensor([n, n]);
    // A GPU matmul is only done once its result is back (as tfjs-webgl's dataSync).
    const sync = backend.readSync ? undefined : () => backend.read(out).then(() => undefined);
    return {
      run() {
        backend.matmul(a, b, out);
        return sync?.();
      },
      dispose() {
        [a, b, out].forEach((t) => backend.dispose(t));
        releaseBackend(backend);
      },
    };
  };
}

async function describe(name: ScratchnetBackendName): Promise<string> {
  if (name === 'cpu') return 'CpuBackend f32 (plain JS)';
  if (name === 'wasm') {
    const fma = new WasmBackend().usesFma;
    return `WasmBackend SIMD${fma ? ' + relaxed FMA' : ''}, 1 thread (every training op in wasm SIMD, tensors in wasm memory)`;
  }
  return 'WebGl2Backend (R32F textures, OffscreenCanvas in the worker)';
}

/** Mean ms per step of each phase of the leader's data-parallel step (what limits the scaling). */
export function describeStats(s: DataParallelStats): string {
  const per = (ms: number) => (ms / Math.max(1, s.steps)).toFixed(1);
  return `leader per step: publish ${per(s.publishMs)} ms, own slice ${per(s.leaderMs)} ms, wait ${per(s.waitMs)} ms, reduce ${per(s.reduceMs)} ms`;
}

export async function scratchnetImpl(name: ScratchnetBackendName): Promise<BenchImpl> {
  const factory = FACTORIES[name];
  return {
    trainers: { mlp: mlpBuilder(factory), cnn: cnnBuilder(factory), rnn: rnnBuilder(factory) },
    matmul: matmulBuilder(factory),
    dataParallel: name !== 'webgl2',
    detail: await describe(name),
  };
}
