import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../io/safetensors';
import { CpuBackend } from '../kernels/cpu';
import { stateDictOf } from '../nn/models';
import type { StateDict } from '../nn/types';
import { dataParallel } from './data-parallel';
import { inProcessTransport } from './data-parallel-inprocess';
import { defaultRnnTrainConfig } from './presets';
import { decodeRunCheckpoint, encodeRunCheckpoint, type LoopState, type RunCheckpoint } from './run-state';
import { SequenceTrainer } from './sequence-trainer';
import { toyImages } from './testing/toy-images';
import { toySequences } from './testing/toy-sequences';
import { Trainer } from './trainer';
import type { TrainLoop } from './train-loop';
import type { CnnTrainConfig, EpochPoint, MlpTrainConfig, RnnTrainConfig, TrainEvents } from './types';

const MLP: MlpTrainConfig = {
  model: 'mlp',
  net: { hidden: [12, 8], activation: 'relu', dropout: 0.3 },
  optimizer: { kind: 'adam', lr: 0.01, weightDecay: 1e-4 },
  lrSchedule: { kind: 'cosine', minFactor: 0.1, warmupEpochs: 1 },
  batchSize: 16, epochs: 4, seed: 3, trainFraction: 0.8, clipNorm: 5, weightAverage: 0.9,
  earlyStopping: { patience: 3, minDelta: 0 },
};
const CNN: CnnTrainConfig = {
  model: 'cnn',
  net: { padding: 1, channels: [3], fc: 8, dropout: 0.3 },
  optimizer: { kind: 'momentum', lr: 0.05, momentum: 0.9, weightDecay: 1e-4 },
  lrSchedule: { kind: 'step', everyEpochs: 1, gamma: 0.5 },
  batchSize: 12, epochs: 3, seed: 5, trainFraction: 0.9, restoreBest: true, augment: { maxShift: 1, jitter: 0.1 },
};
const RNN: RnnTrainConfig = defaultRnnTrainConfig({
  net: { hidden: 8, layers: 2, max_len: 12, delta_scale: 4, dropout: 0.2, head_dropout: 0.2 },
  optimizer: { kind: 'adamw', lr: 0.02, weightDecay: 1e-4 },
  batchSize: 16, epochs: 3, seed: 7,
});

const IMAGES_4 = { train: toyImages(200, 1, 4), test: toyImages(20, 2, 4) };
const IMAGES_8 = { train: toyImages(100, 3, 8), test: toyImages(20, 4, 8) };
const SEQUENCES = { train: toySequences(90, 1), dev: toySequences(20, 2), test: toySequences(20, 3) };

type Build = (events?: TrainEvents) => TrainLoop;
const builders: [string, Build][] = [
  ['mlp', (events = {}) => new Trainer(new CpuBackend(), MLP, IMAGES_4, events)],
  ['cnn', (events = {}) => new Trainer(new CpuBackend(), CNN, IMAGES_8, events)],
  ['rnn', (events = {}) => new SequenceTrainer(new CpuBackend(), RNN, SEQUENCES, events)],
];

function withWorkers(trainer: TrainLoop, workers: number): TrainLoop {
  if (workers > 1) trainer.useGradientSource(dataParallel(workers, inProcessTransport(() => new CpuBackend())));
  return trainer;
}

interface Finished {
  weights: StateDict;
  history: EpochPoint[];
  losses: number[];
}

async function finish(trainer: TrainLoop, losses: number[]): Promise<Finished> {
  expect(await trainer.run()).toBe('completed');
  const result = { weights: stateDictOf(trainer.model), history: trainer.history, losses };
  trainer.model.dispose();
  return result;
}

/** Runs until `epoch` ends, keeping the checkpoint written then (as bytes, the way it is stored). */
async function interruptedAfter(build: Build, workers: number, epoch: number): Promise<{ bytes: Uint8Array; losses: number[] }> {
  let bytes: Uint8Array | null = null;
  const losses: number[] = [];
  const trainer: TrainLoop = build({
    onSteps: (points) => losses.push(...points.map((p) => p.loss)),
    onRunState: (state: LoopState) => {
      if (state.epoch !== epoch) return;
      bytes = encodeRunCheckpoint(checkpointOf(trainer, state));
      trainer.stop();
    },
  });
  expect(await withWorkers(trainer, workers).run()).toBe('stopped');
  trainer.model.dispose();
  return { bytes: bytes!, losses };
}

/** Pauses at the first step of epoch 2; the checkpoint written on Pause (mid-epoch) is kept, then the run dies. */
async function pausedInEpoch2(build: Build, workers: number): Promise<{ bytes: Uint8Array; losses: number[] }> {
  let bytes: Uint8Array | null = null;
  let paused = false;
  const losses: number[] = [];
  const trainer: TrainLoop = build({
    onSteps: (points) => {
      losses.push(...points.map((p) => p.loss));
      if (!paused && points.some((p) => p.epoch === 2)) {
        paused = true;
        trainer.pause();
      }
    },
    onRunState: (state: LoopState) => {
      if (state.step === 0) return;
      bytes = encodeRunCheckpoint(checkpointOf(trainer, state));
      trainer.stop();
    },
  });
  expect(await withWorkers(trainer, workers).run()).toBe('stopped');
  trainer.model.dispose();
  return { bytes: bytes!, losses };
}

function checkpointOf(trainer: TrainLoop, loop: LoopState): RunCheckpoint {
  return { model: trainer.model.kind, modelConfig: trainer.model.configJson(), config: trainer.config as RunCheckpoint['config'], loop, meta: { note: 'test' } };
}

function expectBitIdentical(a: StateDict, b: StateDict): void {
  expect([...b.keys()]).toEqual([...a.keys()]);
  for (const [name, t] of a) expect(Buffer.from(b.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
}

describe('a resumed run', () => {
  for (const [name, build] of builders) {
    for (const workers of [1, 2]) {
      it(`${name}, ${workers} worker(s): resuming after epoch 1 gives bit for bit the weights of an uninterrupted run`, async () => {
        const wholeLosses: number[] = [];
        const whole = await finish(withWorkers(build({ onSteps: (p) => wholeLosses.push(...p.map((x) => x.loss)) }), workers), wholeLosses);
        const cut = await interruptedAfter(build, workers, 1);
        const saved = decodeRunCheckpoint(cut.bytes, 'test checkpoint');
        expect(saved.loop.epoch).toBe(1);
        expect(saved.meta).toEqual({ note: 'test' });
        const resumedLosses = [...cut.losses];
        const resumed = build({ onSteps: (p) => resumedLosses.push(...p.map((x) => x.loss)) });
        resumed.restoreState(saved.loop);
        const done = await finish(withWorkers(resumed, workers), resumedLosses);
        expectBitIdentical(whole.weights, done.weights);
        expect(done.losses).toEqual(whole.losses);
        expect(done.history.map(({ elapsedMs: _, ...p }) => p)).toEqual(whole.history.map(({ elapsedMs: _, ...p }) => p));
      });
    }
  }
});

describe('a run paused mid-epoch', () => {
  for (const [name, build] of builders) {
    it(`${name}, 2 workers: resuming from the checkpoint written on Pause gives bit for bit the uninterrupted weights`, async () => {
      const whole = await finish(withWorkers(build(), 2), []);
      const cut = await pausedInEpoch2(build, 2);
      const saved = decodeRunCheckpoint(cut.bytes, 'paused');
      expect(saved.loop).toMatchObject({ epoch: 1, step: 1 });
      expect(saved.loop.augment).not.toBeNull();
      const resumed = build();
      resumed.restoreState(saved.loop);
      const done = await finish(withWorkers(resumed, 2), []);
      expectBitIdentical(whole.weights, done.weights);
      expect(done.history.map(({ elapsedMs: _, ...p }) => p)).toEqual(whole.history.map(({ elapsedMs: _, ...p }) => p));
    });
  }
});

describe('run checkpoints', () => {
  it('round-trip every part of the state (NaN metrics, -Infinity early-stopping score included)', async () => {
    const cut = await interruptedAfter(builders[0][1], 1, 2);
    const a = decodeRunCheckpoint(cut.bytes, 'a');
    const again = decodeRunCheckpoint(encodeRunCheckpoint(a), 'b');
    expect(again.loop.optimizer.tensors.length).toBe(2 * 6);
    expect(again.loop.average!.tensors.length).toBe(6);
    expect(again).toEqual(a);
    const nan = { ...a, loop: { ...a.loop, history: [{ ...a.loop.history[0], devLoss: NaN }], stopper: { best: -Infinity, waited: 0 } } };
    const back = decodeRunCheckpoint(encodeRunCheckpoint(nan), 'c');
    expect(back.loop.history[0].devLoss).toBeNaN();
    expect(back.loop.stopper!.best).toBe(-Infinity);
  });

  it('are refused, naming the source, when damaged, of another version or for other data or model', async () => {
    const cut = await interruptedAfter(builders[0][1], 1, 1);
    expect(() => decodeRunCheckpoint(cut.bytes.slice(0, 40), 'run.ckpt')).toThrow(/run\.ckpt is not a run checkpoint/);
    expect(() => decodeRunCheckpoint(new Uint8Array(3), 'run.ckpt')).toThrow(/run\.ckpt is not a run checkpoint/);
    const notJson = writeSafetensors(new Map(), { 'scratchnet.run_state': '{"format": "scratchnet-run-st' });
    expect(() => decodeRunCheckpoint(notJson, 'run.ckpt')).toThrow(/run\.ckpt: the run checkpoint's header is damaged/);
    const noLoop = writeSafetensors(new Map(), { 'scratchnet.run_state': '{"format": "scratchnet-run-state", "version": 1}' });
    expect(() => decodeRunCheckpoint(noLoop, 'run.ckpt')).toThrow(/run\.ckpt: the run state is damaged/);
    const saved = decodeRunCheckpoint(cut.bytes, 'run.ckpt');
    const future = Buffer.from(cut.bytes);
    const at = future.indexOf('\\"version\\":1');
    expect(at).toBeGreaterThan(0);
    future.write('9', at + '\\"version\\":'.length);
    expect(() => decodeRunCheckpoint(new Uint8Array(future), 'run.ckpt')).toThrow(/version 9 run checkpoint/);
    const other = new Trainer(new CpuBackend(), { ...MLP, batchSize: 32 }, IMAGES_4, {});
    expect(() => other.restoreState(saved.loop)).toThrow(/stepsPerEpoch .* same data and batch size/);
    const wider = new Trainer(new CpuBackend(), { ...MLP, net: { ...MLP.net, hidden: [13, 8] } }, IMAGES_4, {});
    expect(() => wider.restoreState(saved.loop)).toThrow(/do not fit/);
    // Refused before anything changed: the fresh trainer still runs from its own start.
    expect(await other.run()).toBe('completed');
  });
});
