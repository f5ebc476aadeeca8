/**
 * Gives the event loop a turn so a worker can receive pause/stop messages mid-run.
 * setTimeout(0) is clamped to ≥4 ms after a few nested calls in browsers, so use setImmediate
 * (Node) or a MessageChannel round-trip (browsers, workers) when available.
 */
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((r) => g.setImmediate!(r));
  if (typeof MessageChannel === 'function') {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    return new Promise((r) => {
      waiting.push(r);
      channel!.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

/** Calls yieldToEventLoop at most every `everyMs`, so short steps are not slowed by constant yielding. */
export class Yielder {
  private last = performance.now();

  constructor(private readonly everyMs = 8) {}

  maybeYield(): Promise<void> | null {
    const now = performance.now();
    if (now - this.last < this.everyMs) return null;
    this.last = now;
    return yieldToEventLoop().then(() => {
      this.last = performance.now();
    });
  }
}
