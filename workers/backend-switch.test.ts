import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/kernels/cpu';
import { MlpModel } from '../src/nn/models';
import type { TrainConfig } from '../src/train/types';
import { BackendSwitcher, moveModels, type HeldModel } from './backend-switch';
import { timeTraining } from './backend-timing';
import { TrainerSession } from './session';
import { DATASET_ID, storeSmallMnist } from './test-data';

const CONFIG: TrainConfig = {
  model: 'mlp',
  net: { hidden: [16], activation: 'relu' },
  optimizer: { kind: 'adam', lr: 0.003, weightDecay: 0 },
  batchSize: 64,
  epochs: 1,
  seed: 3,
  trainFraction: 0.9,
};
const NO_CALLBACKS = { onSteps() {}, onEpoch() {} };
const noWebGl2 = { webgl2: () => { throw new Error('WebGL2 is not available in this browser'); } };
const cpuChoice = (label = 'WebAssembly SIMD') => ({ backend: new CpuBackend({ precision: 'f32' }), label, fallbackReason: null });

function ink(): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(140 * 140);
  for (let y = 20; y < 120; y++) for (let x = 60; x < 80; x++) pixels[y * 140 + x] = 255;
  return pixels;
}

describe('TrainerSession.setBackend', () => {
  beforeAll(async () => {
    await storeSmallMnist();
  });

  it('falls back to the CPU with a clear reason when WebGL2 cannot be created', async () => {
    const cpu = new CpuBackend();
    const session = new TrainerSession(cpu, 'WebAssembly SIMD', null, noWebGl2);
    const picked = await session.setBackend('webgl2', 'mlp');
    expect(picked).toEqual({
      choice: 'webgl2', label: 'WebAssembly SIMD', fallback: true,
      reason: 'WebGL2 cannot run here (WebGL2 is not available in this browser); using WebAssembly SIMD',
    });
    expect(session.backend).toBe(cpu);
    const auto = await session.setBackend('auto', 'cnn');
    expect(auto).toMatchObject({ choice: 'auto', label: 'WebAssembly SIMD', fallback: true });
    expect(auto.reason).toMatch(/^Auto: WebGL2 cannot run here \(WebGL2 is not available/);
    expect((await session.init()).kernels).toBe('WebAssembly SIMD');
  });

  it('moves every model to the new backend with its weights, and refuses while training', async () => {
    const cpu = new CpuBackend({ precision: 'f32' });
    const gpuStandIn = new CpuBackend({ precision: 'f32' });
    const session = new TrainerSession(cpu, 'WebAssembly SIMD', null, { webgl2: () => gpuStandIn });
    await session.init();
    await session.mlp.selectDataset(DATASET_ID);
    await session.mlp.train(CONFIG, NO_CALLBACKS);
    const before = await session.mlp.exportModel('safetensors');
    const probsBefore = (await session.mlp.predictInk(ink(), 140, 140)).probs!;

    const picked = await session.setBackend('webgl2', 'mlp');
    expect(picked).toMatchObject({ choice: 'webgl2', label: 'WebGL2', fallback: false });
    expect(session.backend).toBe(gpuStandIn);
    expect(cpu.liveTensors()).toBe(0); // the old model was disposed
    expect(gpuStandIn.liveTensors()).toBeGreaterThan(0);
    expect(await session.mlp.exportModel('safetensors')).toEqual(before);
    expect(Array.from((await session.mlp.predictInk(ink(), 140, 140)).probs!)).toEqual(Array.from(probsBefore));
    expect((await session.mlp.evaluate()).report.count).toBe(500);
    expect((await session.init()).kernels).toBe('WebGL2');

    // Training runs on the new backend; a switch is refused until it ends.
    const run = session.mlp.train({ ...CONFIG, epochs: 3 }, NO_CALLBACKS);
    await new Promise((r) => setTimeout(r, 20));
    await expect(session.setBackend('cpu', 'mlp')).rejects.toThrow(/Training is running: stop it before you switch the kernels/);
    session.mlp.stop();
    await run;
    expect(session.mlp.summary()!.metrics.epochs).toBeLessThan(3);

    const back = await session.setBackend('cpu', 'mlp');
    expect(back).toEqual({ choice: 'cpu', label: 'WebAssembly SIMD', reason: 'CPU: WebAssembly SIMD', fallback: false });
    expect(gpuStandIn.liveTensors()).toBe(0);
    expect(session.backend).toBe(cpu);
  });

  it('refuses an unknown choice', async () => {
    const session = new TrainerSession(new CpuBackend(), 'WebAssembly SIMD', null, noWebGl2);
    await expect(session.setBackend('gpu' as never, 'mlp')).rejects.toThrow(/Unknown kernels "gpu": choose auto, cpu or webgl2/);
  });
});

describe('BackendSwitcher auto', () => {
  it('picks the faster backend and says both figures', async () => {
    const gl = new CpuBackend();
    const speeds = new Map([[gl, 2500], [undefined, 1840]]);
    const cpu = cpuChoice();
    const timer = async (b: unknown) => ({ examplesPerSec: speeds.get(b === gl ? gl : undefined)!, steps: 3, batchSize: 128 });
    const switcher = new BackendSwitcher(cpu, { webgl2: () => gl }, timer);
    const r = await switcher.resolve('auto', 'mlp');
    expect(r.active.backend).toBe(gl);
    expect(r.selection).toEqual({
      choice: 'auto', label: 'WebGL2', fallback: false,
      reason: 'Auto: WebGL2 2,500 vs WebAssembly SIMD 1,840 examples/s training the MLP; using WebGL2',
    });
    speeds.set(gl, 212);
    const slower = await switcher.resolve('auto', 'rnn');
    expect(slower.active.backend).toBe(cpu.backend);
    expect(slower.selection.reason).toBe('Auto: WebGL2 212 vs WebAssembly SIMD 1,840 examples/s training the BiGRU; using WebAssembly SIMD');
  });

  it('falls back to the CPU when a WebGL2 training step fails', async () => {
    const timer = async (b: unknown) => {
      if (b !== cpu.backend) throw new Error('EXT_color_buffer_float is missing');
      return { examplesPerSec: 100, steps: 1, batchSize: 1 };
    };
    const cpu = cpuChoice('JavaScript typed arrays');
    const r = await new BackendSwitcher(cpu, { webgl2: () => new CpuBackend() }, timer).resolve('auto', 'cnn');
    expect(r.active.backend).toBe(cpu.backend);
    expect(r.selection).toMatchObject({ fallback: true, label: 'JavaScript typed arrays' });
    expect(r.selection.reason).toMatch(/Auto: WebGL2 failed a training step \(EXT_color_buffer_float is missing\)/);
  });
});

describe('moveModels', () => {
  it('keeps every model as it was when one cannot be rebuilt', async () => {
    const from = new CpuBackend();
    const target = new CpuBackend();
    const good: HeldModel = { model: new MlpModel(from, { hidden: [8], activation: 'relu' }, 1), classes: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], metrics: {} };
    // Three class names for a 10-output model: its weight file does not fit a rebuilt model.
    const bad: HeldModel = { model: new MlpModel(from, { hidden: [8], activation: 'relu' }, 2), classes: ['a', 'b', 'c'], metrics: {} };
    const held = new Map([['one', good], ['two', bad]]);
    await expect(moveModels(held, target)).rejects.toThrow(/Could not move the models to the new kernels: fc2.weight/);
    expect(held.get('one')!.model).toBe(good.model);
    expect(held.get('two')!.model).toBe(bad.model);
    expect(target.liveTensors()).toBe(0);
    expect(from.liveTensors()).toBeGreaterThan(0);
  });
});

describe('timeTraining', () => {
  for (const network of ['mlp', 'cnn', 'rnn'] as const) {
    it(`times real ${network} training steps and frees what it built`, async () => {
      const b = new CpuBackend({ precision: 'f32' });
      const speed = await timeTraining(b, network, { batchSize: 8, maxSteps: 2, budgetMs: 10_000 });
      expect(speed.batchSize).toBe(8);
      expect(speed.steps).toBeGreaterThanOrEqual(1);
      expect(speed.examplesPerSec).toBeGreaterThan(0);
      expect(b.liveTensors()).toBe(0);
    });
  }
});
