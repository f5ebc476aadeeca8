/**
 * Seeded PRNG (mulberry32 core + Box–Muller). Same seed ⇒ same stream on every platform, which is
 * what makes "same seed gives bit-identical weights" hold.
 */
export interface RngState {
  state: number;
  spareNormal: number | null;
}

export class Rng {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.state = (seed | 0) ^ 0x6d2b79f5;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal. */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** Where the stream is (for a run checkpoint taken mid-epoch). */
  saveState(): RngState {
    return { state: this.state, spareNormal: this.spareNormal };
  }

  loadState(s: RngState): void {
    this.state = s.state | 0;
    this.spareNormal = s.spareNormal;
  }

  /** A 32-bit seed for a child stream (e.g. one per epoch, one for dropout). */
  fork(): number {
    return (this.next() * 4294967296) >>> 0;
  }
}
