/**
 * Worker side of bench/backend-parity.ts: trains one small run on the asked backend (WebGL2 on an
 * OffscreenCanvas, or the WebAssembly SIMD CPU kernels) with the page's recipes and answers its
 * dev and test accuracy. Data comes as raw arrays the runner wrote next to this script.
 */
import type { ImageSet, SequenceSet } from '../src/data/types';
import type { Backend } from '../src/kernels/backend';
import { WasmBackend } from '../src/kernels/wasm';
import { WebGl2Backend } from '../src/kernels/webgl2';
import { RnnModel } from '../src/nn/models';
import { classCountOf } from '../src/nn/models';
import { EvalAccumulator, evaluateAsync, evaluateBatches } from '../src/train/evaluate';
import { defaultCnnTrainConfig, defaultMlpTrainConfig, defaultRnnTrainConfig } from '../src/train/presets';
import { devBatcher, SequenceTrainer } from '../src/train/sequence-trainer';
import { Trainer } from '../src/train/trainer';

export interface ParityJob {
  network: 'mlp' | 'cnn' | 'cnn2head' | 'rnn';
  backend: 'webgl2' | 'wasm';
  seed: number;
  epochs: number;
  /** Data set names the runner wrote (without extension). */
  data: { train: string; test: string; dev?: string };
  /** BiGRU hidden size and batch size (the recipe's when unset). */
  hidden?: number;
  batch?: number;
  /** Drawings per dev/test evaluation batch (the training batch when unset). */
  evalBatch?: number;
}

export interface ParityResult {
  dev: number;
  test: number;
  seconds: number;
  trainCount: number;
  testCount: number;
}

const backends = new Map<string, Backend>();
const sets = new Map<string, Promise<ImageSet | SequenceSet>>();

function backendFor(name: ParityJob['backend']): Backend {
  let b = backends.get(name);
  if (!b) {
    b = name === 'webgl2' ? WebGl2Backend.open() : new WasmBackend();
    backends.set(name, b);
  }
  return b;
}

async function bytes(url: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

async function loadSet(name: string): Promise<ImageSet | SequenceSet> {
  const meta = JSON.parse(new TextDecoder().decode(await bytes(`data/${name}.json`)));
  const part = (p: string) => bytes(`data/${name}.${p}.bin`);
  if (meta.kind === 'images') {
    return { inputShape: meta.inputShape, classes: meta.classes, count: meta.count, pixels: new Uint8Array(await part('pixels')), labels: new Uint8Array(await part('labels')) };
  }
  return {
    classes: meta.classes, count: meta.count, offsets: new Uint32Array(await part('offsets')), deltas: new Int16Array(await part('deltas')),
    pens: new Uint8Array(await part('pens')), labels: new Uint8Array(await part('labels')),
  };
}

function set<T extends ImageSet | SequenceSet>(name: string): Promise<T> {
  if (!sets.has(name)) sets.set(name, loadSet(name));
  return sets.get(name)! as Promise<T>;
}

async function runImages(job: ParityJob, backend: Backend): Promise<ParityResult> {
  const train = await set<ImageSet>(job.data.train);
  const test = await set<ImageSet>(job.data.test);
  const config = job.network === 'mlp'
    ? defaultMlpTrainConfig({ epochs: job.epochs, seed: job.seed })
    : defaultCnnTrainConfig({ model: job.network as 'cnn' | 'cnn2head', epochs: job.epochs, seed: job.seed });
  const start = performance.now();
  const trainer = new Trainer(backend, config, { train, test }, {});
  try {
    await trainer.run();
    const dev = config.restoreBest ? trainer.bestEpoch : trainer.lastEpoch;
    const report = await evaluateAsync(trainer.model, test, 'test');
    return { dev: dev?.devAccuracy ?? NaN, test: report.accuracy, seconds: (performance.now() - start) / 1000, trainCount: trainer.trainCount, testCount: report.count };
  } finally {
    trainer.model.dispose();
  }
}

async function runSequences(job: ParityJob, backend: Backend): Promise<ParityResult> {
  const [train, dev, test] = await Promise.all([set<SequenceSet>(job.data.train), set<SequenceSet>(job.data.dev!), set<SequenceSet>(job.data.test)]);
  const base = defaultRnnTrainConfig();
  // No dev pass inside the loop: dev and test are scored once at the end, in evalBatch-drawing batches.
  const config = defaultRnnTrainConfig({
    restoreBest: false,
    epochs: job.epochs, seed: job.seed, net: { ...base.net, hidden: job.hidden ?? base.net.hidden }, batchSize: job.batch ?? base.batchSize,
  });
  const start = performance.now();
  const none = { ...dev, count: 0, offsets: new Uint32Array(1), labels: new Uint8Array(0) };
  const trainer = new SequenceTrainer(backend, config, { train, dev: none, test: none }, {});
  try {
    await trainer.run();
    const model = trainer.model as RnnModel;
    const evalBatch = job.evalBatch ?? job.batch ?? base.batchSize;
    const devAcc = await sequenceAccuracy(model, dev, evalBatch);
    const testAcc = await sequenceAccuracy(model, test, evalBatch);
    return { dev: devAcc, test: testAcc, seconds: (performance.now() - start) / 1000, trainCount: trainer.trainCount, testCount: test.count };
  } finally {
    trainer.model.dispose();
  }
}

async function sequenceAccuracy(model: RnnModel, set: SequenceSet, batch: number): Promise<number> {
  const acc = new EvalAccumulator(classCountOf(model));
  const batcher = devBatcher(model.backend, set, model.config.max_len, model.config.delta_scale, batch);
  try {
    await evaluateBatches(model, batcher, acc);
  } finally {
    batcher.dispose();
  }
  return acc.accuracy;
}

self.onmessage = async (event: MessageEvent<{ id: number; job: ParityJob }>) => {
  const { id, job } = event.data;
  try {
    const backend = backendFor(job.backend);
    const result = job.network === 'rnn' ? await runSequences(job, backend) : await runImages(job, backend);
    self.postMessage({ id, result });
  } catch (e) {
    self.postMessage({ id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
};
