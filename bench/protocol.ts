/**
 * Messages between the Node runner (bench/run.ts), the bench page and its worker.
 * Pure data, no DOM or Node imports: both sides and the unit tests import it.
 */

export const BENCH_MODELS = ['mlp', 'cnn', 'rnn'] as const;
export type BenchModel = (typeof BENCH_MODELS)[number];

/** A2 names: ours first, then the TensorFlow.js peers. */
export const BENCH_IMPLS = [
  'scratchnet-cpu', 'scratchnet-wasm', 'scratchnet-webgl2', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl',
] as const;
export type BenchImplName = (typeof BENCH_IMPLS)[number];

/** Our implementations: each is compared with the peers of the same run. */
export const SCRATCHNET_IMPLS: readonly BenchImplName[] = ['scratchnet-cpu', 'scratchnet-wasm', 'scratchnet-webgl2'];

/** The peers (TensorFlow.js backends). */
export const PEER_IMPLS: readonly BenchImplName[] = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl'];

/** The peer every scratchnet impl is also compared with on the MLP (the historical baseline). */
export const MLP_BASELINE_IMPL: BenchImplName = 'tfjs-cpu';

export function isScratchnet(impl: BenchImplName): boolean {
  return SCRATCHNET_IMPLS.includes(impl);
}

/** Impls that can train data-parallel (kernels with synchronous reads); others run their 1-worker row only. */
export const DATA_PARALLEL_IMPLS: readonly BenchImplName[] = ['scratchnet-cpu', 'scratchnet-wasm'];

/** Batch size of each benchmark net (A2). */
export const BENCH_BATCH: Record<BenchModel, number> = { mlp: 128, cnn: 256, rnn: 64 };

/** Implementations whose 512³ matmul is timed beside the training figures (all of them). */
export const MATMUL_IMPLS: readonly BenchImplName[] = BENCH_IMPLS;
export const MATMUL_SIZE = 512;

export interface TimingOptions {
  /** Steps run (and thrown away) for at least this long before measuring… */
  warmupMs: number;
  /** …and at least this many (JIT, shader compilation, pools filling). */
  warmupSteps: number;
  /** Measure until at least this long has passed… */
  measureMs: number;
  /** …and at least this many steps were timed. */
  minSteps: number;
  /**
   * Stop measuring after this long even if minSteps was not reached (very slow implementations),
   * though never before MIN_TIMED_STEPS steps.
   */
  maxMs: number;
}

/** Timed steps every measurement has, whatever maxMs says: one step is not a rate. */
export const MIN_TIMED_STEPS = 2;

export type BenchJob =
  | {
    kind: 'train'; impl: BenchImplName; model: BenchModel; batch: number; seed: number; timing: TimingOptions;
    /** Data-parallel workers (leader included); absent = the plain single-thread step. */
    workers?: number;
  }
  | { kind: 'matmul'; impl: BenchImplName; n: number; timing: TimingOptions };

export interface Measurement {
  steps: number;
  seconds: number;
}

/** What the worker answers: a measurement, or why it could not produce one. */
export type JobOutcome =
  | { ok: true; measurement: Measurement; detail?: string }
  | { ok: false; error: string };

/** Message shown (and written as "error") for a model an implementation has no builder for. */
export const NOT_IMPLEMENTED = 'not implemented yet';
