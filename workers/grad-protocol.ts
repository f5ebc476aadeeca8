/**
 * What the leader (grad-pool.ts) and each gradient helper (grad.worker.ts) share: the control
 * words in a SharedArrayBuffer and the init message. The leader bumps GENERATION to start a
 * step; helper h answers by storing that generation in doneIndex(h).
 */
import type { ReplicaSpec } from '../src/train/data-parallel-slice';

/** Control words (Int32): [GENERATION, COMMAND, done per helper…, job header per helper…]. */
export const GENERATION = 0;
export const COMMAND = 1;
export const CMD_STEP = 1;
export const CMD_QUIT = 2;
/** Forward only: the helper writes its slice's class probabilities where a step writes gradients. */
export const CMD_EVAL = 3;
/** Job header values per helper: offset, rows, total, steps. */
export const JOB_WORDS = 4;
/** Outcome values per helper (Float64): loss, correct, failed (1 = threw). */
export const OUTCOME_WORDS = 3;

export function doneIndex(helper: number): number {
  return 2 + helper;
}

export function jobIndex(helpers: number, helper: number): number {
  return 2 + helpers + helper * JOB_WORDS;
}

export function controlWords(helpers: number): number {
  return 2 + helpers + helpers * JOB_WORDS;
}

/** One helper's shared buffers (each a SharedArrayBuffer of float32s, outcome of float64s). */
export interface HelperBuffers {
  x: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  lengths: SharedArrayBuffer | null;
  grads: SharedArrayBuffer;
  outcome: SharedArrayBuffer;
}

export interface GradHelperInit {
  helper: number;
  helpers: number;
  replica: ReplicaSpec;
  control: SharedArrayBuffer;
  weights: SharedArrayBuffer;
  buffers: HelperBuffers;
}

/** The helper's answer to init: ready, or why it could not start. */
export type GradHelperReply = { ready: true; kernels: string } | { ready: false; error: string };
