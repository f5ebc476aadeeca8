/**
 * scratchnet on its CPU backend: the model from src/nn and the same kernels the app trains with.
 * The step is the app's inner training step (nn's loss and Adam) without the data pipeline:
 * write batch → zeroGrad → forward → softmax cross-entropy → backward → Adam → read the loss.
 */
import type { Backend } from '../../../src/kernels/backend';
import { CpuBackend } from '../../../src/kernels/cpu/index';
import { SoftmaxCrossEntropy } from '../../../src/nn/loss';
import { buildModel } from '../../../src/nn/models/index';
import { createOptimizer } from '../../../src/nn/optimizers';
import type { Model } from '../../../src/nn/types';
import { MLP_BENCH, randomBatches, randomMatrix } from '../data';
import type { BenchImpl, MatmulBench, TrainBench } from '../registry';

function classifierTrainer(backend: Backend, model: Model, batch: number, inputSize: number, classes: number, seed: number): TrainBench {
  const batches = randomBatches(seed, batch, inputSize, classes);
  const x = backend.tensor([batch, inputSize]);
  const labels = backend.tensor([batch]);
  const loss = new SoftmaxCrossEntropy(backend, classes);
  const optimizer = createOptimizer(backend, model.params, {
    kind: 'adam', lr: MLP_BENCH.lr, beta1: MLP_BENCH.beta1, beta2: MLP_BENCH.beta2, eps: MLP_BENCH.eps, weightDecay: 0,
  });
  const readSync = backend.readSync?.bind(backend);
  if (!readSync) throw new Error('the CPU backend has no readSync');
  let t = 0;
  return {
    step() {
      const b = batches[t++ % batches.length];
      backend.write(x, b.x);
      backend.write(labels, b.labels);
      model.zeroGrad();
      const out = loss.forward(model.forward(x, true), labels);
      model.backward(out.dlogits);
      optimizer.step();
      return readSync(out.loss)[0];
    },
    dispose() {
      optimizer.dispose();
      loss.dispose();
      backend.dispose(x);
      backend.dispose(labels);
      model.dispose();
    },
  };
}

async function mlpTrainer(batch: number, seed: number): Promise<TrainBench> {
  const backend = new CpuBackend();
  const [inputSize, ...rest] = MLP_BENCH.sizes;
  const classes = rest[rest.length - 1];
  const model = buildModel(backend, 'mlp', {
    hidden: rest.slice(0, -1), activation: 'relu', inputSize, outputSize: classes,
  }, seed);
  return classifierTrainer(backend, model, batch, inputSize, classes, seed);
}

async function matmulBench(n: number): Promise<MatmulBench> {
  const backend = new CpuBackend();
  const a = backend.tensor([n, n], randomMatrix(1, n));
  const b = backend.tensor([n, n], randomMatrix(2, n));
  const out = backend.tensor([n, n]);
  return {
    run: () => backend.matmul(a, b, out),
    dispose: () => [a, b, out].forEach((t) => backend.dispose(t)),
  };
}

export async function scratchnetCpu(): Promise<BenchImpl> {
  return { trainers: { mlp: mlpTrainer }, matmul: matmulBench, detail: 'CpuBackend f32' };
}
