/**
 * safetensors files: u64 LE header length N, N bytes of JSON header, then the tensor bytes.
 * https://github.com/huggingface/safetensors — we write F32 only, read F32/F64/I64/I32/U8.
 */
import type { NamedArray } from '../nn/types';
import { copyBytes } from './bytes';
import { asStringRecord } from './npz';

export type SafetensorsDtype = 'F32' | 'F64' | 'I64' | 'I32' | 'U8';

export type SafetensorsData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** A fresh copy (never a view of the file), so it is aligned whatever the header length. */
  data: SafetensorsData;
}

export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  /** The `__metadata__` object, or null when the file has none. */
  metadata: Record<string, string> | null;
}

const DTYPES: Record<SafetensorsDtype, { size: number; make: (b: ArrayBuffer) => SafetensorsData }> = {
  F32: { size: 4, make: (b) => new Float32Array(b) },
  F64: { size: 8, make: (b) => new Float64Array(b) },
  I64: { size: 8, make: (b) => new BigInt64Array(b) },
  I32: { size: 4, make: (b) => new Int32Array(b) },
  U8: { size: 1, make: (b) => new Uint8Array(b) },
};

const METADATA_KEY = '__metadata__';
/** The reference implementation pads the header with spaces to this alignment. */
const HEADER_ALIGN = 8;

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function readHeaderJson(bytes: Uint8Array): { json: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) {
    throw new Error(`not a safetensors file: only ${bytes.length} bytes (shorter than the 8-byte header length)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new Error(`safetensors header length ${headerLength} goes beyond the end of the file (${bytes.length} bytes)`);
  }
  const dataStart = 8 + Number(headerLength);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    throw new Error(`safetensors header is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('safetensors header is not a JSON object');
  }
  return { json: parsed as Record<string, unknown>, dataStart };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function parseEntry(name: string, raw: unknown, dataLength: number): HeaderEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`safetensors tensor '${name}': header entry is not an object`);
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPES, dtype)) {
    throw new Error(`safetensors tensor '${name}' has unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPES).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new Error(`safetensors tensor '${name}': shape must be an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new Error(`safetensors tensor '${name}': data_offsets must be [begin, end]`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end || end > dataLength) {
    throw new Error(`safetensors tensor '${name}': data_offsets [${begin},${end}] out of range (data section is ${dataLength} bytes)`);
  }
  const expected = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPES[dtype as SafetensorsDtype].size;
  if (end - begin !== expected) {
    throw new Error(
      `safetensors tensor '${name}': data_offsets span ${end - begin} bytes but shape [${shape.join(',')}] ${dtype} needs ${expected}`,
    );
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

function checkNoOverlap(entries: HeaderEntry[]): void {
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1];
    const cur = byOffset[i];
    if (cur.begin < prev.end) throw new Error(`safetensors tensors '${prev.name}' and '${cur.name}' overlap in the data section`);
  }
}

/** Parses and validates a safetensors file; every tensor is copied out of `bytes`. */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  const { json, dataStart } = readHeaderJson(bytes);
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> | null = null;
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(json)) {
    if (name === METADATA_KEY) metadata = asStringRecord(raw, `safetensors ${METADATA_KEY}`);
    else entries.push(parseEntry(name, raw, dataLength));
  }
  checkNoOverlap(entries);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    // A copy, so typed arrays start aligned even when dataStart is not a multiple of 4 or 8.
    const copy = copyBytes(bytes, dataStart + e.begin, dataStart + e.end);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: DTYPES[e.dtype].make(copy) });
  }
  return { tensors, metadata };
}

/**
 * Writes F32 tensors as the reference implementation does: tensors in name order, packed
 * back to back, header JSON padded with spaces to a multiple of 8 bytes.
 */
export function writeSafetensors(tensors: Map<string, NamedArray>, metadata?: Record<string, string>): Uint8Array {
  const names = [...tensors.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata) header[METADATA_KEY] = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === METADATA_KEY) throw new Error(`tensor name '${METADATA_KEY}' is reserved`);
    const t = tensors.get(name)!;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (!(t.data instanceof Float32Array)) throw new Error(`tensor '${name}' must be a Float32Array`);
    if (count !== t.data.length) throw new Error(`tensor '${name}' of shape [${t.shape.join(',')}] needs ${count} values, has ${t.data.length}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const padding = (HEADER_ALIGN - (headerBytes.length % HEADER_ALIGN)) % HEADER_ALIGN;
  if (padding) {
    const padded = new Uint8Array(headerBytes.length + padding).fill(0x20);
    padded.set(headerBytes);
    headerBytes = padded;
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const data = tensors.get(name)!.data;
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}
