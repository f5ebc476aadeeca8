import type { Measurement, TimingOptions } from '../protocol';

/**
 * Runs `step` through a warm-up (JIT, shader compilation, pools filling), then times steps until
 * both `measureMs` and `minSteps` are reached (or `maxMs` for very slow implementations).
 * `check` sees each result (e.g. to refuse a NaN loss). Synchronous steps are not awaited, so a
 * CPU step pays no promise round-trip.
 */
export async function timeSteps<T>(
  step: () => T | Promise<T>, timing: TimingOptions, check: (value: T) => void = () => {},
): Promise<Measurement> {
  const runOne = (): Promise<void> | undefined => {
    const r = step();
    if (r instanceof Promise) return r.then(check);
    check(r);
    return undefined;
  };
  let start = performance.now();
  for (let warm = 0; warm < 2 || performance.now() - start < timing.warmupMs; warm++) {
    const pending = runOne();
    if (pending) await pending;
  }
  start = performance.now();
  let steps = 0;
  for (;;) {
    const pending = runOne();
    if (pending) await pending;
    steps++;
    const elapsed = performance.now() - start;
    if ((elapsed >= timing.measureMs && steps >= timing.minSteps) || elapsed >= timing.maxMs) {
      return { steps, seconds: elapsed / 1000 };
    }
  }
}
