/**
 * Convolution throughput: `npx tsx bench/conv.ts [--seconds S] [--batch B] [--backend cpu|wasm]`
 * (cpu: the JS kernels; wasm: the same plumbing with the WebAssembly SIMD GEMM).
 * Prints GFLOP/s of every conv op at the seed CNN's two conv layers (2·B·O·C·k²·Ho·Wo per call,
 * padded taps included), and examples/s of one full forward+backward of the seed CNN
 * (Conv(3×3,16,pad1)–ReLU–Pool–Conv(3×3,32,pad1)–ReLU–Pool–FC(256)–ReLU–FC(100)) on 1×28×56.
 */
import type { Tensor } from '../src/kernels/backend';
import { CpuBackend } from '../src/kernels/cpu';
import { WasmBackend } from '../src/kernels/wasm';

type BenchBackend = CpuBackend | WasmBackend;

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const SECONDS = argValue('--seconds', 1);
const BATCH = argValue('--batch', 256);
const backendArg = process.argv.indexOf('--backend');
const BACKEND = backendArg > 0 ? process.argv[backendArg + 1] : 'cpu';
if (BACKEND !== 'cpu' && BACKEND !== 'wasm') throw new Error(`--backend must be cpu or wasm, got ${BACKEND}`);

function timeLoop(run: () => void): number {
  for (let i = 0; i < 2; i++) run();
  let reps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < SECONDS * 1000 || reps < 3) {
    run();
    reps++;
    elapsed = performance.now() - start;
  }
  return elapsed / 1000 / reps;
}

function randomTensor(b: BenchBackend, shape: number[], scale = 0.5): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return b.tensor(shape, Float32Array.from({ length: n }, () => (Math.random() * 2 - 1) * scale));
}

function report(label: string, flops: number, seconds: number): void {
  const gflops = flops / seconds / 1e9;
  console.log(`  ${label.padEnd(40)} ${gflops.toFixed(2).padStart(6)} GFLOP/s  ${(seconds * 1e3).toFixed(2).padStart(8)} ms`);
}

interface ConvLayer { name: string; inC: number; h: number; w: number; outC: number }

function benchConvLayer(b: BenchBackend, l: ConvLayer): void {
  const x = randomTensor(b, [BATCH, l.inC, l.h, l.w]), w = randomTensor(b, [l.outC, l.inC, 3, 3]);
  const bias = randomTensor(b, [l.outC]), y = b.tensor([BATCH, l.outC, l.h, l.w]);
  const dy = randomTensor(b, [BATCH, l.outC, l.h, l.w]), dx = b.tensor([BATCH, l.inC, l.h, l.w]);
  const dw = b.tensor([l.outC, l.inC, 3, 3]), db = b.tensor([l.outC]);
  const flops = 2 * BATCH * l.outC * l.inC * 9 * l.h * l.w;
  const shape = `${l.inC}×${l.h}×${l.w} → ${l.outC}`;
  report(`${l.name} forward       ${shape}`, flops, timeLoop(() => b.conv2d(x, w, bias, y, 1)));
  report(`${l.name} backward input`, flops, timeLoop(() => b.conv2dBackwardInput(dy, w, dx, 1)));
  report(`${l.name} backward weight`, flops, timeLoop(() => b.conv2dBackwardWeight(x, dy, dw, db, 1)));
  for (const t of [x, w, bias, y, dy, dx, dw, db]) b.dispose(t);
}

/** The seed CNN's tensors, allocated once; `step()` runs forward + backward, no optimizer. */
function seedCnn(b: BenchBackend): { step: () => number; flops: number } {
  const B = BATCH, F = 32 * 7 * 14;
  const t = (shape: number[]) => b.tensor(shape);
  const x = randomTensor(b, [B, 1, 28, 56], 1);
  const labels = b.tensor([B], Float32Array.from({ length: B }, () => Math.floor(Math.random() * 100)));
  const w1 = randomTensor(b, [16, 1, 3, 3], 0.3), b1 = t([16]), w2 = randomTensor(b, [32, 16, 3, 3], 0.1), b2 = t([32]);
  const fw1 = randomTensor(b, [256, F], 0.02), fb1 = t([256]), fw2 = randomTensor(b, [100, 256], 0.06), fb2 = t([100]);
  const a1 = t([B, 16, 28, 56]), p1 = t([B, 16, 14, 28]), i1 = t([B, 16, 14, 28]);
  const a2 = t([B, 32, 14, 28]), p2 = t([B, 32, 7, 14]), i2 = t([B, 32, 7, 14]);
  const h = t([B, 256]), logits = t([B, 100]), probs = t([B, 100]), dlogits = t([B, 100]), loss = t([1]);
  const dh = t([B, 256]), dp2 = t([B, 32, 7, 14]), da2 = t([B, 32, 14, 28]), dp1 = t([B, 16, 14, 28]), da1 = t([B, 16, 28, 56]);
  const dw1 = t([16, 1, 3, 3]), db1 = t([16]), dw2 = t([32, 16, 3, 3]), db2 = t([32]);
  const dfw1 = t([256, F]), dfb1 = t([256]), dfw2 = t([100, 256]), dfb2 = t([100]);
  const step = (): number => {
    b.conv2d(x, w1, b1, a1, 1);
    b.activation('relu', a1, a1);
    b.maxPool2d(a1, p1, i1);
    b.conv2d(p1, w2, b2, a2, 1);
    b.activation('relu', a2, a2);
    b.maxPool2d(a2, p2, i2);
    b.matmul(p2, fw1, h, { transB: true });
    b.addRowVector(h, fb1, h);
    b.activation('relu', h, h);
    b.matmul(h, fw2, logits, { transB: true });
    b.addRowVector(logits, fb2, logits);
    b.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, 0);
    b.matmul(dlogits, h, dfw2, { transA: true });
    b.sumRows(dlogits, dfb2);
    b.matmul(dlogits, fw2, dh);
    b.activationBackward('relu', h, h, dh, dh); // relu'(h) = relu'(pre-activation) since h = relu(pre)
    b.matmul(dh, p2, dfw1, { transA: true });
    b.sumRows(dh, dfb1);
    b.matmul(dh, fw1, dp2);
    b.maxPool2dBackward(dp2, i2, da2);
    b.activationBackward('relu', a2, a2, da2, da2);
    b.conv2dBackwardWeight(p1, da2, dw2, db2, 1);
    b.conv2dBackwardInput(da2, w2, dp1, 1);
    b.maxPool2dBackward(dp1, i1, da1);
    b.activationBackward('relu', a1, a1, da1, da1);
    b.conv2dBackwardWeight(x, da1, dw1, db1, 1); // no input gradient for the first layer
    return b.readSync(loss)[0];
  };
  const conv1 = 2 * B * 16 * 9 * 28 * 56, conv2 = 2 * B * 32 * 144 * 14 * 28;
  const fc = 2 * B * (F * 256 + 256 * 100);
  return { step, flops: 2 * conv1 + 3 * conv2 + 3 * fc };
}

function main(): void {
  const b = BACKEND === 'wasm' ? new WasmBackend() : new CpuBackend();
  const math = BACKEND === 'wasm' ? `float32 SIMD GEMM${(b as WasmBackend).usesFma ? ' with FMA' : ''}` : 'float64 accumulation';
  console.log(`${BACKEND} conv ops, batch ${BATCH}, 3×3 kernel, pad 1 (f32 storage, ${math}), ${SECONDS}s each\n`);
  benchConvLayer(b, { name: 'conv1', inC: 1, h: 28, w: 56, outC: 16 });
  benchConvLayer(b, { name: 'conv2', inC: 16, h: 14, w: 28, outC: 32 });

  console.log(`\nSeed CNN forward+backward on 1×28×56, batch ${BATCH}`);
  const { step, flops } = seedCnn(b);
  const loss = step();
  if (!Number.isFinite(loss)) throw new Error(`seed CNN produced a non-finite loss ${loss}`);
  const before = b.stats();
  const seconds = timeLoop(step);
  const after = b.stats();
  report('one training step (no optimizer)', flops, seconds);
  console.log(`  → ${Math.round(BATCH / seconds)} examples/s`);
  const grew = after.allocations !== before.allocations || after.scratchGrowths !== before.scratchGrowths
    || wasmGrowths(after) !== wasmGrowths(before);
  console.log(`  allocations during timed steps: ${grew ? 'YES (regression!)' : 'none'}`);
}

function wasmGrowths(stats: object): number {
  return 'wasmMemoryGrowths' in stats ? Number(stats.wasmMemoryGrowths) : 0;
}

main();
