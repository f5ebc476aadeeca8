/**
 * Messages between the Node runner (bench/run.ts), the bench page and its worker.
 * Pure data, no DOM or Node imports: both sides and the unit tests import it.
 */

export const BENCH_MODELS = ['mlp', 'cnn', 'rnn'] as const;
export type BenchModel = (typeof BENCH_MODELS)[number];

/** A2 names; the scratchnet GPU/wasm backends join the list when they exist. */
export const BENCH_IMPLS = ['scratchnet-cpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl'] as const;
export type BenchImplName = (typeof BENCH_IMPLS)[number];

/** The implementation every peer is compared with. */
export const REFERENCE_IMPL: BenchImplName = 'scratchnet-cpu';

/** Batch size of each benchmark net (A2). */
export const BENCH_BATCH: Record<BenchModel, number> = { mlp: 128, cnn: 256, rnn: 64 };

/** Implementations whose 512³ matmul is timed beside the training figures. */
export const MATMUL_IMPLS: readonly BenchImplName[] = ['scratchnet-cpu', 'tfjs-cpu', 'tfjs-wasm'];
export const MATMUL_SIZE = 512;

export interface TimingOptions {
  /** Steps run (and thrown away) for at least this long before measuring. */
  warmupMs: number;
  /** Measure until at least this long has passed… */
  measureMs: number;
  /** …and at least this many steps were timed. */
  minSteps: number;
  /** Stop measuring after this long even if minSteps was not reached (very slow peers). */
  maxMs: number;
}

export type BenchJob =
  | { kind: 'train'; impl: BenchImplName; model: BenchModel; batch: number; seed: number; timing: TimingOptions }
  | { kind: 'matmul'; impl: BenchImplName; n: number; timing: TimingOptions };

export interface Measurement {
  steps: number;
  seconds: number;
}

/** What the worker answers: a measurement, or why it could not produce one. */
export type JobOutcome =
  | { ok: true; measurement: Measurement; detail?: string }
  | { ok: false; error: string };

/** Message shown (and written as "error") for a model an implementation has no builder for yet. */
export const NOT_IMPLEMENTED = 'not implemented yet';
