import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../train/autotune';
import { logTicks, scatterRows } from './autotune-scatter-data';

function trial(index: number, lr: number, weightDecay: number, devAccuracy: number): TrialResult {
  return { index, phase: 'random', lr, weightDecay, devAccuracy, devLoss: 1, reason: 'completed', seconds: 1 };
}

describe('auto-tune scatter data', () => {
  it('plots finished trials only and flags the best', () => {
    const rows = scatterRows([trial(0, 1e-3, 1e-4, 0.5), trial(1, 3e-3, 1e-4, Number.NaN), trial(2, 3e-4, 2e-5, 0.7)]);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.best)).toEqual([false, true]);
    expect(rows[1]).toMatchObject({ lr: 3e-4, weightDecay: 2e-5, devAccuracy: 0.7 });
  });

  it('spans the values with whole decades', () => {
    expect(logTicks([3e-4, 3e-3])).toEqual([1e-4, 1e-3, 1e-2]);
    expect(logTicks([1e-3])).toEqual([1e-4, 1e-3]);
    expect(logTicks([])).toEqual([1e-4, 1e-3]);
  });
});
