import { describe, expect, it } from 'vitest';
import type { EpochPoint } from './types';
import { bestDevAccuracy, runCell, runLabel, runsToCsv, runsToJson, sortRuns, type RunRecord } from './runs';

function epoch(e: number, dev: number): EpochPoint {
  return { epoch: e, trainLoss: 1, trainAccuracy: dev + 0.01, devLoss: 1, devAccuracy: dev, gap: 0.01, elapsedMs: e * 10 };
}

function run(id: string, lr: number, test: number | null, hidden = [16]): RunRecord {
  return {
    id, network: 'mlp', model: 'mlp', architecture: `784-${hidden.join('-')}-10 · relu`, dataset: 'mnist-bundled',
    startedAt: Date.UTC(2024, 0, 1) + lr * 1e6, durationMs: 1234,
    config: {
      model: 'mlp', net: { hidden, activation: 'leaky_relu', dropout: 0.2 },
      optimizer: { kind: 'sgd', lr, weightDecay: 0.0001 }, batchSize: 64, epochs: 2, seed: 7, trainFraction: 0.9,
    },
    backend: 'WebAssembly SIMD', outcome: 'completed', epochs: [epoch(1, 0.8), epoch(2, 0.85)], loss: [],
    stepsPerEpoch: 10, bestDevAccuracy: 0.85, finalDevAccuracy: 0.85, trainAccuracy: 0.86, testAccuracy: test, hasWeights: false,
  };
}

describe('run records', () => {
  it('reads the table cells from the config', () => {
    const r = run('a', 0.01, 0.9, [256, 128]);
    expect(runCell(r, 'lr')).toBe(0.01);
    expect(runCell(r, 'hidden')).toBe('256-128');
    expect(runCell(r, 'activation')).toBe('leaky_relu');
    expect(runCell(r, 'dropout')).toBe(0.2);
    expect(runCell(r, 'l2')).toBe(0.0001);
    expect(runCell(r, 'epochs')).toBe(2);
    expect(runCell(r, 'seed')).toBe(7);
  });

  it("shows each kind's own hidden and activation cells, and none for a kind it does not know", () => {
    const mlp = run('m', 0.01, 0.9);
    const withNet = (model: string, net: object): RunRecord => ({ ...mlp, config: { ...mlp.config, model, net } as unknown as RunRecord['config'] });
    const cells = (r: RunRecord) => [runCell(r, 'hidden'), runCell(r, 'activation')];
    expect(cells(withNet('rnn', { hidden: 128, layers: 2 }))).toEqual(['128', '']);
    expect(cells(withNet('cnn2head', { channels: [16, 32], fc: 128 }))).toEqual(['', '']);
    expect(cells(withNet('mlp', { hidden: [], activation: 'relu' }))).toEqual(['—', 'relu']);
    expect(cells(withNet('transformer', { hidden: [8] }))).toEqual(['', '']);
    expect(runLabel(withNet('rnn', { hidden: 64 }))).toBe('mlp lr=0.01 b64 h64');
  });

  it('sorts by a column either way, with unknown values last', () => {
    const runs = [run('a', 0.1, 0.8), run('b', 0.001, null), run('c', 0.01, 0.95)];
    expect(sortRuns(runs, 'lr', false).map((r) => r.id)).toEqual(['b', 'c', 'a']);
    expect(sortRuns(runs, 'test', true).map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(sortRuns(runs, 'test', false).map((r) => r.id)).toEqual(['a', 'c', 'b']);
    expect(sortRuns([run('x', 1, 1, [128]), run('y', 1, 1, [16])], 'hidden', false).map((r) => r.id)).toEqual(['y', 'x']);
  });

  it('finds the best dev accuracy, ignoring NaN epochs', () => {
    expect(bestDevAccuracy([epoch(1, 0.5), epoch(2, NaN), epoch(3, 0.7), epoch(4, 0.6)])).toBe(0.7);
    expect(bestDevAccuracy([])).toBeNull();
  });

  it('exports CSV with a header, ISO start times and quoted fields', () => {
    const r = { ...run('a', 0.01, null), dataset: 'my "data", v2' };
    const [header, row, end] = runsToCsv([r]).split('\n');
    expect(header.split(',').slice(0, 4)).toEqual(['id', 'network', 'dataset', 'started']);
    expect(row).toContain('"my ""data"", v2"');
    expect(row).toContain('2024-01-01T');
    expect(row.split(',').length).toBeGreaterThan(header.split(',').length - 1);
    expect(end).toBe('');
  });

  it('exports JSON that parses back to the same records', () => {
    const runs = [run('a', 0.01, 0.9)];
    const parsed = JSON.parse(runsToJson(runs));
    expect(parsed.format).toBe('scratchnet-runs');
    expect(parsed.runs).toEqual(runs);
  });

  it('labels runs for legends', () => {
    expect(runLabel(run('a', 0.01, 0.9), 3)).toBe('#3 mlp lr=0.01 b64 h16');
    const swept = { ...run('b', 0.1, null), sweep: { id: 's', index: 1, total: 2, label: 'lr=0.1 · batch=64' } };
    expect(runLabel(swept, 4)).toBe('#4 mlp lr=0.1 · batch=64');
    expect(runLabel(run('c', 0.5, null))).toBe('mlp lr=0.5 b64 h16');
  });
});
