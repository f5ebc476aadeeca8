import type { Backend, Tensor } from '../backend';
import { Rng } from '../rng';

/** One conformance check: runs ops on `ctx.backend` and compares with the float64 reference. */
export interface ConformanceCase {
  name: string;
  run(ctx: CaseContext): Promise<void>;
}

/**
 * Per-case helpers. Tensors made with `ctx.tensor` are disposed by the runner after the case
 * (so a failing case never leaks into the next one); comparisons record the worst error.
 */
export class CaseContext {
  maxError = 0;
  private readonly owned: Tensor[] = [];
  readonly rng: Rng;

  constructor(readonly backend: Backend, readonly tolerance: number, seed: number) {
    this.rng = new Rng(seed);
  }

  tensor(shape: number[], data?: ArrayLike<number>): Tensor {
    const t = this.backend.tensor(shape, data);
    this.owned.push(t);
    return t;
  }

  /** A tensor of uniform values in [lo, hi), returned with its host copy. */
  random(shape: number[], lo = -1, hi = 1): [Tensor, Float64Array] {
    const host = this.uniform(shape.reduce((a, b) => a * b, 1), lo, hi);
    return [this.tensor(shape, host), host];
  }

  uniform(n: number, lo = -1, hi = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.rng.next();
    return out;
  }

  /** Labels as floats in [0, classes). */
  labels(n: number, classes: number): Float64Array {
    return Float64Array.from({ length: n }, () => this.rng.int(classes));
  }

  async read(t: Tensor): Promise<Float64Array> {
    return Float64Array.from(await this.backend.read(t));
  }

  /**
   * Element error |got − want| / max(1, |want|): relative for large values, absolute near zero
   * (a float32 result cannot be relatively exact around 0). Throws past the tolerance.
   */
  async expectClose(label: string, t: Tensor, want: ArrayLike<number>, tolerance = this.tolerance): Promise<void> {
    this.compare(label, await this.read(t), want, tolerance);
  }

  compare(label: string, got: ArrayLike<number>, want: ArrayLike<number>, tolerance = this.tolerance): void {
    if (got.length !== want.length) throw new Error(`${label}: got ${got.length} values, expected ${want.length}`);
    for (let i = 0; i < want.length; i++) {
      const err = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
      if (!(err <= tolerance)) {
        throw new Error(`${label}: element ${i} is ${got[i]}, expected ${want[i]} (error ${err.toExponential(2)} > ${tolerance})`);
      }
      if (err > this.maxError) this.maxError = err;
    }
  }

  /** Exact equality (indices, masks). */
  async expectEqual(label: string, t: Tensor, want: ArrayLike<number>): Promise<void> {
    this.compare(label, await this.read(t), want, 0);
  }

  expectThrow(label: string, fn: () => unknown, pattern: RegExp): void {
    try {
      fn();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!pattern.test(message)) throw new Error(`${label}: threw "${message}", expected ${pattern}`);
      return;
    }
    throw new Error(`${label}: expected an error matching ${pattern}`);
  }

  disposeAll(): void {
    for (const t of this.owned.splice(0)) {
      try {
        this.backend.dispose(t);
      } catch {
        // already disposed by the case itself (dispose tests do that on purpose)
      }
    }
  }
}

/** Matrix shapes [m, n, k] covering batch 1, odd sizes, edges of every tile and the MLP's. */
export const MATMUL_SHAPES: ReadonlyArray<[number, number, number]> = [
  [1, 1, 1], [1, 10, 64], [3, 5, 7], [9, 1, 13], [17, 19, 23], [33, 65, 9], [64, 31, 257], [128, 10, 64],
];

/** [rows, cols] shapes for row-wise ops: batch 1, odd, wide. */
export const ROW_SHAPES: ReadonlyArray<[number, number]> = [[1, 1], [1, 10], [7, 3], [13, 29], [64, 130]];
