/**
 * TensorFlow.js peers (benchmark only; never imported from src/). The net is written with raw
 * variables + optimizer.minimize, TF.js's fastest training path, so the comparison is not
 * slowed by tf.layers bookkeeping.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { MLP_BENCH, randomBatches, randomMatrix } from '../data';
import type { BenchImpl, MatmulBench, TrainBench } from '../registry';

export type TfjsBackendName = 'cpu' | 'wasm' | 'webgl';

interface Dense { w: tf.Variable; b: tf.Variable }

function denseStack(sizes: readonly number[], seed: number): Dense[] {
  return sizes.slice(1).map((out, i) => {
    const inSize = sizes[i];
    return {
      w: tf.variable(tf.randomNormal([inSize, out], 0, Math.sqrt(2 / inSize), 'float32', seed + i)),
      b: tf.variable(tf.zeros([out])),
    };
  });
}

function mlpLogits(layers: Dense[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
    if (i < layers.length - 1) h = tf.relu(h);
  });
  return h;
}

async function mlpTrainer(batch: number, seed: number): Promise<TrainBench> {
  const sizes = MLP_BENCH.sizes;
  const classes = sizes[sizes.length - 1];
  const batches = randomBatches(seed, batch, sizes[0], classes);
  const layers = denseStack(sizes, seed);
  const vars = layers.flatMap((l) => [l.w, l.b]);
  const optimizer = tf.train.adam(MLP_BENCH.lr, MLP_BENCH.beta1, MLP_BENCH.beta2, MLP_BENCH.eps);
  let t = 0;
  return {
    async step() {
      const b = batches[t++ % batches.length];
      const xs = tf.tensor2d(b.x, [batch, sizes[0]]);
      const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(b.labelsInt, 'int32'), classes));
      const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, mlpLogits(layers, xs)) as tf.Scalar, true, vars);
      if (!cost) throw new Error('tfjs minimize returned no loss');
      const loss = (await cost.data())[0];
      tf.dispose([xs, ys, cost]);
      return loss;
    },
    dispose() {
      optimizer.dispose();
      tf.dispose(vars);
    },
  };
}

async function matmulBench(n: number): Promise<MatmulBench> {
  const a = tf.tensor2d(randomMatrix(1, n), [n, n]);
  const b = tf.tensor2d(randomMatrix(2, n), [n, n]);
  return {
    run() {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    },
    dispose: () => tf.dispose([a, b]),
  };
}

async function describe(name: TfjsBackendName): Promise<string> {
  if (name === 'wasm') return (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'wasm SIMD, 1 thread' : 'wasm (no SIMD), 1 thread';
  if (name === 'webgl') return `WebGL ${tf.env().getNumber('WEBGL_VERSION')}`;
  return 'plain JS';
}

export async function tfjsImpl(name: TfjsBackendName): Promise<BenchImpl> {
  if (name === 'wasm') {
    // The single-threaded SIMD build: scratchnet-cpu runs on one thread too.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(`${self.location.origin}/tfjs-wasm/`);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TensorFlow.js could not start its ${name} backend`);
  await tf.ready();
  return { trainers: { mlp: mlpTrainer }, matmul: matmulBench, detail: `tfjs ${tf.version.tfjs} ${await describe(name)}` };
}
