/**
 * How much memory a training run needs in one worker, before any of it is allocated: a run that
 * cannot fit is refused with this estimate instead of failing minutes later with "out of
 * WebAssembly memory" (a 120M-parameter MLP at batch 4096 took 90 s for its first step, then died
 * at 4.2 GB).
 *
 * Per worker: parameters × (weight + gradient + optimizer moments + averaged copy + best-epoch
 * copy) + examples × the floats the layers keep for backward (their per-batch buffers, listed in
 * the layers' constructors) for the training batch and for the evaluation batch. Data-parallel
 * workers each hold the whole model and a share of the batch. Shapes come from the models' own
 * config resolution (defaults, input shape, classes) and the kernels' own GRU cache shape;
 * memory-estimate.test.ts builds the real models and checks the estimate against the floats they
 * allocate in a training step.
 */
import { gruCacheShape } from '../kernels/backend';
import { convOutSize } from '../nn/layers/conv2d';
import { cnnTensorShapes, resolveCnnConfig } from '../nn/models/cnn';
import { mlpTensorShapes, resolveMlpConfig } from '../nn/models/mlp';
import { resolveRnnConfig, rnnTensorShapes } from '../nn/models/rnn';
import type { TensorShape } from '../nn/models/spec';
import type { CnnConfig, MlpConfig, RnnConfig } from '../nn/types';
import type { CnnTrainConfig, LoopConfig, MlpTrainConfig, OptimizerKind, RnnTrainConfig } from './types';

const FLOAT_BYTES = 4;
/** Evaluation runs in batches of this many examples (evaluate.ts), with its own buffers. */
const EVAL_BATCH = 256;

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

export interface Footprint {
  parameters: number;
  /** Floats per example the layers keep for a training step. */
  floatsPerExample: number;
  /** Fixed buffers beyond the parameters, in parameter copies. */
  extraParameterCopies?: number;
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
  const examples = share + Math.min(EVAL_BATCH, Math.max(share, 1));
  const activationBytes = examples * footprint.floatsPerExample * FLOAT_BYTES;
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

/** "1.34 GB", "2 GB", "420 MB": bytes as the messages show them (3 digits, so near misses differ from the budget). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${Number((bytes / 1e9).toPrecision(3))} GB`;
  if (bytes >= 1e6) return `${Math.max(1, Math.round(bytes / 1e6))} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

const ADVICE: Record<AnyTrainConfig['model'], string> = {
  mlp: 'fewer or smaller hidden layers or a smaller batch',
  cnn: 'fewer channels, a smaller fc layer or a smaller batch',
  cnn2head: 'fewer channels, a smaller fc layer or a smaller batch',
  rnn: 'a smaller hidden size, fewer layers, fewer max steps or a smaller batch',
};

/** How every memory refusal starts: a property of the whole run, not of one field (links check it last). */
export const MEMORY_PROBLEM = 'Memory:';

/** Null when the run fits a worker, else the refusal with the estimate and what to change. */
export function memoryProblem(config: AnyTrainConfig, workers = 1): string | null {
  const estimate = estimateTrainingMemory(config, workers);
  if (estimate.fits) return null;
  return `${MEMORY_PROBLEM} this run needs about ${formatBytes(estimate.perWorkerBytes)} per worker, more than the ` +
    `${formatBytes(WORKER_MEMORY_BUDGET_BYTES)} a worker can use: ${ADVICE[config.model]}`;
}

/** Parameters and floats per example of a run's network. */
export function footprintOf(config: AnyTrainConfig): Footprint {
  if (config.model === 'mlp') return mlpFootprint(config.net);
  if (config.model === 'rnn') return rnnFootprint(config.net);
  return cnnFootprint(config.model, config.net);
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const countOf = (shapes: readonly TensorShape[]): number => shapes.reduce((sum, t) => sum + sizeOf(t.shape), 0);

/** Per dense layer [out, in]: y, the fused activation's gradient, dx (not the first); dropout: mask, y, dx; loss: probs, dlogits. */
function mlpFootprint(net: MlpConfig): Footprint {
  const config = resolveMlpConfig(net);
  const shapes = mlpTensorShapes(config);
  const weights = shapes.filter((t) => t.shape.length === 2);
  let floats = config.inputSize + 2 * config.outputSize;
  weights.forEach(({ shape: [outSize, inSize] }, i) => {
    floats += 2 * outSize + (i > 0 ? inSize : 0);
    if (i + 1 < weights.length && config.dropout > 0) floats += 3 * outSize;
  });
  return { parameters: countOf(shapes), floatsPerExample: floats };
}

/**
 * The input and its reshape; per block conv y and dx (not the first), pool y, argmax and dx, ReLU y
 * and dx; then the flatten's two copies, fc1 (y, fused gradient, dx), dropout, the output layer(s)
 * (y and dx each; cnn2head's concatenation too) and the loss.
 */
function cnnFootprint(kind: CnnTrainConfig['model'], net: CnnConfig): Footprint {
  const config = resolveCnnConfig(kind, net);
  const { inputShape, channels, padding, fc, dropout, outputSize } = config;
  let [c, h, w] = inputShape;
  let floats = 2 * c * h * w;
  channels.forEach((out, i) => {
    const [ch, cw] = [convOutSize(h, 3, padding), convOutSize(w, 3, padding)];
    const [ph, pw] = [Math.floor(ch / 2), Math.floor(cw / 2)];
    floats += out * ch * cw + (i > 0 ? c * h * w : 0) + 2 * out * ph * pw + out * ch * cw + 2 * out * ph * pw;
    [c, h, w] = [out, ph, pw];
  });
  const flat = c * h * w;
  const heads = kind === 'cnn2head' ? [10, 10] : [outputSize];
  floats += 2 * flat + 2 * fc + flat + (dropout > 0 ? 3 * fc : 0);
  floats += heads.reduce((sum, n) => sum + 2 * n + fc, 0) + (kind === 'cnn2head' ? 2 * 20 + fc : 0);
  return { parameters: countOf(cnnTensorShapes(kind, config).shapes), floatsPerExample: floats + 2 * outputSize };
}

/**
 * Per step and sequence: the shared input projection and its gradient (3H each), a zero row (H),
 * the step input, and per layer and direction the outputs (H), the kernels' GRU cache and the
 * gradient passed down (H, not the top layer), with dropout between layers. Per sequence: final
 * states, logits, loss and head dropout.
 */
function rnnFootprint(net: RnnConfig): Footprint {
  const config = resolveRnnConfig(net);
  const { hidden: H, layers, max_len: steps, outputSize: C, dropout, head_dropout: headDropout } = config;
  const cachePerStep = sizeOf(gruCacheShape(1, 1, H));
  let perStep = 3 * H + 3 * H + H + 3;
  for (let k = 0; k < layers; k++) {
    perStep += 2 * (H + cachePerStep + (k + 1 < layers ? H : 0));
    if (k + 1 < layers && dropout > 0) perStep += 3 * 2 * H;
  }
  const perSequence = 2 * layers * H + 2 * H + C + 2 * C + (headDropout > 0 ? 6 * H : 0);
  // The split matmuls' column selectors and blocks (gru-columns.ts) measure up to 1.35 more copies.
  return { parameters: countOf(rnnTensorShapes(config)), floatsPerExample: steps * perStep + perSequence, extraParameterCopies: 1.5 };
}
