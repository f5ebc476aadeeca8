import type { ConfusedPair } from './types';

const DEFAULT_PAIRS = 5;

/**
 * The class pairs most often mixed up, counting both directions (a→b and b→a) together, most
 * first (ties: lower indices first); pairs never confused are left out.
 */
export function confusedPairs(confusion: readonly (readonly number[])[], top = DEFAULT_PAIRS): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  for (let a = 0; a < confusion.length; a++) {
    for (let b = a + 1; b < confusion.length; b++) {
      const count = confusion[a][b] + confusion[b][a];
      if (count > 0) pairs.push({ a, b, count });
    }
  }
  return pairs.sort((x, y) => y.count - x.count || x.a - y.a || x.b - y.b).slice(0, top);
}

/** A 100×100 confusion of numbers 00..99 folded into one 10×10 matrix per digit position. */
export function digitConfusions(confusion: readonly (readonly number[])[]): { tens: number[][]; ones: number[][] } {
  const tens = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const ones = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  confusion.forEach((row, t) => row.forEach((count, p) => {
    tens[Math.floor(t / 10)][Math.floor(p / 10)] += count;
    ones[t % 10][p % 10] += count;
  }));
  return { tens, ones };
}
