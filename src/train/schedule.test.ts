import { describe, expect, it } from 'vitest';
import { lrAt, withDecay, withWarmup } from './schedule';

describe('lrAt', () => {
  it('constant, cosine and step', () => {
    expect(lrAt(0.1, undefined, 3, 10)).toBe(0.1);
    expect(lrAt(0.1, { kind: 'constant' }, 3, 10)).toBe(0.1);
    expect(lrAt(0.1, { kind: 'cosine' }, 0, 10)).toBeCloseTo(0.1, 12);
    expect(lrAt(0.1, { kind: 'cosine' }, 5, 10)).toBeCloseTo(0.05, 12);
    expect(lrAt(0.1, { kind: 'cosine', minFactor: 0.1 }, 10, 10)).toBeCloseTo(0.01, 12);
    expect(lrAt(0.1, { kind: 'step', everyEpochs: 2, gamma: 0.5 }, 4.5, 10)).toBeCloseTo(0.025, 12);
  });

  it('ramps up linearly over the warmup, then follows the schedule (cosine over the epochs left)', () => {
    const cosine = { kind: 'cosine', minFactor: 0.01, warmupEpochs: 0.5 } as const;
    expect(lrAt(0.004, cosine, 0, 8)).toBeCloseTo(0.004 * 0.002, 12);
    expect(lrAt(0.004, cosine, 0.25, 8)).toBeCloseTo(0.004 * (0.251 / 0.5), 12);
    expect(lrAt(0.004, cosine, 0.5, 8)).toBeCloseTo(0.004, 12);
    expect(lrAt(0.004, cosine, 0.5 + 7.5 / 2, 8)).toBeCloseTo(0.004 * (0.01 + 0.99 / 2), 12);
    expect(lrAt(0.004, cosine, 8, 8)).toBeCloseTo(0.00004, 12);
    // Every kind takes a warmup.
    expect(lrAt(0.1, { kind: 'constant', warmupEpochs: 2 }, 1, 10)).toBeCloseTo(0.1 * (1.001 / 2), 12);
    expect(lrAt(0.1, { kind: 'constant', warmupEpochs: 2 }, 2, 10)).toBe(0.1);
    expect(lrAt(0.1, { kind: 'step', everyEpochs: 2, gamma: 0.5, warmupEpochs: 1 }, 0.5, 10)).toBeCloseTo(0.1 * (0.501 / 1), 12);
    expect(lrAt(0.1, { kind: 'step', everyEpochs: 2, gamma: 0.5, warmupEpochs: 1 }, 2.5, 10)).toBeCloseTo(0.05, 12);
  });
});

describe('the page schedules', () => {
  it('switching between cosine and constant keeps a warmup set on its own', () => {
    expect(withDecay({ kind: 'constant', warmupEpochs: 0.5 }, true)).toEqual({ kind: 'cosine', minFactor: 0.01, warmupEpochs: 0.5 });
    expect(withDecay({ kind: 'cosine', minFactor: 0.01, warmupEpochs: 0.5 }, false)).toEqual({ kind: 'constant', warmupEpochs: 0.5 });
    expect(withDecay(undefined, true)).toEqual({ kind: 'cosine', minFactor: 0.01 });
    expect(withDecay({ kind: 'cosine', minFactor: 0.01 }, false)).toEqual({ kind: 'constant' });
  });

  it('sets or removes a warmup, keeping the decay', () => {
    expect(withWarmup({ kind: 'cosine', minFactor: 0.01 }, 0.5)).toEqual({ kind: 'cosine', minFactor: 0.01, warmupEpochs: 0.5 });
    expect(withWarmup({ kind: 'cosine', minFactor: 0.01, warmupEpochs: 0.5 }, 0)).toEqual({ kind: 'cosine', minFactor: 0.01 });
    expect(withWarmup(undefined, 1)).toEqual({ kind: 'constant', warmupEpochs: 1 });
  });
});
