/**
 * Which implementations exist and which benchmark nets each can train. A model an implementation
 * has no builder for reports "not implemented yet"; a new net means a builder in `trainers` of
 * each impl module (and nothing here or in the runner).
 */
import type { BenchImplName, BenchModel } from '../protocol';

/** One training setup, ready to step: forward, loss, backward, Adam update, loss read back. */
export interface TrainBench {
  /** One training step on the next batch; returns the loss. */
  step(): number | Promise<number>;
  /** What this setup measured beyond the rate (shown beside the implementation's detail). */
  detail?(): string;
  dispose(): void;
}

/** a[n,n]·b[n,n] into a result the implementation owns, forced to completion. */
export interface MatmulBench {
  run(): void | Promise<void>;
  dispose(): void;
}

/** `workers` > 1: data-parallel over that many workers (only where `dataParallel`). */
export type TrainerBuilder = (batch: number, seed: number, workers: number) => Promise<TrainBench>;

export interface BenchImpl {
  trainers: Partial<Record<BenchModel, TrainerBuilder>>;
  matmul?: (n: number) => Promise<MatmulBench>;
  /** Its trainers can split each batch over workers. */
  dataParallel?: boolean;
  /** Shown beside the figures, e.g. which wasm build or WebGL version ran. */
  detail?: string;
}

// Dynamic imports: a scratchnet job never loads TensorFlow.js and vice versa.
const loaders: Record<BenchImplName, () => Promise<BenchImpl>> = {
  'scratchnet-cpu': () => import('./impls/scratchnet').then((m) => m.scratchnetImpl('cpu')),
  'scratchnet-wasm': () => import('./impls/scratchnet').then((m) => m.scratchnetImpl('wasm')),
  'scratchnet-webgl2': () => import('./impls/scratchnet').then((m) => m.scratchnetImpl('webgl2')),
  'tfjs-cpu': () => import('./impls/tfjs').then((m) => m.tfjsImpl('cpu')),
  'tfjs-wasm': () => import('./impls/tfjs').then((m) => m.tfjsImpl('wasm')),
  'tfjs-webgl': () => import('./impls/tfjs').then((m) => m.tfjsImpl('webgl')),
};

export function loadImpl(name: BenchImplName): Promise<BenchImpl> {
  const load = loaders[name];
  if (!load) return Promise.reject(new Error(`unknown implementation "${name}"`));
  return load();
}
