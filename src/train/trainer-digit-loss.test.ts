import { describe, expect, it } from 'vitest';
import { makePairedMnist } from '../data/pairs';
import { CpuBackend } from '../kernels/cpu';
import { stateDictOf } from '../nn/models';
import type { StateDict } from '../nn/types';
import { dataParallel } from './data-parallel';
import { inProcessTransport } from './data-parallel-inprocess';
import { evaluate } from './evaluate';
import { defaultCnnTrainConfig } from './presets';
import { readBundledMnistSplit } from './testing/shared-data';
import { Trainer } from './trainer';
import type { CnnTrainConfig, EpochPoint, StepPoint } from './types';

const pairs = makePairedMnist(readBundledMnistSplit('train', 3000), readBundledMnistSplit('test', 500), { trainCount: 600, testCount: 200 });
const small = (overrides: Partial<CnnTrainConfig>): CnnTrainConfig => defaultCnnTrainConfig({
  net: { padding: 1, channels: [4, 8], fc: 32, dropout: 0 }, batchSize: 32, epochs: 3, augment: undefined,
  optimizer: { kind: 'adam', lr: 1e-2, weightDecay: 0 }, ...overrides,
});

async function train(config: CnnTrainConfig, workers = 1): Promise<{ trainer: Trainer; epochs: EpochPoint[]; steps: StepPoint[] }> {
  const epochs: EpochPoint[] = [], steps: StepPoint[] = [];
  const trainer = new Trainer(new CpuBackend(), config, pairs, { onEpoch: (e) => epochs.push(e), onSteps: (p) => steps.push(...p) });
  if (workers > 1) trainer.useGradientSource(dataParallel(workers, inProcessTransport(() => new CpuBackend())));
  expect(await trainer.run()).toBe('completed');
  return { trainer, epochs, steps };
}

function maxDifference(a: StateDict, b: StateDict): number {
  let worst = 0;
  for (const [name, t] of a) t.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b.get(name)!.data[i]))));
  return worst;
}

describe('cnn with the digit loss (λ > 0)', () => {
  it('lowers its loss and learns the digits faster than plain cross-entropy on the same steps', async () => {
    const { trainer, epochs } = await train(small({ digitLoss: 1 }));
    expect(epochs[epochs.length - 1].trainLoss).toBeLessThan(0.9 * epochs[0].trainLoss);
    const plain = await train(small({}));
    // The reported loss is CE + λ·(two digit CEs): above plain CE's on the same first steps.
    expect(epochs[0].trainLoss).toBeGreaterThan(plain.epochs[0].trainLoss + 2);
    const withDigits = evaluate(trainer.model, pairs.test, 'test').digitAccuracy!;
    const without = evaluate(plain.trainer.model, pairs.test, 'test').digitAccuracy!;
    expect(withDigits.tens).toBeGreaterThan(0.2);
    expect(withDigits.ones).toBeGreaterThan(0.2);
    // 51 steps on 540 pairs: plain 100-way cross-entropy has barely started on the digits (≈ 10%).
    expect(withDigits.tens + withDigits.ones).toBeGreaterThan(without.tens + without.ones + 0.1);
  });

  it('gives data-parallel helpers the same loss: 2 workers match 1', async () => {
    const config = small({ digitLoss: 0.5, epochs: 1, batchSize: 24 });
    const one = await train(config);
    const two = await train(config, 2);
    expect(maxDifference(stateDictOf(one.trainer.model), stateDictOf(two.trainer.model))).toBeLessThan(2e-4);
    two.steps.forEach((p, i) => expect(p.loss).toBeCloseTo(one.steps[i].loss, 4));
  });
});
