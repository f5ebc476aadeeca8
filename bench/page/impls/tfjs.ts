/**
 * TensorFlow.js peers (benchmark only; never imported from src/). The MLP and CNN are written
 * with raw variables + optimizer.minimize, TF.js's fastest training path, so the comparison is not
 * slowed by tf.layers bookkeeping; the BiGRU uses tf.layers (TF.js has no fused GRU op), applied
 * inside the same minimize step.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  BENCH_ADAM, CNN_BENCH, CNN_INPUT_SIZE, MLP_BENCH, RNN_BENCH, randomBatches, randomMatrix, type HostBatch,
} from '../data';
import type { BenchImpl, MatmulBench, TrainBench, TrainerBuilder } from '../registry';

export type TfjsBackendName = 'cpu' | 'wasm' | 'webgl';

interface Dense { w: tf.Variable; b: tf.Variable }
interface Conv { w: tf.Variable; b: tf.Variable }

function heNormal(shape: number[], fanIn: number, seed: number): tf.Variable {
  return tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
}

function denseStack(sizes: readonly number[], seed: number): Dense[] {
  return sizes.slice(1).map((out, i) => ({ w: heNormal([sizes[i], out], sizes[i], seed + i), b: tf.variable(tf.zeros([out])) }));
}

function denseLogits(layers: Dense[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
    if (i < layers.length - 1) h = tf.relu(h);
  });
  return h;
}

/**
 * One Adam step per call on the next host batch: `logits` builds the forward from the input
 * tensor; only `vars` are trained (all trainable variables when omitted, as with tf.layers).
 */
function minimizeTrainer(
  batches: HostBatch[], inputShape: number[], classes: number,
  logits: (x: tf.Tensor) => tf.Tensor, vars: tf.Variable[] | undefined, release: () => void,
): TrainBench {
  const optimizer = tf.train.adam(BENCH_ADAM.lr, BENCH_ADAM.beta1, BENCH_ADAM.beta2, BENCH_ADAM.eps);
  let t = 0;
  return {
    async step() {
      const b = batches[t++ % batches.length];
      const xs = tf.tensor(b.x, inputShape);
      const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(b.labelsInt, 'int32'), classes));
      const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, logits(xs)) as tf.Scalar, true, vars);
      if (!cost) throw new Error('tfjs minimize returned no loss');
      const loss = (await cost.data())[0];
      tf.dispose([xs, ys, cost]);
      return loss;
    },
    dispose() {
      optimizer.dispose();
      release();
    },
  };
}

const mlpTrainer: TrainerBuilder = async (batch, seed) => {
  const sizes = MLP_BENCH.sizes;
  const classes = sizes[sizes.length - 1];
  const layers = denseStack(sizes, seed);
  const vars = layers.flatMap((l) => [l.w, l.b]);
  return minimizeTrainer(
    randomBatches(seed, batch, sizes[0], classes), [batch, sizes[0]], classes,
    (x) => denseLogits(layers, x as tf.Tensor2D), vars, () => tf.dispose(vars),
  );
};

/** The seed CNN in NHWC (C = 1, so the host batch's NCHW floats are already in that order). */
const cnnTrainer: TrainerBuilder = async (batch, seed) => {
  const [, height, width] = CNN_BENCH.inputShape;
  const { padding, channels, fc, classes } = CNN_BENCH;
  let inC: number = CNN_BENCH.inputShape[0];
  const convs: Conv[] = channels.map((outC, i) => {
    const conv = { w: heNormal([3, 3, inC, outC], 9 * inC, seed + i), b: tf.variable(tf.zeros([outC])) };
    inC = outC;
    return conv;
  });
  const flat = (height >> channels.length) * (width >> channels.length) * inC;
  const dense = denseStack([flat, fc, classes], seed + channels.length);
  const vars = [...convs, ...dense].flatMap((l) => [l.w, l.b]);
  const logits = (x: tf.Tensor): tf.Tensor => {
    let h = x as tf.Tensor4D;
    for (const c of convs) {
      h = tf.relu(tf.add(tf.conv2d(h, c.w as tf.Tensor4D, 1, padding), c.b));
      h = tf.maxPool(h, 2, 2, 'valid');
    }
    return denseLogits(dense, tf.reshape(h, [batch, flat]));
  };
  return minimizeTrainer(
    randomBatches(seed, batch, CNN_INPUT_SIZE, classes), [batch, height, width, 1], classes, logits, vars, () => tf.dispose(vars),
  );
};

/** 2-layer BiGRU (sequences out of the first, final states out of the second), then a dense classifier. */
const rnnTrainer: TrainerBuilder = async (batch, seed) => {
  const { hidden, layers, steps, features, classes } = RNN_BENCH;
  const model = tf.sequential();
  for (let l = 0; l < layers; l++) {
    const gru = tf.layers.gru({
      units: hidden, returnSequences: l < layers - 1, recurrentActivation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + l }),
    });
    model.add(tf.layers.bidirectional({ layer: gru as tf.RNN, mergeMode: 'concat', ...(l === 0 ? { inputShape: [steps, features] } : {}) }));
  }
  model.add(tf.layers.dense({ units: classes }));
  return minimizeTrainer(
    randomBatches(seed, batch, steps * features, classes), [batch, steps, features], classes,
    (x) => model.apply(x, { training: true }) as tf.Tensor, undefined, () => model.dispose(),
  );
};

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
  return {
    trainers: { mlp: mlpTrainer, cnn: cnnTrainer, rnn: rnnTrainer },
    matmul: matmulBench,
    detail: `tfjs ${tf.version.tfjs} ${await describe(name)}`,
  };
}
