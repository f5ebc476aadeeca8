/**
 * scratchnet weight files (docs/weights.md): a state dict plus `__metadata__`
 * (format, model, config, classes, metrics), as safetensors or npz.
 */
import { MODEL_KIND_NAMES, isModelKind } from '../nn/models/registry';
import type { ModelKind, NamedArray, StateDict } from '../nn/types';
import { NPZ_METADATA_KEY, npzMetadata, readNpz, writeNpz, type NpyArray } from './npz';
import { readSafetensors, writeSafetensors, type SafetensorsData } from './safetensors';
import { isZip } from './zip';

export interface WeightFile {
  model: ModelKind;
  config: Record<string, unknown>;
  classes: string[];
  metrics: Record<string, unknown>;
  tensors: StateDict;
}

export type WeightFormat = 'safetensors' | 'npz';

export const WEIGHT_FORMAT_TAG = 'scratchnet/1';

/** The A1 `__metadata__` object: every value a string, JSON where the value is structured. */
export function weightMetadata(w: WeightFile): Record<string, string> {
  return {
    format: WEIGHT_FORMAT_TAG,
    model: w.model,
    config: JSON.stringify(w.config),
    classes: JSON.stringify(w.classes),
    metrics: JSON.stringify(w.metrics),
  };
}

export function encodeWeights(w: WeightFile, format: WeightFormat): Uint8Array {
  if (!isModelKind(w.model)) throw new Error(`unknown model kind '${w.model}'`);
  const metadata = weightMetadata(w);
  if (format === 'safetensors') return writeSafetensors(w.tensors, metadata);
  if (format === 'npz') {
    const arrays = new Map<string, NpyArray>();
    for (const [name, t] of w.tensors) arrays.set(name, { dtype: 'float32', shape: t.shape, data: t.data });
    return writeNpz(arrays, metadata);
  }
  throw new Error(`unknown weight format '${format as string}' (use safetensors or npz)`);
}

/** 'npz' for a zip, 'safetensors' when the JSON header starts right after the 8-byte length. */
export function sniffWeightFormat(bytes: Uint8Array): WeightFormat | null {
  if (isZip(bytes)) return 'npz';
  if (bytes.length >= 9 && (bytes[8] === 0x7b || bytes[8] === 0x20)) return 'safetensors';
  return null;
}

function parseJsonField<T>(meta: Record<string, string>, key: string, check: (v: unknown) => v is T, what: string): T {
  const text = meta[key];
  if (text === undefined) throw new Error(`weight file metadata is missing '${key}'`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`weight file metadata '${key}' is not valid JSON`);
  }
  if (!check(value)) throw new Error(`weight file metadata '${key}' must be ${what}`);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');

function parseMetadata(meta: Record<string, string> | null): Omit<WeightFile, 'tensors'> {
  if (!meta) throw new Error('weight file has no __metadata__ (format, model, config, classes)');
  if (meta.format === undefined) throw new Error("weight file metadata is missing 'format'");
  if (meta.format !== WEIGHT_FORMAT_TAG) {
    throw new Error(`unsupported weight file format '${meta.format}' (expected '${WEIGHT_FORMAT_TAG}')`);
  }
  if (meta.model === undefined) throw new Error("weight file metadata is missing 'model'");
  const model = meta.model;
  if (!isModelKind(model)) throw new Error(`unknown model kind '${meta.model}' (expected ${MODEL_KIND_NAMES.join(', ')})`);
  const config = parseJsonField(meta, 'config', isObject, 'a JSON object');
  const classes = parseJsonField(meta, 'classes', isStringArray, 'a non-empty JSON array of strings');
  // metrics are informational; files written outside scratchnet (e.g. from PyTorch) may omit them.
  const metrics = meta.metrics === undefined ? {} : parseJsonField(meta, 'metrics', isObject, 'a JSON object');
  return { model, config, classes, metrics };
}

/** Weight tensors are float32; float64 (a PyTorch `.double()` export) is narrowed, integers are refused. */
function toFloat32(name: string, dtype: string, shape: number[], data: SafetensorsData): NamedArray {
  if (data instanceof Float32Array) return { shape, data };
  if (data instanceof Float64Array) return { shape, data: Float32Array.from(data) };
  throw new Error(`tensor '${name}' has dtype ${dtype}; weight tensors must be float32`);
}

function decodeSafetensors(bytes: Uint8Array): WeightFile {
  const file = readSafetensors(bytes);
  const meta = parseMetadata(file.metadata);
  const tensors: StateDict = new Map();
  for (const [name, t] of file.tensors) tensors.set(name, toFloat32(name, t.dtype, t.shape, t.data));
  return { ...meta, tensors };
}

async function decodeNpz(bytes: Uint8Array): Promise<WeightFile> {
  const arrays = await readNpz(bytes);
  const meta = parseMetadata(npzMetadata(arrays));
  const tensors: StateDict = new Map();
  for (const [name, a] of arrays) {
    if (name !== NPZ_METADATA_KEY) tensors.set(name, toFloat32(name, a.dtype, a.shape, a.data));
  }
  return { ...meta, tensors };
}

function withTensors(w: WeightFile): WeightFile {
  if (w.tensors.size === 0) throw new Error('weight file holds no tensors');
  return w;
}

/**
 * Reads a weight file of either format; throws an Error with a user-facing message when it is
 * malformed. Async because npz members inflate through the platform's DecompressionStream.
 */
export async function decodeWeights(bytes: Uint8Array): Promise<WeightFile> {
  const format = sniffWeightFormat(bytes);
  if (format === 'npz') return withTensors(await decodeNpz(bytes));
  if (bytes.length < 8) throw new Error(`not a safetensors or npz weight file (only ${bytes.length} bytes)`);
  if (format === null) throw new Error('not a safetensors or npz weight file');
  return withTensors(decodeSafetensors(bytes));
}
