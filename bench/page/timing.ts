import { MIN_TIMED_STEPS, type Measurement, type TimingOptions } from '../protocol';

/** Whether warm-up is over after `steps` warm steps taking `elapsedMs`. */
export function warmupDone(steps: number, elapsedMs: number, timing: TimingOptions): boolean {
  return steps >= timing.warmupSteps && elapsedMs >= timing.warmupMs;
}

/**
 * Whether measuring is over: both measureMs and minSteps reached, or maxMs passed (slow
 * implementations) once at least MIN_TIMED_STEPS were timed.
 */
export function measureDone(steps: number, elapsedMs: number, timing: TimingOptions): boolean {
  if (elapsedMs >= timing.measureMs && steps >= timing.minSteps) return true;
  return elapsedMs >= timing.maxMs && steps >= MIN_TIMED_STEPS;
}

/**
 * Runs `step` through a warm-up (JIT, shader compilation, pools filling), then times steps until
 * `measureDone`. `check` sees each result (e.g. to refuse a NaN loss). Synchronous steps are not
 * awaited, so a CPU step pays no promise round-trip.
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
  for (let warm = 0; !warmupDone(warm, performance.now() - start, timing); warm++) {
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
    if (measureDone(steps, elapsed, timing)) return { steps, seconds: elapsed / 1000 };
  }
}
