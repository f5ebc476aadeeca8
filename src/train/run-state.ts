/**
 * A training run's whole state at an epoch boundary, as one versioned record: a JSON header (what
 * was trained with which settings, how far, curves, early-stopping and counters) and the float32
 * arrays (weights, optimizer moments, weight average, best-epoch weights) in a safetensors file.
 * The page keeps it in IndexedDB (one key per run), the CLI in a file; either resumes from it.
 * Each part owns its own saving (optimizer, WeightAverage, EarlyStopper, ParamSnapshot); this file
 * only says what a run needs and how it is written.
 */
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import type { RngState } from '../kernels/rng';
import { Dropout } from '../nn/layers/dropout';
import type { OptimizerState } from '../nn/optimizers';
import type { Model, ModelKind, NamedArray, StateDict } from '../nn/types';
import type { EarlyStopperState } from './early-stopping';
import type { EpochPoint, RnnTrainConfig, TrainConfig } from './types';
import type { WeightAverageState } from './weight-average';

export const RUN_STATE_FORMAT = 'scratchnet-run-state';
export const RUN_STATE_VERSION = 1;
const HEADER_KEY = 'scratchnet.run_state';

/** What TrainLoop saves and restores (the arrays travel beside it in `LoopState.arrays`). */
export interface LoopState {
  /** Epochs completed: the run goes on with epoch + 1. */
  epoch: number;
  /** Steps already done of epoch + 1 (0 at an epoch's end; more when saved on Pause). */
  step: number;
  /** That epoch's running train sums so far (its train loss and accuracy are computed from them). */
  partial: { seen: number; correct: number; lossSum: number };
  /** The batcher's augmentation stream inside that epoch (null at an epoch's end). */
  augment: RngState | null;
  globalStep: number;
  /** Training time so far (pauses excluded). */
  elapsedMs: number;
  /** What the data looked like, so a resume on other data is refused. */
  stepsPerEpoch: number;
  trainCount: number;
  devCount: number;
  history: EpochPoint[];
  stopper: EarlyStopperState | null;
  /** Set when early stopping ended the run at that epoch (nothing is left to train). */
  earlyStoppedAt: number | null;
  /** Each dropout layer's mask-stream position, in the model's layer order. */
  dropoutCalls: number[];
  optimizer: OptimizerState;
  average: WeightAverageState | null;
  /** Best-epoch weights (restoreBest / early stopping), param order; null before any. */
  best: Float32Array[] | null;
  /** The model's weights, param order. */
  weights: Float32Array[];
}

/** A run checkpoint: the loop's state plus what it was (config) and what its owner keeps with it. */
export interface RunCheckpoint {
  model: ModelKind;
  /** The model's A1 architecture JSON. */
  modelConfig: Record<string, unknown>;
  config: TrainConfig | RnnTrainConfig;
  loop: LoopState;
  /** The owner's part (page: run id, classes, options, loss curve; CLI: data settings). */
  meta: Record<string, unknown>;
}

/** Every Dropout layer reachable from the model, in a fixed (construction) order. */
export function dropoutLayersOf(model: Model): Dropout[] {
  const found: Dropout[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return;
    seen.add(value);
    if (value instanceof Dropout) {
      found.push(value);
      return;
    }
    for (const [key, child] of Object.entries(value)) if (key !== 'backend') walk(child);
  };
  walk(model);
  return found;
}

/** The record as bytes: the JSON header in the safetensors metadata, arrays as named tensors. */
export function encodeRunCheckpoint(c: RunCheckpoint): Uint8Array {
  const tensors: StateDict = new Map();
  const put = (prefix: string, arrays: readonly Float32Array[] | null) => {
    arrays?.forEach((data, i) => tensors.set(`${prefix}.${String(i).padStart(4, '0')}`, flat(data)));
  };
  const { weights, best, optimizer, average, ...loop } = c.loop;
  put('weights', weights);
  put('best', best);
  put('optimizer', optimizer.tensors);
  put('average', average?.tensors ?? null);
  const header = {
    format: RUN_STATE_FORMAT, version: RUN_STATE_VERSION, model: c.model, modelConfig: c.modelConfig, config: c.config,
    loop: { ...loop, optimizer: { kind: optimizer.kind, steps: optimizer.steps }, average: average ? { updates: average.updates } : null, hasBest: !!best },
    meta: c.meta,
  };
  return writeSafetensors(tensors, { [HEADER_KEY]: JSON.stringify(header, keepNonFinite) });
}

/** Reads a checkpoint; throws an Error naming `source` for anything that is not one of ours. */
export function decodeRunCheckpoint(bytes: Uint8Array, source: string): RunCheckpoint {
  let file;
  try {
    file = readSafetensors(bytes);
  } catch (err) {
    throw new Error(`${source} is not a run checkpoint (${err instanceof Error ? err.message : String(err)})`);
  }
  const text = file.metadata?.[HEADER_KEY];
  if (!text) throw new Error(`${source} is not a run checkpoint (no ${RUN_STATE_FORMAT} header)`);
  const header = parseHeader(text, source);
  if (header.format !== RUN_STATE_FORMAT) throw new Error(`${source} is not a run checkpoint`);
  if (header.version !== RUN_STATE_VERSION) {
    throw new Error(`${source} is a version ${header.version} run checkpoint; this build reads version ${RUN_STATE_VERSION}`);
  }
  const arrays = (prefix: string): Float32Array[] => {
    const names = [...file.tensors.keys()].filter((n) => n.startsWith(`${prefix}.`)).sort();
    return names.map((n) => {
      const t = file.tensors.get(n)!;
      if (!(t.data instanceof Float32Array)) throw new Error(`${source}: ${n} is not float32`);
      return t.data;
    });
  };
  const loop = header.loop;
  if (!loop || typeof loop !== 'object' || !loop.optimizer) throw new Error(`${source}: the run state is damaged`);
  const { hasBest, ...rest } = loop;
  if (!Number.isInteger(rest.epoch) || rest.epoch < 0 || !Number.isInteger(rest.step) || !Array.isArray(rest.history)) {
    throw new Error(`${source}: the run state is damaged`);
  }
  return {
    model: header.model, modelConfig: header.modelConfig, config: header.config, meta: header.meta ?? {},
    loop: {
      ...rest,
      weights: arrays('weights'),
      best: hasBest ? arrays('best') : null,
      optimizer: { ...rest.optimizer, tensors: arrays('optimizer') },
      average: loop.average ? { updates: loop.average.updates, tensors: arrays('average') } : null,
    },
  };
}

/** The JSON header as written by encodeRunCheckpoint (arrays travel as tensors). */
interface StoredHeader {
  format?: string;
  version?: number;
  model: ModelKind;
  modelConfig: Record<string, unknown>;
  config: TrainConfig | RnnTrainConfig;
  loop?: Omit<LoopState, 'weights' | 'best' | 'optimizer' | 'average'> & {
    hasBest: boolean;
    optimizer: Omit<OptimizerState, 'tensors'>;
    average: { updates: number } | null;
  };
  meta?: Record<string, unknown>;
}

function parseHeader(text: string, source: string): StoredHeader {
  try {
    return JSON.parse(text, restoreNonFinite) as StoredHeader;
  } catch {
    throw new Error(`${source}: the run checkpoint's header is damaged (not JSON)`);
  }
}

function flat(data: Float32Array): NamedArray {
  return { shape: [data.length], data };
}

/** JSON has no NaN/Infinity (a run without dev data has NaN dev metrics): write them as strings. */
function keepNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

function restoreNonFinite(_key: string, value: unknown): unknown {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}
