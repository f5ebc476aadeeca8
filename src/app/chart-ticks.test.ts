import { describe, expect, it } from 'vitest';
import { epochTicks, extent, niceTicks, yAxisWidth } from './chart-ticks';

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0, 2.3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 2.3, 8)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(0.77, 1, 5)).toEqual([0.7, 0.8, 0.9, 1]);
    expect(niceTicks(-0.14, 0.01)).toEqual([-0.15, -0.1, -0.05, 0, 0.05]);
  });
  it('survives a flat or empty range', () => {
    expect(niceTicks(1, 1).length).toBeGreaterThan(1);
    expect(niceTicks(NaN, 3)).toEqual([0, 1]);
  });
});

describe('epochTicks', () => {
  it('lists every epoch for short runs and thins long ones', () => {
    expect(epochTicks(3)).toEqual([1, 2, 3]);
    expect(epochTicks(1)).toEqual([1]);
    const long = epochTicks(50);
    expect(long[0]).toBe(1);
    expect(long[long.length - 1]).toBe(50);
    expect(long.length).toBeLessThanOrEqual(9);
  });
});

describe('extent', () => {
  it('finds min and max', () => {
    expect(extent([{ v: 3 }, { v: -1 }, { v: 2 }], (p) => p.v)).toEqual([-1, 3]);
    expect(extent([], (p: { v: number }) => p.v)).toEqual([0, 1]);
  });
});

describe('yAxisWidth', () => {
  it('grows with the longest tick label, so a minus sign is not cut off', () => {
    const gap = ['-15.0%', '-10.0%', '-5.0%', '0.0%'];
    expect(yAxisWidth(gap, 48)).toBeGreaterThan(yAxisWidth(['-5.0%', '0.0%'], 48));
    // "-15.0%" is ~41 px at 11 px, drawn 4 px left of the 6 px tick mark: the axis needs more than 51 px.
    expect(yAxisWidth(gap, 48)).toBeGreaterThanOrEqual(52);
  });
  it('keeps the chart\'s own width for short labels', () => {
    expect(yAxisWidth(['0.0', '2.0', '4.0'])).toBe(44);
    expect(yAxisWidth(['0%', '50%', '100%'], 48)).toBe(48);
    expect(yAxisWidth([])).toBe(44);
  });
});
