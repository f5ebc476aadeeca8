/**
 * A/B timing of one CNN training step (forward + backward, no optimizer) on the wasm backend:
 * this tree's kernels and layers against those of another checkout, IN ONE PROCESS, alternately
 * (A, B, A, B, ...), so both sides see the same load on a shared machine. Prints the median ms
 * per step of each side and B's speed-up.
 *   git worktree add .cache/wt-base <commit> && (cd .cache/wt-base && ln -s ../../node_modules &&
 *     node scripts/build-wasm.mjs)
 *   npx tsx bench/cnn-step-ab.ts --baseline .cache/wt-base [--rounds 7] [--steps 5] [--batch 128]
 *     [--model cnn|cnn2head]
 * A = the baseline checkout, B = this tree.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    steps: { type: 'string', default: '5' },
    batch: { type: 'string', default: '128' },
    model: { type: 'string', default: 'cnn' },
  },
});

interface Side {
  name: string;
  /** Runs `steps` training steps; returns ms per step. */
  time(steps: number): number;
}

/** The model, loss and a random batch built from the kernels and layers of the tree at `root`. */
async function sideOf(name: string, root: string, batch: number, kind: string): Promise<Side> {
  const load = (file: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(path.resolve(root, file)).href) as Promise<Record<string, unknown>>;
  const { WasmBackend } = (await load('src/kernels/wasm/index.ts')) as { WasmBackend: new () => never };
  const models = (await load('src/nn/models/index.ts')) as {
    CnnModel: new (b: unknown, kind: string, config: object, seed: number) => StepModel;
    lossFor: (model: StepModel) => StepLoss;
  };
  const backend = new WasmBackend() as unknown as StepBackend;
  // The page's seed CNN: conv 16, conv 32 (3×3, pad 1), fc 256, dropout 0.4.
  const model = new models.CnnModel(backend, kind, { padding: 1, channels: [16, 32], fc: 256, dropout: 0.4 }, 1);
  const loss = models.lossFor(model);
  const size = 28 * 56;
  const x = backend.tensor([batch, size], Float32Array.from({ length: batch * size }, () => Math.random()));
  const labels = backend.tensor([batch], Float32Array.from({ length: batch }, () => Math.floor(Math.random() * 100)));
  const step = (): void => {
    model.zeroGrad();
    model.backward(loss.forward(model.forward({ input: x }, true), labels).dlogits);
    backend.readSync(model.params[0].grad);
  };
  for (let i = 0; i < 2; i++) step();
  return {
    name,
    time(steps) {
      const start = performance.now();
      for (let i = 0; i < steps; i++) step();
      return (performance.now() - start) / steps;
    },
  };
}

interface StepBackend {
  tensor(shape: number[], data?: Float32Array): unknown;
  readSync(t: unknown): Float32Array;
}
interface StepModel {
  params: { grad: unknown }[];
  zeroGrad(): void;
  forward(batch: { input: unknown }, training: boolean): unknown;
  backward(dlogits: unknown): void;
}
interface StepLoss {
  forward(logits: unknown, labels: unknown): { dlogits: unknown };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (!args.baseline) throw new Error('cnn-step-ab: --baseline <checkout> is required');
  const batch = Number(args.batch), rounds = Number(args.rounds), steps = Number(args.steps);
  const sides = [
    await sideOf(`A ${args.baseline}`, args.baseline, batch, args.model),
    await sideOf('B this tree', '.', batch, args.model),
  ];
  const ms: number[][] = sides.map(() => []);
  for (let r = 0; r < rounds; r++) {
    sides.forEach((side, i) => ms[i].push(side.time(steps)));
    console.log(`round ${r + 1}: ${sides.map((s, i) => `${s.name.split(' ')[0]} ${ms[i][r].toFixed(1)}`).join('  ')} ms/step`);
  }
  const [a, b] = ms.map(median);
  for (const [i, side] of sides.entries()) {
    console.log(`${side.name}: median ${median(ms[i]).toFixed(1)} ms/step (${args.model}, batch ${batch}, ${rounds}×${steps} steps)`);
  }
  console.log(`B/A speed: ${(a / b).toFixed(3)}× (${(100 * (1 - b / a)).toFixed(1)}% less time per step)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
