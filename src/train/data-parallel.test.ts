import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../data/types';
import { CpuBackend } from '../kernels/cpu';
import { WasmBackend } from '../kernels/wasm';
import { stateDictOf } from '../nn/models';
import type { StateDict } from '../nn/types';
import { dataParallel, type GradientTransport, type SliceWork, type TransportFactory } from './data-parallel';
import { inProcessTransport } from './data-parallel-inprocess';
import type { GradientSourceFactory } from './data-parallel-source';
import { copySliceInput, sliceBounds, type SliceJob } from './data-parallel-slice';
import { defaultRnnTrainConfig } from './presets';
import { SequenceTrainer } from './sequence-trainer';
import { toyImages } from './testing/toy-images';
import { toySequences } from './testing/toy-sequences';
import { Trainer } from './trainer';
import type { TrainLoop } from './train-loop';
import type { CnnTrainConfig, MlpTrainConfig, RnnTrainConfig, TrainEvents } from './types';

const MLP: MlpTrainConfig = {
  model: 'mlp',
  net: { hidden: [12, 8], activation: 'relu', dropout: 0.3 },
  optimizer: { kind: 'adam', lr: 0.01, weightDecay: 1e-4 },
  batchSize: 16, epochs: 2, seed: 3, trainFraction: 0.8, clipNorm: 5,
};
const CNN: CnnTrainConfig = {
  model: 'cnn',
  net: { padding: 1, channels: [3], fc: 8, dropout: 0.3 },
  optimizer: { kind: 'momentum', lr: 0.05, momentum: 0.9, weightDecay: 0 },
  batchSize: 12, epochs: 1, seed: 5, trainFraction: 0.9,
};
const RNN: RnnTrainConfig = defaultRnnTrainConfig({
  net: { hidden: 8, layers: 2, max_len: 12, delta_scale: 4, dropout: 0.2 },
  optimizer: { kind: 'adamw', lr: 0.02, weightDecay: 1e-4 },
  batchSize: 16, epochs: 1, seed: 7,
});

const IMAGES_4 = { train: toyImages(200, 1, 4), test: toyImages(20, 2, 4) };
const IMAGES_8 = { train: toyImages(100, 3, 8), test: toyImages(20, 4, 8) };
const SEQUENCES = { train: toySequences(90, 1), dev: toySequences(20, 2), test: toySequences(20, 3) };

/** Trains to the end with `workers` (1 = the plain loop) and returns the weights and the loss curve. */
type Build = (events?: TrainEvents) => TrainLoop;

async function train(build: Build, workers: number): Promise<{ weights: StateDict; losses: number[] }> {
  const losses: number[] = [];
  const trainer = build({ onSteps: (points) => losses.push(...points.map((p) => p.loss)) });
  if (workers > 1) trainer.useGradientSource(dataParallel(workers, inProcessTransport(() => new CpuBackend())));
  expect(await trainer.run()).toBe('completed');
  const weights = stateDictOf(trainer.model);
  trainer.model.dispose();
  return { weights, losses };
}

function maxDifference(a: StateDict, b: StateDict): number {
  let worst = 0;
  for (const [name, t] of a) {
    const u = b.get(name)!.data;
    for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs(t.data[i] - u[i]));
  }
  return worst;
}

function expectIdentical(a: StateDict, b: StateDict): void {
  for (const [name, t] of a) expect(b.get(name)!.data, name).toEqual(t.data);
}

const builders: [string, Build][] = [
  ['mlp (dropout, clipping, adam)', (events = {}) => new Trainer(new CpuBackend(), MLP, IMAGES_4, events)],
  ['cnn (dropout, momentum)', (events = {}) => new Trainer(new CpuBackend(), CNN, IMAGES_8, events)],
  ['rnn (dropout between GRU layers, adamw)', (events = {}) => new SequenceTrainer(new CpuBackend(), RNN, SEQUENCES, events)],
];

describe('data-parallel training (in-process helpers)', () => {
  for (const [name, build] of builders) {
    it(`${name}: 2 and 3 workers match 1 worker, and a fixed count is bit-identical`, async () => {
      const one = await train(build, 1);
      const two = await train(build, 2);
      const three = await train(build, 3);
      expect(maxDifference(one.weights, two.weights)).toBeLessThan(2e-4);
      expect(maxDifference(one.weights, three.weights)).toBeLessThan(2e-4);
      expect(two.losses).toHaveLength(one.losses.length);
      two.losses.forEach((l, i) => expect(l).toBeCloseTo(one.losses[i], 4));
      // Training changed the weights (so agreeing is not trivial).
      const fresh = stateDictOf(build().model);
      expect(maxDifference(fresh, one.weights)).toBeGreaterThan(1e-2);
      const twoAgain = await train(build, 2);
      expectIdentical(two.weights, twoAgain.weights);
      expect(twoAgain.losses).toEqual(two.losses);
    });
  }

  for (const [name, build] of builders) {
    it(`${name}: the dev evaluation is shared out over the workers and reads what one worker reads`, async () => {
      const one = build();
      expect(await one.run()).toBe('completed');
      const two = build();
      const works: string[] = [];
      const counting: TransportFactory = async (plan) => {
        const inner = await inProcessTransport(() => new CpuBackend())(plan);
        return Object.assign(Object.create(inner) as GradientTransport, {
          start: (jobs: readonly SliceJob[], work: SliceWork = 'gradients') => {
            works.push(work);
            inner.start(jobs, work);
          },
        });
      };
      two.useGradientSource(dataParallel(2, counting));
      expect(await two.run()).toBe('completed');
      // At least one round per epoch (more where a dev batch is larger than a slot).
      expect(works.filter((w) => w === 'probabilities').length).toBeGreaterThanOrEqual(two.history.length);
      expect(two.history.map((p) => p.devAccuracy)).toEqual(one.history.map((p) => p.devAccuracy));
      two.history.forEach((p, i) => expect(p.devLoss).toBeCloseTo(one.history[i].devLoss, 3));
      expect(one.history.every((p) => Number.isFinite(p.devLoss))).toBe(true);
      one.model.dispose();
      two.model.dispose();
    });
  }

  it('shares out the dev pass on WebAssembly kernels, whose memory may grow between its rounds', async () => {
    // Long dev drawings in batches larger than a slot: the leader's first forward at those shapes
    // grows wasm memory mid-pass, which detaches every view of the batch read before it.
    const config = { ...RNN, batchSize: 8, net: { ...RNN.net, max_len: 96 } };
    const data = { train: toySequences(40, 1), dev: toySequences(300, 2, 90), test: toySequences(10, 3) };
    const backend = new WasmBackend();
    const growthsBefore = backend.stats().wasmMemoryGrowths;
    const one = new SequenceTrainer(new WasmBackend(), config, data, {});
    expect(await one.run()).toBe('completed');
    const two = new SequenceTrainer(backend, config, data, {});
    two.useGradientSource(dataParallel(2, inProcessTransport(() => new WasmBackend())));
    expect(await two.run()).toBe('completed');
    expect(backend.stats().wasmMemoryGrowths).toBeGreaterThan(growthsBefore);
    expect(two.history.map((p) => p.devAccuracy)).toEqual(one.history.map((p) => p.devAccuracy));
    one.model.dispose();
    two.model.dispose();
  });

  it('frees the loop\'s loss once (the leader shares it), also for the two-headed CNN', async () => {
    const pairs = (count: number, seed: number): ImageSet => {
      const set = toyImages(count, seed, 8);
      return { ...set, classes: Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')), labels: set.labels.map((l) => 11 * l) };
    };
    const backend = new WasmBackend();
    const trainer = new Trainer(backend, { ...CNN, model: 'cnn2head' }, { train: pairs(100, 3), test: pairs(20, 4) }, {});
    trainer.useGradientSource(dataParallel(2, inProcessTransport(() => new WasmBackend())));
    const live = backend.liveTensors();
    expect(await trainer.run()).toBe('completed');
    expect(trainer.history).toHaveLength(CNN.epochs);
    trainer.model.dispose();
    expect(backend.liveTensors()).toBeLessThanOrEqual(live);
  });

  it('collects its helpers even when the leader\'s own part fails, and passes the failure on', async () => {
    const calls: string[] = [];
    const counting: TransportFactory = async (plan) => {
      const inner = await inProcessTransport(() => new CpuBackend())(plan);
      return Object.assign(Object.create(inner) as GradientTransport, {
        start: (jobs: readonly SliceJob[], work: SliceWork = 'gradients') => { calls.push('start'); inner.start(jobs, work); },
        finish: () => { calls.push('finish'); return inner.finish(); },
      });
    };
    let steps = 0;
    const failing: GradientSourceFactory = (ctx) => {
      const source = dataParallel(2, counting)(ctx);
      const compute = source.compute.bind(source);
      source.compute = (batch, whileWaiting) => compute(batch, () => {
        if (++steps === 3) throw new Error('leader failed on step 3');
        whileWaiting?.();
      });
      return source;
    };
    const trainer = new Trainer(new CpuBackend(), MLP, IMAGES_4, {});
    trainer.useGradientSource(failing);
    await expect(trainer.run()).rejects.toThrow('leader failed on step 3');
    expect(calls).toEqual(['start', 'finish', 'start', 'finish', 'start', 'finish']);
    trainer.model.dispose();
  });

  it('rejects a worker count it cannot use, before the run starts', () => {
    const trainer = new Trainer(new CpuBackend(), MLP, IMAGES_4, {});
    expect(() => trainer.useGradientSource(dataParallel(1, inProcessTransport(() => new CpuBackend()))))
      .toThrow(/2 to 16 workers, got 1/);
  });
});

describe('slices', () => {
  it('cut a batch into contiguous slices, the first ones one row larger', () => {
    expect(sliceBounds(10, 3).map((j) => [j.offset, j.rows])).toEqual([[0, 4], [4, 3], [7, 3]]);
    expect(sliceBounds(1, 2).map((j) => j.rows)).toEqual([1, 0]);
  });

  it('take every time step of their own sequences out of a time-major batch', () => {
    // 2 steps × 3 sequences × 3 features: value = 100·t + 10·b + f.
    const x = Float32Array.from({ length: 18 }, (_, i) => 100 * Math.floor(i / 9) + 10 * Math.floor((i % 9) / 3) + (i % 3));
    const out = new Float32Array(12);
    copySliceInput(x, { offset: 1, rows: 2, total: 3, steps: 2 }, out);
    expect([...out]).toEqual([10, 11, 12, 20, 21, 22, 110, 111, 112, 120, 121, 122]);
  });
});
