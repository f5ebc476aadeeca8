import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatLayers, formatPercent, formatProgress } from './format';

describe('format', () => {
  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(35_000)).toBe('0:35');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('–');
  });

  it('formats the progress line', () => {
    const line = formatProgress({ epoch: 2, epochs: 10, step: 120, stepsPerEpoch: 422, etaMs: 35_000 });
    expect(line).toBe('epoch 2/10 · step 120/422 · 0:35 left');
  });

  it('formats percentages, sizes and layer lists', () => {
    expect(formatPercent(0.9812)).toBe('98.1%');
    expect(formatPercent(NaN)).toBe('–');
    expect(formatBytes(970_000)).toBe('947.3 KB');
    expect(formatBytes(2_500_000)).toBe('2.38 MB');
    expect(formatLayers([256, 128])).toBe('784-256-128-10');
  });
});
