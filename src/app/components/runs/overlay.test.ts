import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../train/runs';
import { overlaySeries, seriesColor, seriesExtent } from './overlay';

function run(id: string, stepsPerEpoch: number | null): RunRecord {
  return {
    id, network: 'mlp', model: 'mlp', architecture: '', dataset: 'd', startedAt: 0, durationMs: 0,
    config: { model: 'mlp', net: { hidden: [], activation: 'relu' }, optimizer: { kind: 'sgd', lr: 0.1, weightDecay: 0 }, batchSize: 8, epochs: 2, seed: 1, trainFraction: 0.9 },
    backend: '', outcome: 'completed',
    epochs: [
      { epoch: 1, trainLoss: 1, trainAccuracy: 0.6, devLoss: 1, devAccuracy: 0.5, gap: 0.1, elapsedMs: 1 },
      { epoch: 2, trainLoss: 1, trainAccuracy: 0.8, devLoss: 1, devAccuracy: NaN, gap: NaN, elapsedMs: 2 },
    ],
    loss: [{ step: 5, epoch: 1, loss: 2 }, { step: 10, epoch: 1, loss: 1 }, { step: 20, epoch: 2, loss: Infinity }],
    stepsPerEpoch, bestDevAccuracy: 0.5, finalDevAccuracy: null, trainAccuracy: 0.8, testAccuracy: null, hasWeights: false,
  };
}

describe('overlay series', () => {
  it('puts loss on an epoch axis and drops non-finite values; one colour per run', () => {
    const series = overlaySeries([run('a', 10), run('b', null)], 'loss', (r) => `run ${r.id}`);
    expect(series[0]).toEqual({ id: 'a', label: 'run a', color: seriesColor(0), points: [{ x: 0.5, y: 2 }, { x: 1, y: 1 }] });
    // Without steps per epoch the step itself is the x.
    expect(series[1].points.map((p) => p.x)).toEqual([5, 10]);
    expect(series[1].color).not.toBe(series[0].color);
  });

  it('takes dev accuracy and gap per epoch', () => {
    expect(overlaySeries([run('a', 10)], 'devAccuracy', () => '')[0].points).toEqual([{ x: 1, y: 0.5 }]);
    expect(overlaySeries([run('a', 10)], 'gap', () => '')[0].points).toEqual([{ x: 1, y: 0.1 }]);
  });

  it('finds the extent over every series', () => {
    const series = overlaySeries([run('a', 10), run('b', null)], 'loss', () => '');
    expect(seriesExtent(series, 'x')).toEqual([0.5, 10]);
    expect(seriesExtent(series, 'y')).toEqual([1, 2]);
    expect(seriesExtent([], 'y')).toEqual([0, 1]);
  });
});
