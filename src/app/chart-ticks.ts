/**
 * Axis ticks computed here rather than by recharts: its own "nice ticks" run through decimal.js on
 * every data change, which made each chart update cost tens of milliseconds of main thread.
 */

/** Round-number ticks covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) max = min + (min === 0 ? 1 : Math.abs(min) * 0.1);
  const rough = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(step)));
  const first = Math.floor(min / step);
  const ticks: number[] = [];
  for (let i = first; ; i++) {
    const v = Number((i * step).toFixed(decimals)) + 0; // + 0 turns -0 into 0
    ticks.push(v);
    if (v >= max) break;
  }
  return ticks;
}

/** Pixels per character of an 11 px tick label, widest case (digits, '%', '-'), and the tick mark and gap beside it. */
const LABEL_CHAR_PX = 7;
const LABEL_PAD_PX = 12;

/**
 * A y-axis width that holds its longest tick label: a fixed width cut the minus sign off "-15.0%"
 * once a generalization gap fell below -10%. Never narrower than `min`, so the usual charts keep their layout.
 */
export function yAxisWidth(labels: readonly string[], min = 44): number {
  const longest = labels.reduce((n, label) => Math.max(n, label.length), 0);
  return Math.max(min, LABEL_PAD_PX + LABEL_CHAR_PX * longest);
}

/** Integer ticks for an epoch axis 1..last, at most `count` of them. */
export function epochTicks(last: number, count = 8): number[] {
  const n = Math.max(1, last);
  const step = Math.max(1, Math.ceil((n - 1) / Math.max(1, count - 1)));
  const ticks: number[] = [];
  for (let e = 1; e <= n; e += step) ticks.push(e);
  if (ticks[ticks.length - 1] !== n) ticks.push(n);
  return ticks;
}

/** Min and max of one field over a series. */
export function extent<T>(points: readonly T[], value: (p: T) => number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    const v = value(p);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}
