/**
 * WebAssembly SIMD matmul vs the JS CPU kernel: `npx tsx bench/wasm-matmul.ts [--seconds S]`.
 * Prints GFLOP/s (2·M·N·K per call) at 512³ for every transpose combination, at every matmul of
 * one training step of the benchmark MLP (784-256-128-64-10, batch 128), the share of a wasm
 * call spent copying operands in and out of wasm memory, and MLP training examples/s (Adam)
 * on both backends.
 */
import type { Backend, MatmulOptions } from '../src/kernels/backend';
import { CpuBackend } from '../src/kernels/cpu';
import { WasmBackend } from '../src/kernels/wasm';
import { SoftmaxCrossEntropy } from '../src/nn/loss';
import { buildModel } from '../src/nn/models/index';
import { createOptimizer } from '../src/nn/optimizers';
import { MLP_BENCH, randomBatches } from './page/data';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 0.8;
const BATCH = 128;

interface Shape { label: string; m: number; n: number; k: number; opts: MatmulOptions }

/** Seconds per call: warm-up, then as many calls as fit in SECONDS; best of three rounds. */
function timeLoop(run: () => void): number {
  for (let i = 0; i < 3; i++) run();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    let reps = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < (SECONDS * 1000) / 3) {
      run();
      reps++;
      elapsed = performance.now() - start;
    }
    best = Math.min(best, elapsed / 1000 / reps);
  }
  return best;
}

const fill = (len: number): Float32Array => Float32Array.from({ length: len }, () => Math.random() - 0.5);

function timeMatmul(b: Backend, s: Shape): number {
  const { m, n, k, opts } = s;
  const a = b.tensor(opts.transA ? [k, m] : [m, k], fill(m * k));
  const w = b.tensor(opts.transB ? [n, k] : [k, n], fill(k * n));
  const out = b.tensor([m, n]);
  const seconds = timeLoop(() => b.matmul(a, w, out, opts));
  for (const t of [a, w, out]) b.dispose(t);
  return seconds;
}

/** What the wasm matmul spends on TypedArray.set copies alone (A and B in, C out, C in if accumulating). */
function timeCopies(s: Shape): number {
  const { m, n, k, opts } = s;
  const memory = new Float32Array(m * k + k * n + m * n);
  const a = fill(m * k), w = fill(k * n), c = fill(m * n);
  return timeLoop(() => {
    memory.set(a, 0);
    memory.set(w, m * k);
    if (opts.accumulate) memory.set(c, m * k + k * n);
    c.set(memory.subarray(m * k + k * n));
  });
}

const gflops = (s: Shape, seconds: number): string => (2 * s.m * s.n * s.k / seconds / 1e9).toFixed(2).padStart(6);

function compare(cpu: Backend, wasm: Backend, shapes: Shape[]): { cpu: number; wasm: number } {
  const total = { cpu: 0, wasm: 0 };
  for (const s of shapes) {
    const tc = timeMatmul(cpu, s), tw = timeMatmul(wasm, s), copy = timeCopies(s);
    total.cpu += tc;
    total.wasm += tw;
    console.log(`${s.label.padEnd(44)} cpu ${gflops(s, tc)}  wasm ${gflops(s, tw)} GFLOP/s  ×${(tc / tw).toFixed(1).padStart(4)}`
      + `  copies ${(100 * copy / tw).toFixed(1).padStart(4)}% of wasm`);
  }
  return total;
}

function mlpShapes(sizes: readonly number[]): Shape[] {
  const shapes: Shape[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [inp, outp] = [sizes[l], sizes[l + 1]];
    shapes.push({ label: `fc${l + 1} fwd   x·Wᵀ  ${BATCH}×${inp}·(${outp}×${inp})ᵀ`, m: BATCH, n: outp, k: inp, opts: { transB: true } });
    shapes.push({ label: `fc${l + 1} dW    dyᵀ·x (${BATCH}×${outp})ᵀ·${BATCH}×${inp}`, m: outp, n: inp, k: BATCH, opts: { transA: true, accumulate: true } });
    if (l > 0) shapes.push({ label: `fc${l + 1} dx    dy·W  ${BATCH}×${outp}·${outp}×${inp}`, m: BATCH, n: inp, k: outp, opts: {} });
  }
  return shapes;
}

/** The app's inner step (as bench/page/impls/scratchnet.ts): examples/s and the final loss. */
function trainRate(backend: Backend, steps: number): { examplesPerSecond: number; loss: number } {
  const [inputSize, ...rest] = MLP_BENCH.sizes;
  const classes = rest[rest.length - 1];
  const model = buildModel(backend, 'mlp', { hidden: rest.slice(0, -1), activation: 'relu', inputSize, outputSize: classes }, 1);
  const batches = randomBatches(1, BATCH, inputSize, classes);
  const x = backend.tensor([BATCH, inputSize]), labels = backend.tensor([BATCH]);
  const lossFn = new SoftmaxCrossEntropy(backend, classes);
  const optimizer = createOptimizer(backend, model.params, {
    kind: 'adam', lr: MLP_BENCH.lr, beta1: MLP_BENCH.beta1, beta2: MLP_BENCH.beta2, eps: MLP_BENCH.eps, weightDecay: 0,
  });
  let t = 0;
  let loss = NaN;
  const step = () => {
    const b = batches[t++ % batches.length];
    backend.write(x, b.x);
    backend.write(labels, b.labels);
    model.zeroGrad();
    const out = lossFn.forward(model.forward({ input: x }, true), labels);
    model.backward(out.dlogits);
    optimizer.step();
    loss = backend.readSync!(out.loss)[0];
  };
  for (let i = 0; i < 3; i++) step();
  // Best of three rounds: other processes on a shared machine only ever slow a round down.
  let seconds = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    for (let i = 0; i < steps; i++) step();
    seconds = Math.min(seconds, (performance.now() - start) / 1000);
  }
  optimizer.dispose();
  lossFn.dispose();
  for (const tensor of [x, labels]) backend.dispose(tensor);
  model.dispose();
  return { examplesPerSecond: (steps * BATCH) / seconds, loss };
}

function main(): void {
  const cpu = new CpuBackend(), wasm = new WasmBackend();
  console.log(`WebAssembly SIMD matmul (4×8 f32x4 tiles${wasm.usesFma ? ', relaxed-simd FMA' : ''}) vs JS CpuBackend, one thread\n`);
  console.log('512×512×512');
  const square = ([[false, false], [true, false], [false, true], [true, true]] as const).map(([transA, transB]) => ({
    label: `  ${transA ? 'aᵀ' : 'a'}·${transB ? 'bᵀ' : 'b'}`, m: 512, n: 512, k: 512, opts: { transA, transB },
  }));
  compare(cpu, wasm, square);

  console.log(`\nMLP ${MLP_BENCH.sizes.join('-')}, batch ${BATCH} (every matmul of one training step)`);
  const total = compare(cpu, wasm, mlpShapes(MLP_BENCH.sizes));
  console.log(`${'  all matmuls of a step'.padEnd(44)} cpu ${(total.cpu * 1e3).toFixed(2)} ms  wasm ${(total.wasm * 1e3).toFixed(2)} ms`);

  console.log(`\nMLP training step (Adam, batch ${BATCH}, forward + backward + update)`);
  const steps = Math.max(20, Math.round(SECONDS * 60));
  for (const [name, backend] of [['cpu', cpu], ['wasm', wasm]] as const) {
    const r = trainRate(backend, steps);
    console.log(`  ${name.padEnd(5)} ${r.examplesPerSecond.toFixed(0).padStart(7)} examples/s  (best of 3×${steps} steps, final loss ${r.loss.toFixed(4)})`);
  }
}

main();
