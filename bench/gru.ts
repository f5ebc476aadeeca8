/**
 * GRU kernel throughput: `npx tsx bench/gru.ts [--steps N] [--backend cpu|wasm]`.
 * One training step (forward + backward, no optimizer) of the benchmark RNN: a 2-layer
 * bidirectional GRU, H=128, T=100 (every sequence full length), 3 input features, batch 64, and
 * a 10-class classifier on concat(h_fwd_last, h_bwd_last), built from CpuBackend ops the way a
 * layer would: one input-projection matmul per direction, gruForward / gruBackward for the
 * recurrence, weights split by input columns instead of concatenating the two directions.
 */
import { gruCacheShape, type Tensor } from '../src/kernels/backend';
import { CpuBackend } from '../src/kernels/cpu';
import { WasmBackend } from '../src/kernels/wasm';

const stepsArg = process.argv.indexOf('--steps');
const STEPS = stepsArg > 0 ? Number(process.argv[stepsArg + 1]) : 5;
const [T, B, H, FEATURES, CLASSES, LAYERS] = [100, 64, 128, 3, 10, 2];

const backendArg = process.argv.indexOf('--backend');
const BACKEND = backendArg > 0 ? process.argv[backendArg + 1] : 'cpu';
if (BACKEND !== 'cpu' && BACKEND !== 'wasm') throw new Error(`--backend must be cpu or wasm, got ${BACKEND}`);
const b = BACKEND === 'wasm' ? new WasmBackend() : new CpuBackend();
const random = (shape: number[], scale: number): Tensor => {
  const n = shape.reduce((x, y) => x * y, 1);
  return b.tensor(shape, Float32Array.from({ length: n }, () => (Math.random() * 2 - 1) * scale));
};
const zeros = (shape: number[]): Tensor => b.tensor(shape);

/** One direction of one layer: parameters, their gradients and activation buffers. */
class Direction {
  readonly inputs: number[];
  readonly wih: Tensor[]; // one [3H, width] per input part (the columns of weight_ih)
  readonly dwih: Tensor[];
  readonly whh = random([3 * H, H], 1 / Math.sqrt(H));
  readonly bih = random([3 * H], 0.1);
  readonly bhh = random([3 * H], 0.1);
  readonly dwhh = zeros([3 * H, H]);
  readonly dbih = zeros([3 * H]);
  readonly dbhh = zeros([3 * H]);
  readonly xProj = zeros([T * B, 3 * H]);
  readonly dxProj = zeros([T * B, 3 * H]);
  readonly hAll = zeros([T * B, H]);
  readonly cache = zeros(gruCacheShape(T, B, H));
  readonly hLast = zeros([B, H]);

  constructor(readonly reverse: boolean, partWidths: number[]) {
    this.inputs = partWidths;
    this.wih = partWidths.map((w) => random([3 * H, w], 1 / Math.sqrt(H)));
    this.dwih = partWidths.map((w) => zeros([3 * H, w]));
  }
}

const lengths = b.tensor([B], new Array<number>(B).fill(T));
const x = random([T * B, FEATURES], 1);
const layers: Direction[][] = [];
for (let k = 0; k < LAYERS; k++) {
  const widths = k === 0 ? [FEATURES] : [H, H];
  layers.push([new Direction(false, widths), new Direction(true, widths)]);
}
const fcW = [random([CLASSES, H], 0.1), random([CLASSES, H], 0.1)];
const dfcW = [zeros([CLASSES, H]), zeros([CLASSES, H])];
const fcB = random([CLASSES], 0.1), dfcB = zeros([CLASSES]);
const logits = zeros([B, CLASSES]), probs = zeros([B, CLASSES]), dlogits = zeros([B, CLASSES]), loss = zeros([1]);
const labels = b.tensor([B], Array.from({ length: B }, (_, i) => i % CLASSES));
// ∂L/∂hAll per layer and direction (the top layer's stays zero: only hLast feeds the classifier).
const dhAll = layers.map(() => [zeros([T * B, H]), zeros([T * B, H])]);
const dhLast = [zeros([B, H]), zeros([B, H])];
const noDhLast = zeros([B, H]);

let recurrentMs = 0;
const timed = (run: () => void) => {
  const start = performance.now();
  run();
  recurrentMs += performance.now() - start;
};

function inputsOf(k: number): Tensor[] {
  return k === 0 ? [x] : [layers[k - 1][0].hAll, layers[k - 1][1].hAll];
}

function forward(): void {
  for (let k = 0; k < LAYERS; k++) {
    const parts = inputsOf(k);
    for (const d of layers[k]) {
      parts.forEach((p, i) => b.matmul(p, d.wih[i], d.xProj, { transB: true, accumulate: i > 0 }));
      b.addRowVector(d.xProj, d.bih, d.xProj);
      const { xProj, whh, bhh, reverse, hAll, cache, hLast } = d;
      timed(() => b.gruForward({ xProj, whh, bhh, lengths, reverse, hAll, cache, hLast }));
    }
  }
  const top = layers[LAYERS - 1];
  top.forEach((d, i) => b.matmul(d.hLast, fcW[i], logits, { transB: true, accumulate: i > 0 }));
  b.addRowVector(logits, fcB, logits);
  b.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, 0);
}

function backward(): void {
  const top = layers[LAYERS - 1];
  top.forEach((d, i) => {
    b.matmul(dlogits, d.hLast, dfcW[i], { transA: true });
    b.matmul(dlogits, fcW[i], dhLast[i]);
  });
  b.sumRows(dlogits, dfcB);
  for (let k = LAYERS - 1; k >= 0; k--) {
    const parts = inputsOf(k);
    layers[k].forEach((d, dir) => {
      const { whh, reverse, hAll, cache, dxProj, dwhh, dbhh } = d;
      const dLast = k === LAYERS - 1 ? dhLast[dir] : noDhLast;
      b.fill(dwhh, 0);
      b.fill(dbhh, 0);
      timed(() => b.gruBackward({ whh, lengths, reverse, hAll, cache, dhAll: dhAll[k][dir], dhLast: dLast, dxProj, dwhh, dbhh }));
      b.sumRows(dxProj, d.dbih);
      parts.forEach((p, i) => b.matmul(dxProj, p, d.dwih[i], { transA: true }));
      // ∂L/∂(layer below's outputs): both directions of this layer read both parts.
      if (k > 0) parts.forEach((_, i) => b.matmul(dxProj, d.wih[i], dhAll[k - 1][i], { accumulate: dir > 0 }));
    });
  }
}

function main(): void {
  console.log(`2-layer BiGRU H=${H}, T=${T}, batch ${B} (${BACKEND} backend, f32): forward + backward, ${STEPS} timed steps`);
  for (let i = 0; i < 2; i++) { forward(); backward(); }
  const allocations = b.stats().allocations;
  const growths = growthsOf(b.stats());
  recurrentMs = 0;
  let forwardMs = 0;
  const start = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const f0 = performance.now();
    forward();
    forwardMs += performance.now() - f0;
    backward();
  }
  const totalMs = (performance.now() - start) / STEPS;
  forwardMs /= STEPS;
  recurrentMs /= STEPS;
  console.log(`  step ${totalMs.toFixed(0)} ms (forward ${forwardMs.toFixed(0)} ms, backward ${(totalMs - forwardMs).toFixed(0)} ms)`);
  console.log(`  gruForward + gruBackward (4 directions): ${recurrentMs.toFixed(0)} ms; projections, classifier, loss: ${(totalMs - recurrentMs).toFixed(0)} ms`);
  console.log(`  → ${(B / (totalMs / 1000)).toFixed(1)} examples/s (loss ${b.readSync(loss)[0].toFixed(3)})`);
  console.log(`  pool allocations during timed steps: ${b.stats().allocations - allocations}`);
  console.log(`  scratch / wasm memory growths during timed steps: ${growthsOf(b.stats()) - growths}`);
}

function growthsOf(stats: { scratchGrowths: number }): number {
  return stats.scratchGrowths + ('wasmMemoryGrowths' in stats ? Number(stats.wasmMemoryGrowths) : 0);
}

main();
