/**
 * How much memory a training run needs in one worker, before any of it is allocated: a run that
 * cannot fit is refused with this estimate instead of failing minutes later with "out of
 * WebAssembly memory" (a 120M-parameter MLP at batch 4096 took 90 s for its first step, then died
 * at 4.2 GB).
 *
 * Per worker: parameters × (weight + gradient + optimizer moments + averaged copy + best-epoch
 * copy) + examples × the floats the layers keep for backward (their per-batch buffers, listed in
 * the layers' constructors) for the training batch and for the evaluation batch. Data-parallel
 * workers each hold the whole model and a share of the batch. Each model kind declares its own
 * floats per example and the advice its refusal ends with (its spec, src/nn/models/kinds); the
 * parameters come from the kind's tensor shapes. memory-estimate.test.ts builds the real models
 * and checks the estimate against the floats they allocate in a training step.
 */
import { sizeOf } from '../kernels/backend';
import type { ActivationFootprint } from '../nn/models/kind-spec';
import { modelKind } from '../nn/models/registry';
import { EVAL_BATCH } from './evaluate';
import { paddedLengths } from './sequence-batches';
import type { CnnTrainConfig, LoopConfig, MlpTrainConfig, OptimizerKind, RnnTrainConfig } from './types';

const FLOAT_BYTES = 4;

/**
 * What one worker may use. The kernels address WebAssembly memory32: 65536 pages of 64 KiB =
 * 4 GiB per worker, and Chrome grants no more (the issue's run died growing past 4.2 GB). About
 * half of it, 2 GB, is the budget for this estimate: the other half is the headroom for what the estimate leaves out — the kernels' scratch (GEMM packing,
 * im2col columns, grown by 1.5×), pools that recycle blocks only by exact size (a last partial
 * batch gets buffers of its own), the data set held by the worker and host copies of the weights
 * (initialisation, checkpoints). WebGL2 and plain-JS kernels are held to the same budget.
 */
export const WASM_MEMORY_LIMIT_BYTES = 65536 * 65536;
export const WORKER_MEMORY_BUDGET_BYTES = 2e9;

export type AnyTrainConfig = MlpTrainConfig | CnnTrainConfig | RnnTrainConfig;

export interface MemoryEstimate {
  parameters: number;
  /** Weights, gradients, optimizer moments and weight copies, in bytes. */
  parameterBytes: number;
  /** Buffers for the training and evaluation batches, in bytes. */
  activationBytes: number;
  /** What one worker needs. */
  perWorkerBytes: number;
  /** All workers together. */
  totalBytes: number;
  workers: number;
  fits: boolean;
}

export interface Footprint extends ActivationFootprint {
  parameters: number;
}

/** Copies of the parameters a run keeps: weight + gradient, the optimizer's moments, averages, best epoch. */
export function parameterCopies(loop: Pick<LoopConfig, 'optimizer' | 'weightAverage' | 'restoreBest' | 'earlyStopping'>): number {
  const moments: Record<OptimizerKind, number> = { sgd: 0, momentum: 1, adam: 2, adamw: 2 };
  const averaged = loop.weightAverage ? 1 : 0;
  const best = loop.restoreBest || loop.earlyStopping ? 1 : 0;
  return 2 + moments[loop.optimizer.kind] + averaged + best;
}

/** The estimate for `config` trained by `workers` data-parallel workers. */
export function estimateTrainingMemory(config: AnyTrainConfig, workers = 1): MemoryEstimate {
  const footprint = footprintOf(config);
  const share = Math.ceil(config.batchSize / Math.max(1, workers));
  const copies = parameterCopies(config) + (footprint.extraParameterCopies ?? 0);
  const parameterBytes = footprint.parameters * copies * FLOAT_BYTES;
  const examples = share + evaluationRows(footprint, share, config.batchSize);
  const activationBytes = examples * floatsPerExampleOverBuckets(footprint) * FLOAT_BYTES;
  const perWorkerBytes = parameterBytes + activationBytes;
  return {
    parameters: footprint.parameters,
    parameterBytes,
    activationBytes,
    perWorkerBytes,
    totalBytes: perWorkerBytes * Math.max(1, workers),
    workers: Math.max(1, workers),
    fits: perWorkerBytes <= WORKER_MEMORY_BUDGET_BYTES,
  };
}

/**
 * Rows of evaluation buffers beside the training share's. A sequence model's set per padded length
 * is large, so its dev and test passes run in batches of the training batch (sequence-trainer.ts,
 * the CLI, the page's session): on one worker they reuse the training sets.
 */
function evaluationRows(footprint: ActivationFootprint, share: number, batchSize: number): number {
  if (footprint.perStep) return batchSize === share ? 0 : batchSize;
  return Math.min(EVAL_BATCH, Math.max(share, 1));
}

/**
 * Floats per example over every batch shape a run meets: a sequence kind's per-step part once per
 * padded length (a full Quick Draw run reaches all 13 lengths up to 100: 7.2× the longest alone).
 */
export function floatsPerExampleOverBuckets(footprint: ActivationFootprint): number {
  const { floatsPerExample, perStep } = footprint;
  if (!perStep) return floatsPerExample;
  const steps = paddedLengths(perStep.maxSteps).reduce((sum, t) => sum + t, 0);
  return floatsPerExample + perStep.floats * (steps - perStep.maxSteps);
}

/** "1.34 GB", "2 GB", "420 MB": bytes as the messages show them (3 digits, so near misses differ from the budget). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${Number((bytes / 1e9).toPrecision(3))} GB`;
  if (bytes >= 1e6) return `${Math.max(1, Math.round(bytes / 1e6))} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** How every memory refusal starts: a property of the whole run, not of one field (links check it last). */
export const MEMORY_PROBLEM = 'Memory:';

/** Null when the run fits a worker, else the refusal with the estimate and what to change. */
export function memoryProblem(config: AnyTrainConfig, workers = 1): string | null {
  const estimate = estimateTrainingMemory(config, workers);
  if (estimate.fits) return null;
  return `${MEMORY_PROBLEM} this run needs about ${formatBytes(estimate.perWorkerBytes)} per worker, more than the ` +
    `${formatBytes(WORKER_MEMORY_BUDGET_BYTES)} a worker can use: ${modelKind(config.model).memoryAdvice}`;
}

/** Parameters (from the kind's tensor shapes) and floats per example (the kind's own footprint) of a run's network. */
export function footprintOf(config: AnyTrainConfig): Footprint {
  const kind = modelKind(config.model);
  const resolved: object = kind.resolve(config.net);
  const parameters = kind.tensorShapes(resolved).reduce((sum, t) => sum + sizeOf(t.shape), 0);
  return { parameters, ...kind.footprint(resolved) };
}
