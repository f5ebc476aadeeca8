/**
 * CPU matmul throughput: `npx tsx bench/matmul.ts [--seconds S]`.
 * Prints GFLOP/s (2·M·N·K per call) at 512³ for all transpose combinations, at every matmul of
 * one training step of the benchmark MLP (784-256-128-64-10, batch 128), and a naive i-k-j loop
 * for scale.
 */
import type { MatmulOptions } from '../src/kernels/backend';
import { CpuBackend } from '../src/kernels/cpu';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 0.6;

interface Shape { label: string; m: number; n: number; k: number; opts: MatmulOptions }

function timeLoop(run: () => void): number {
  for (let i = 0; i < 3; i++) run();
  let reps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < SECONDS * 1000) {
    run();
    reps++;
    elapsed = performance.now() - start;
  }
  return elapsed / 1000 / reps;
}

function benchShape(b: CpuBackend, s: Shape): number {
  const { m, n, k, opts } = s;
  const fill = (len: number) => Float32Array.from({ length: len }, () => Math.random() - 0.5);
  const a = b.tensor(opts.transA ? [k, m] : [m, k], fill(m * k));
  const w = b.tensor(opts.transB ? [n, k] : [k, n], fill(k * n));
  const out = b.tensor([m, n]);
  const seconds = timeLoop(() => b.matmul(a, w, out, opts));
  for (const t of [a, w, out]) b.dispose(t);
  return seconds;
}

function report(label: string, flops: number, seconds: number): void {
  const gflops = flops / seconds / 1e9;
  console.log(`${label.padEnd(44)} ${gflops.toFixed(2).padStart(6)} GFLOP/s  ${(seconds * 1e3).toFixed(3).padStart(8)} ms`);
}

function naiveIkj(a: Float32Array, w: Float32Array, out: Float32Array, m: number, n: number, k: number): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      for (let j = 0; j < n; j++) out[i * n + j] += av * w[p * n + j];
    }
  }
}

function mlpShapes(batch: number, sizes: number[]): Shape[] {
  const shapes: Shape[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [inp, outp] = [sizes[l], sizes[l + 1]];
    shapes.push({ label: `fc${l + 1} fwd   x·Wᵀ  ${batch}×${inp}·(${outp}×${inp})ᵀ`, m: batch, n: outp, k: inp, opts: { transB: true } });
    shapes.push({ label: `fc${l + 1} dW    dyᵀ·x (${batch}×${outp})ᵀ·${batch}×${inp}`, m: outp, n: inp, k: batch, opts: { transA: true } });
    if (l > 0) {
      shapes.push({ label: `fc${l + 1} dx    dy·W  ${batch}×${outp}·${outp}×${inp}`, m: batch, n: inp, k: outp, opts: {} });
    }
  }
  return shapes;
}

function main(): void {
  const b = new CpuBackend();
  console.log(`CPU backend matmul (f32 storage, float64 accumulation), ${SECONDS}s per shape\n`);
  console.log('512×512×512');
  for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
    const label = `  ${transA ? 'aᵀ' : 'a'}·${transB ? 'bᵀ' : 'b'}`;
    report(label, 2 * 512 ** 3, benchShape(b, { label, m: 512, n: 512, k: 512, opts: { transA, transB } }));
  }
  const [a, w, out] = [new Float32Array(512 * 512).fill(0.5), new Float32Array(512 * 512).fill(0.25), new Float32Array(512 * 512)];
  report('  naive i-k-j loop (reference point)', 2 * 512 ** 3, timeLoop(() => naiveIkj(a, w, out, 512, 512, 512)));

  console.log('\nMLP 784-256-128-64-10, batch 128 (one training step)');
  let totalFlops = 0;
  let totalSeconds = 0;
  for (const s of mlpShapes(128, [784, 256, 128, 64, 10])) {
    const seconds = benchShape(b, s);
    const flops = 2 * s.m * s.n * s.k;
    report(`  ${s.label}`, flops, seconds);
    totalFlops += flops;
    totalSeconds += seconds;
  }
  report('  all matmuls of one step', totalFlops, totalSeconds);
  console.log(`  → matmul-bound ceiling ≈ ${Math.round(128 / totalSeconds)} examples/s`);

  // Last, so float64 arrays do not make the kernels polymorphic while the f32 shapes are timed.
  const b64 = new CpuBackend({ precision: 'f64' });
  console.log('');
  report('512³ a·b with f64 storage', 2 * 512 ** 3, benchShape(b64, { label: '', m: 512, n: 512, k: 512, opts: {} }));
}

main();
