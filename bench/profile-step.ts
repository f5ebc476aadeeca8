/**
 * Per-op profile of one seed-CNN training step on a backend:
 *   npx tsx bench/profile-step.ts [--backend wasm|cpu] [--steps 12] [--batch 256] [--split] [--model]
 * Conv(3×3,16,pad1)–ReLU–Pool–Conv(3×3,32,pad1)–ReLU–Pool–FC(256)–ReLU–Dropout(0.4)–FC(100),
 * softmax CE, backward (no input gradient for the first conv) and Adam on the 8 params, on
 * 1×28×56 inputs. Prints wall and CPU ms per step (CPU time is the steadier figure on a shared
 * machine) and the wall time of every op, summed by op and shape.
 */
import type { Backend, Tensor } from '../src/kernels/backend';
import { CpuBackend } from '../src/kernels/cpu';
import { WasmBackend } from '../src/kernels/wasm';
import { CnnModel, lossFor } from '../src/nn/models';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const BACKEND = arg('--backend', 'wasm'), STEPS = Number(arg('--steps', '12')), B = Number(arg('--batch', '256'));
const opMs = new Map<string, number>();

/**
 * With --model, the step is the page's CnnModel instead (conv → pool → ReLU: the ReLU on the
 * pooled map; fc 256, dropout 0.4), forward and backward only.
 */
function modelStep(b: Backend): (step: number) => number {
  const model = new CnnModel(b, 'cnn', { padding: 1, channels: [16, 32], fc: 256, dropout: 0.4 }, 1);
  const loss = lossFor(model), size = 28 * 56;
  const x = b.tensor([B, size], Float32Array.from({ length: B * size }, () => Math.random()));
  const labels = b.tensor([B], Float32Array.from({ length: B }, () => Math.floor(Math.random() * 100)));
  return () => {
    model.zeroGrad();
    const out = loss.forward(model.forward({ input: x }, true), labels);
    model.backward(out.dlogits);
    return b.readSync!(out.loss)[0];
  };
}

/**
 * With --split, the wasm conv's own calls (im2col, GEMM, bias scatter, ...) are timed too, under
 * "  conv:" labels, so the share of a conv op that is not GEMM shows (they nest inside the ops).
 */
function timeConvParts(backend: WasmBackend): void {
  const inner = backend as unknown as { conv: Record<string, unknown> };
  const conv = inner.conv as unknown as { k: Record<string, unknown>; gemm: Record<string, unknown> };
  const wrap = (obj: Record<string, unknown>, names: readonly string[], prefix: string): void => {
    for (const name of names) {
      const fn = obj[name] as ((...a: unknown[]) => unknown) | undefined;
      if (!fn) continue;
      obj[name] = (...args: unknown[]) => {
        // A GEMM is named by its m×n×k, so each conv op's product shows apart.
        const label = `  ${prefix}${name}${name.startsWith('run') ? ` ${args.slice(3, 6).join('×')}` : ''}`;
        const start = performance.now();
        const result = fn.apply(obj, args);
        opMs.set(label, (opMs.get(label) ?? 0) + performance.now() - start);
        return result;
      };
    }
  };
  // Copies, so the backend's own matmul and elementwise calls stay untimed here.
  conv.k = { ...conv.k };
  conv.gemm = Object.create(conv.gemm) as Record<string, unknown>;
  wrap(conv.k, Object.keys(conv.k).filter((n) => /im2col|col2im|scatter|gather|conv3x3|Fused|pack/i.test(n)), 'conv:');
  wrap(conv.gemm, ['runInMemory', 'runPackedB'], 'conv:gemm.');
}

/** The backend with every op timed into opMs (tensor/readSync/stats pass through untimed). */
function timed(inner: Backend): Backend {
  return new Proxy(inner, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (key === 'tensor' || key === 'readSync' || key === 'dispose') return fn.bind(target);
      return (...args: unknown[]) => {
        const start = performance.now();
        const result = fn.apply(target, args);
        const name = labelOf(String(key), args);
        opMs.set(name, (opMs.get(name) ?? 0) + performance.now() - start);
        return result;
      };
    },
  });
}

function labelOf(op: string, args: unknown[]): string {
  if (op.startsWith('conv2d') || op === 'maxPool2d') return `${op} ${(args[0] as Tensor).shape.slice(1).join('×')}`;
  if (op === 'matmul') return `matmul → [${(args[2] as Tensor).shape.join(',')}]`;
  return op;
}

function seedCnnStep(b: Backend): (step: number) => number {
  const F = 32 * 7 * 14;
  const rnd = (shape: number[], s: number): Tensor =>
    b.tensor(shape, Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => (Math.random() * 2 - 1) * s));
  const t = (shape: number[]): Tensor => b.tensor(shape);
  const x = rnd([B, 1, 28, 56], 1), labels = b.tensor([B], Float32Array.from({ length: B }, () => Math.floor(Math.random() * 100)));
  const w1 = rnd([16, 1, 3, 3], 0.3), b1 = t([16]), w2 = rnd([32, 16, 3, 3], 0.1), b2 = t([32]);
  const fw1 = rnd([256, F], 0.02), fb1 = t([256]), fw2 = rnd([100, 256], 0.06), fb2 = t([100]);
  const a1 = t([B, 16, 28, 56]), p1 = t([B, 16, 14, 28]), i1 = t([B, 16, 14, 28]);
  const a2 = t([B, 32, 14, 28]), p2 = t([B, 32, 7, 14]), i2 = t([B, 32, 7, 14]);
  const h = t([B, 256]), hd = t([B, 256]), mask = t([B, 256]), logits = t([B, 100]), probs = t([B, 100]);
  const dlogits = t([B, 100]), loss = t([1]), dh = t([B, 256]), dp2 = t([B, 32, 7, 14]), da2 = t([B, 32, 14, 28]);
  const dp1 = t([B, 16, 14, 28]), da1 = t([B, 16, 28, 56]);
  const grads = [[w1, t([16, 1, 3, 3])], [b1, t([16])], [w2, t([32, 16, 3, 3])], [b2, t([32])],
    [fw1, t([256, F])], [fb1, t([256])], [fw2, t([100, 256])], [fb2, t([100])]] as const;
  const [dw1, db1, dw2, db2, dfw1, dfb1, dfw2, dfb2] = grads.map(([, g]) => g);
  const adam = grads.map(([p, g]) => ({ p, g, m: b.tensor(p.shape), v: b.tensor(p.shape) }));
  return (step) => {
    b.conv2d(x, w1, b1, a1, 1); b.activation('relu', a1, a1); b.maxPool2d(a1, p1, i1);
    b.conv2d(p1, w2, b2, a2, 1); b.activation('relu', a2, a2); b.maxPool2d(a2, p2, i2);
    b.matmul(p2, fw1, h, { transB: true }); b.addRowVector(h, fb1, h); b.activation('relu', h, h);
    b.dropout(h, mask, hd, 0.4, step);
    b.matmul(hd, fw2, logits, { transB: true }); b.addRowVector(logits, fb2, logits);
    b.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, 0);
    b.matmul(dlogits, hd, dfw2, { transA: true }); b.sumRows(dlogits, dfb2); b.matmul(dlogits, fw2, dh);
    b.mul(dh, mask, dh); b.activationBackward('relu', h, h, dh, dh);
    b.matmul(dh, p2, dfw1, { transA: true }); b.sumRows(dh, dfb1); b.matmul(dh, fw1, dp2);
    b.maxPool2dBackward(dp2, i2, da2); b.activationBackward('relu', a2, a2, da2, da2);
    b.conv2dBackwardWeight(p1, da2, dw2, db2, 1); b.conv2dBackwardInput(da2, w2, dp1, 1);
    b.maxPool2dBackward(dp1, i1, da1); b.activationBackward('relu', a1, a1, da1, da1);
    b.conv2dBackwardWeight(x, da1, dw1, db1, 1);
    for (const q of adam) b.adamStep(q.p, q.g, q.m, q.v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, weightDecay: 1e-4, decoupled: false });
    return b.readSync!(loss)[0];
  };
}

function main(): void {
  if (BACKEND !== 'wasm' && BACKEND !== 'cpu') throw new Error(`--backend must be wasm or cpu, got ${BACKEND}`);
  const backend = BACKEND === 'wasm' ? new WasmBackend() : new CpuBackend();
  if (process.argv.includes('--split') && backend instanceof WasmBackend) timeConvParts(backend);
  const step = (process.argv.includes('--model') ? modelStep : seedCnnStep)(timed(backend));
  for (let s = 1; s <= 3; s++) step(s);
  opMs.clear();
  const cpu0 = process.cpuUsage(), wall0 = performance.now();
  let loss = NaN;
  for (let s = 4; s < 4 + STEPS; s++) loss = step(s);
  const cpu = process.cpuUsage(cpu0), wallMs = (performance.now() - wall0) / STEPS;
  const cpuMs = (cpu.user + cpu.system) / 1000 / STEPS;
  console.log(`seed CNN training step, ${BACKEND}, batch ${B}, ${STEPS} steps (loss ${loss.toFixed(3)})`);
  console.log(`  wall ${wallMs.toFixed(1)} ms/step → ${Math.round(B / wallMs * 1000)} examples/s; ` +
    `CPU ${cpuMs.toFixed(1)} ms/step → ${Math.round(B / cpuMs * 1000)} examples/s`);
  const total = [...opMs].filter(([name]) => !name.startsWith(' ')).reduce((a, [, ms]) => a + ms, 0);
  for (const [name, ms] of [...opMs].sort((a, c) => c[1] - a[1])) {
    console.log(`  ${name.padEnd(40)} ${(ms / STEPS).toFixed(2).padStart(8)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%`);
  }
}

main();
