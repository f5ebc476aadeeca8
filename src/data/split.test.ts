import { describe, expect, it } from 'vitest';
import { limitImageSet, splitTrainDev, subsetImageSet } from './split';
import type { ImageSet } from './types';

function numberedSet(count: number): ImageSet {
  const pixels = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) pixels.fill(i % 256, i * 4, i * 4 + 4);
  return { inputShape: [2, 2], classes: ['a', 'b', 'c'], count, pixels, labels: Uint8Array.from({ length: count }, (_, i) => i % 3) };
}

describe('splitTrainDev', () => {
  const set = numberedSet(200);

  it('partitions the examples, keeps pixels with their labels, and is deterministic per seed', () => {
    const a = splitTrainDev(set, 0.9, 7);
    expect([a.train.count, a.dev.count]).toEqual([180, 20]);
    const ids = [...a.train.pixels.filter((_, k) => k % 4 === 0), ...a.dev.pixels.filter((_, k) => k % 4 === 0)];
    expect(new Set(ids).size).toBe(200);
    for (let k = 0; k < a.dev.count; k++) expect(a.dev.labels[k]).toBe(a.dev.pixels[k * 4] % 3);
    const b = splitTrainDev(set, 0.9, 7);
    expect(b.dev.pixels).toEqual(a.dev.pixels);
    const c = splitTrainDev(set, 0.9, 8);
    expect(c.dev.pixels).not.toEqual(a.dev.pixels);
  });

  it('allows an empty dev set and refuses bad fractions', () => {
    expect(splitTrainDev(set, 1, 1).dev.count).toBe(0);
    expect(() => splitTrainDev(set, 0, 1)).toThrow('The train fraction must be in (0, 1]');
    expect(() => splitTrainDev(set, 1.5, 1)).toThrow('The train fraction');
  });
});

describe('subset helpers', () => {
  it('limitImageSet takes a prefix; subsetImageSet refuses out-of-range indices', () => {
    const set = numberedSet(10);
    expect(Array.from(limitImageSet(set, 3).labels)).toEqual([0, 1, 2]);
    expect(limitImageSet(set, 50)).toBe(set);
    expect(() => subsetImageSet(set, [10])).toThrow('Example index 10 is outside 0..9');
  });
});
