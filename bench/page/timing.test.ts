import { describe, expect, it } from 'vitest';
import { MIN_TIMED_STEPS, type TimingOptions } from '../protocol';
import { measureDone, timeSteps, warmupDone } from './timing';

const timing: TimingOptions = { warmupMs: 100, warmupSteps: 1, measureMs: 1000, minSteps: 3, maxMs: 5000 };

describe('warmupDone', () => {
  it('needs both the warm-up steps and the warm-up time', () => {
    expect(warmupDone(0, 500, timing)).toBe(false);
    expect(warmupDone(1, 50, timing)).toBe(false);
    expect(warmupDone(1, 100, timing)).toBe(true);
  });
});

describe('measureDone', () => {
  it('stops once measureMs and minSteps are both reached', () => {
    expect(measureDone(3, 999, timing)).toBe(false);
    expect(measureDone(2, 1500, timing)).toBe(false);
    expect(measureDone(3, 1000, timing)).toBe(true);
  });

  it('caps a slow implementation at maxMs, but never below the minimum of timed steps', () => {
    expect(measureDone(MIN_TIMED_STEPS, 5000, timing)).toBe(true);
    expect(measureDone(1, 12000, timing)).toBe(false);
    expect(MIN_TIMED_STEPS).toBeGreaterThanOrEqual(2);
  });
});

describe('timeSteps', () => {
  it('runs the warm-up, then times at least minSteps, checking every result', async () => {
    let calls = 0;
    const seen: number[] = [];
    const fast = { warmupMs: 0, warmupSteps: 2, measureMs: 0, minSteps: 4, maxMs: 0 };
    const m = await timeSteps(() => ++calls, fast, (v) => seen.push(v));
    expect(m.steps).toBe(MIN_TIMED_STEPS);
    expect(calls).toBe(2 + MIN_TIMED_STEPS);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('awaits asynchronous steps and propagates a failed check', async () => {
    const fast = { warmupMs: 0, warmupSteps: 1, measureMs: 0, minSteps: 3, maxMs: 60000 };
    const m = await timeSteps(async () => 1, fast);
    expect(m.steps).toBe(3);
    await expect(timeSteps(async () => NaN, fast, (v) => {
      if (Number.isNaN(v)) throw new Error('loss became NaN');
    })).rejects.toThrow('loss became NaN');
  });
});
