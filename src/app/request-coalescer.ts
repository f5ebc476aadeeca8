/**
 * The drawing panels' rule for asking the worker about a drawing: one request at a time. A drawing
 * changes faster than the worker answers, so requests made while one runs are folded into one,
 * sent with the drawing as it is when that one returns; the answers in between would be stale anyway.
 */
export class RequestCoalescer {
  private inFlight = false;
  private dirty = false;
  /** Bumped by invalidate(), so a late answer about an erased drawing is dropped. */
  private generation = 0;

  /**
   * `send` starts one request, or returns null when there is nothing to ask about; its answer may
   * be shown only while `isCurrent()` holds.
   */
  constructor(private readonly send: (isCurrent: () => boolean) => Promise<void> | null) {}

  async request(): Promise<void> {
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    const generation = this.generation;
    const sent = this.send(() => generation === this.generation);
    if (!sent) return;
    this.inFlight = true;
    this.dirty = false;
    try {
      await sent;
    } finally {
      this.inFlight = false;
    }
    if (this.dirty) await this.request();
  }

  /** The drawing was erased: the answer to a request still running is no longer current. */
  invalidate(): void {
    this.generation++;
  }
}
