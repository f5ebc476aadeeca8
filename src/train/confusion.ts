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
