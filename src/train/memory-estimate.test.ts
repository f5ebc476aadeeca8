import { describe, expect, it } from 'vitest';
import type { Backend, Tensor } from '../kernels/backend';
import { CpuBackend } from '../kernels/cpu';
import { MODEL_KIND_NAMES, buildModel, inputLayoutOf, lossFor } from '../nn/models';
import type { ModelBatch } from '../nn/types';
import {
  WASM_MEMORY_LIMIT_BYTES, WORKER_MEMORY_BUDGET_BYTES, estimateTrainingMemory, floatsPerExampleOverBuckets, footprintOf,
  formatBytes, memoryProblem,
  parameterCopies, type AnyTrainConfig,
} from './memory-estimate';
import { RNN_RECIPES, defaultCnnTrainConfig, defaultMlpTrainConfig, defaultRnnTrainConfig } from './presets';
import { paddedLengths } from './sequence-batches';

/** A CPU backend that counts the floats of live tensors. */
/** A bare step (no optimizer) holds each parameter's value and gradient, plus the kind's own copies. */
function parameterFloatsOf(footprint: ReturnType<typeof footprintOf>): number {
  return footprint.parameters * (2 + (footprint.extraParameterCopies ?? 0));
}

function countingBackend(): { backend: Backend; liveFloats: () => number } {
  const inner = new CpuBackend();
  let live = 0;
  const backend = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'tensor') {
        return (shape: readonly number[], data?: ArrayLike<number>): Tensor => {
          const t = target.tensor(shape, data);
          live += t.size;
          return t;
        };
      }
      if (key === 'dispose') {
        return (t: Tensor): void => {
          live -= t.size;
          target.dispose(t);
        };
      }
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { backend, liveFloats: () => live };
}

/** Floats the real model holds after one training step at `batch` (weights, grads, inputs, buffers). */
function measuredStepFloats(config: AnyTrainConfig, batch: number): number {
  const { backend, liveFloats } = countingBackend();
  const model = buildModel(backend, config.model, config.net as never, 1);
  const loss = lossFor(model);
  const layout = inputLayoutOf(model);
  const batchOf = (): ModelBatch => layout.kind === 'sequence'
    ? { input: backend.tensor([layout.maxLen * batch, layout.features]), lengths: backend.tensor([batch], new Array<number>(batch).fill(layout.maxLen)) }
    : { input: backend.tensor([batch, layout.shape.reduce((a, b) => a * b, 1)]) };
  const x = batchOf();
  const labels = backend.tensor([batch]);
  model.zeroGrad();
  model.backward(loss.forward(model.forward(x, true), labels).dlogits);
  return liveFloats() - labels.size;
}

const rnn = defaultRnnTrainConfig();
const rnnWith = (net: Partial<typeof rnn.net>, batchSize = rnn.batchSize): AnyTrainConfig => ({ ...rnn, batchSize, net: { ...rnn.net, ...net } });
const mlpWith = (hidden: number[], batchSize = 128, extra: object = {}): AnyTrainConfig =>
  defaultMlpTrainConfig({ batchSize, net: { hidden, activation: 'relu', ...extra } });

describe('the estimate against the real models', () => {
  const cases: [string, AnyTrainConfig, number][] = [
    ['default MLP', defaultMlpTrainConfig(), 8],
    ['leaky MLP with dropout', mlpWith([64, 32], 8, { activation: 'leaky_relu', dropout: 0.2 }), 8],
    ['linear classifier', mlpWith([], 8), 8],
    ['seed CNN', defaultCnnTrainConfig(), 4],
    ['cnn2head', defaultCnnTrainConfig({ model: 'cnn2head' }), 4],
    ['three unpadded conv blocks', defaultCnnTrainConfig({ net: { padding: 0, channels: [8, 8, 8], fc: 32 } }), 4],
    ['BiGRU 2×128', rnnWith({ max_len: 12, hidden: 128 }), 3],
    ['BiGRU 3×64 with dropout', rnnWith({ max_len: 10, layers: 3, hidden: 64 }), 2],
    ['BiGRU 1×16', rnnWith({ max_len: 20, layers: 1, hidden: 16, dropout: 0, head_dropout: 0 }), 4],
  ];
  it('covers every registered model kind', () => {
    expect(new Set(cases.map(([, config]) => config.model))).toEqual(new Set(MODEL_KIND_NAMES));
  });
  for (const [name, config, batch] of cases) {
    it(`${name}: counts the parameters exactly and a step's floats within 25% above`, () => {
      const { backend } = countingBackend();
      const model = buildModel(backend, config.model, config.net as never, 1);
      const footprint = footprintOf(config);
      expect(footprint.parameters).toBe(model.parameterCount());
      const estimated = parameterFloatsOf(footprint) + batch * footprint.floatsPerExample;
      const measured = measuredStepFloats(config, batch);
      expect(estimated).toBeGreaterThanOrEqual(measured);
      expect(estimated).toBeLessThanOrEqual(1.25 * measured);
    });
  }
});

describe('a sequence run over every padded length', () => {
  it('counts one buffer set per length bucket, as the BiGRU keeps them, within 25% above', () => {
    const config = rnnWith({ max_len: 20 });
    const batch = 3;
    const { backend, liveFloats } = countingBackend();
    const model = buildModel(backend, config.model, config.net as never, 1);
    const loss = lossFor(model);
    const labels = backend.tensor([batch]);
    const lengths = paddedLengths(20);
    expect(lengths).toEqual([8, 16, 20]);
    for (const steps of lengths) {
      const x = { input: backend.tensor([steps * batch, 3]), lengths: backend.tensor([batch], new Array<number>(batch).fill(steps)) };
      model.zeroGrad();
      model.backward(loss.forward(model.forward(x, true), labels).dlogits);
      backend.dispose(x.input);
      backend.dispose(x.lengths);
    }
    const measured = liveFloats() - labels.size;
    const footprint = footprintOf(config);
    const parameterFloats = parameterFloatsOf(footprint);
    const oneShape = parameterFloats + batch * footprint.floatsPerExample;
    const estimated = parameterFloats + batch * floatsPerExampleOverBuckets(footprint);
    expect(measured).toBeGreaterThan(oneShape);
    expect(estimated).toBeGreaterThanOrEqual(measured);
    expect(estimated).toBeLessThanOrEqual(1.25 * measured);
  });

  it('a full Quick Draw run (max 100 steps) weighs 7.24× the longest batch alone in its per-step buffers', () => {
    const footprint = footprintOf(rnn);
    const perStep = footprint.perStep!;
    expect(perStep.maxSteps).toBe(100);
    expect(floatsPerExampleOverBuckets(footprint) - footprint.floatsPerExample).toBe(perStep.floats * (724 - 100));
  });
});

describe('estimateTrainingMemory', () => {
  it("refuses the issue's 8 × 4096 hidden units at batch 4096 with the estimate in the message", () => {
    const config = mlpWith(new Array<number>(8).fill(4096), 4096);
    const estimate = estimateTrainingMemory(config);
    expect(estimate.parameters).toBeGreaterThan(120e6);
    expect(estimate.fits).toBe(false);
    expect(estimate.perWorkerBytes).toBeGreaterThan(3.5e9);
    const message = memoryProblem(config);
    expect(message).toMatch(/needs about \d+(\.\d+)? GB per worker, more than the 2 GB a worker can use: fewer or smaller hidden layers or a smaller batch/);
    expect(message).toContain(formatBytes(estimate.perWorkerBytes));
  });

  it('lets the default recipes of every network through, under the budget', () => {
    for (const config of [defaultMlpTrainConfig(), defaultCnnTrainConfig(), defaultCnnTrainConfig({ model: 'cnn2head' })]) {
      expect(memoryProblem(config)).toBeNull();
      expect(estimateTrainingMemory(config).perWorkerBytes).toBeLessThan(WORKER_MEMORY_BUDGET_BYTES / 4);
    }
    // The BiGRU holds a buffer set per padded length (13 for max_len 100): ~half the budget, not a quarter.
    for (const config of Object.values(RNN_RECIPES).map((r) => r.config())) expect(memoryProblem(config)).toBeNull();
    expect(estimateTrainingMemory(rnn).perWorkerBytes).toBeLessThan(0.6 * WORKER_MEMORY_BUDGET_BYTES);
  });

  it('grows with the batch alone until it no longer fits', () => {
    const wide = [4096, 4096];
    expect(memoryProblem(mlpWith(wide, 256))).toBeNull();
    const small = estimateTrainingMemory(mlpWith(wide, 256)).perWorkerBytes;
    expect(estimateTrainingMemory(mlpWith(wide, 4096)).perWorkerBytes).toBeGreaterThan(small);
    expect(memoryProblem(mlpWith(new Array<number>(8).fill(4096), 2048))).toMatch(/more than the 2 GB/);
  });

  it('refuses huge hidden layers and many layers even at a small batch, with Adam moments counted', () => {
    expect(memoryProblem(mlpWith([4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096], 32))).toMatch(/hidden layers/);
    const eight = mlpWith(new Array<number>(8).fill(4096), 32);
    const sgd = { ...eight, optimizer: { ...eight.optimizer, kind: 'sgd' as const } };
    expect(estimateTrainingMemory(eight).perWorkerBytes).toBeGreaterThan(estimateTrainingMemory(sgd).perWorkerBytes);
    expect(parameterCopies(eight.optimizer.kind === 'adam' ? eight : sgd)).toBe(4);
    expect(parameterCopies(sgd)).toBe(2);
    expect(parameterCopies({ ...sgd, weightAverage: 0.999, restoreBest: true })).toBe(4);
  });

  it('refuses a CNN with wide channels or a huge fc layer and a large batch', () => {
    const wideConv = defaultCnnTrainConfig({ batchSize: 1024, net: { padding: 1, channels: [512, 512], fc: 256 } });
    expect(memoryProblem(wideConv)).toMatch(/fewer channels, a smaller fc layer or a smaller batch/);
    const hugeFc = defaultCnnTrainConfig({ model: 'cnn2head', batchSize: 256, net: { padding: 1, channels: [64, 64], fc: 65536 } });
    expect(estimateTrainingMemory(hugeFc).fits).toBe(false);
    expect(memoryProblem(defaultCnnTrainConfig({ batchSize: 1024 }))).toBeNull();
  });

  it('refuses an RNN with a huge hidden size or max steps at a large batch, and says which knobs', () => {
    expect(memoryProblem(rnnWith({ hidden: 512, layers: 4, max_len: 1000 }, 1024))).toMatch(/hidden size, fewer layers, fewer max steps/);
    expect(memoryProblem(rnnWith({ max_len: 1000 }, 1024))).not.toBeNull();
    // A smaller batch is a way to fit: the dev and test passes run in batches of the training batch too.
    expect(memoryProblem(rnnWith({ hidden: 512, layers: 4 }, 8))).toBeNull();
    expect(memoryProblem(rnnWith({ hidden: 512, layers: 4 }, 64))).not.toBeNull();
  });

  it('splits the batch between data-parallel workers, each holding the whole model', () => {
    const config = mlpWith([4096, 4096, 4096, 4096], 4096);
    const one = estimateTrainingMemory(config, 1);
    const four = estimateTrainingMemory(config, 4);
    expect(four.parameterBytes).toBe(one.parameterBytes);
    expect(four.perWorkerBytes).toBeLessThan(one.perWorkerBytes);
    expect(four.totalBytes).toBe(4 * four.perWorkerBytes);
  });

  it('keeps the budget within what WebAssembly memory32 addresses', () => {
    expect(WASM_MEMORY_LIMIT_BYTES).toBe(4 * 2 ** 30);
    expect(WORKER_MEMORY_BUDGET_BYTES).toBeLessThanOrEqual(WASM_MEMORY_LIMIT_BYTES / 2);
    expect([formatBytes(5.12e9), formatBytes(420e6), formatBytes(12_000)]).toEqual(['5.12 GB', '420 MB', '12 kB']);
  });
});
