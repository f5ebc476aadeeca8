import { describe, expect, it } from 'vitest';
import { initialWorkers, workerChoices, workersForRun } from './workers-setting';

describe('workers setting', () => {
  it('defaults to the cores, at most 4, where the page is cross-origin isolated', () => {
    expect(initialWorkers({ crossOriginIsolated: true, hardwareConcurrency: 2, sharedMemory: true }).workers).toBe(2);
    expect(initialWorkers({ crossOriginIsolated: true, hardwareConcurrency: 16, sharedMemory: true }).workers).toBe(4);
    expect(initialWorkers({ crossOriginIsolated: true, sharedMemory: true }).workers).toBe(1);
  });

  it('stays at one worker without isolation or shared memory', () => {
    for (const env of [
      { crossOriginIsolated: false, hardwareConcurrency: 8, sharedMemory: true },
      { crossOriginIsolated: true, hardwareConcurrency: 8, sharedMemory: false },
    ]) {
      const s = initialWorkers(env);
      expect(s.workers).toBe(1);
      expect(workerChoices(s)).toEqual([1]);
      expect(workersForRun({ ...s, workers: 3 })).toBe(1);
    }
  });

  it('offers 1 … the cores (at least 2, at most 8) and runs with the chosen count', () => {
    const s = initialWorkers({ crossOriginIsolated: true, hardwareConcurrency: 1, sharedMemory: true });
    expect(workerChoices(s)).toEqual([1, 2]);
    expect(workerChoices({ ...s, cores: 32 })).toHaveLength(8);
    expect(workersForRun({ ...s, workers: 2 })).toBe(2);
  });
});
