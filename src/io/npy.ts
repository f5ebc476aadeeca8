/**
 * NumPy .npy arrays (format versions 1.0, 2.0, 3.0), little-endian, C order only.
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */

import { copyBytes } from './bytes';
import { parseNpyHeaderDict } from './npy-header';

export type NpyDtype = 'float32' | 'float64' | 'uint8' | 'int32' | 'int64' | 'bool';

export type NpyData = Float32Array | Float64Array | Uint8Array | Int32Array | BigInt64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Row-major values; bool arrays hold 0/1 bytes. Always a fresh buffer, never a view of the file. */
  data: NpyData;
}

interface DtypeInfo {
  descr: string;
  itemSize: number;
  make: (buffer: ArrayBuffer) => NpyData;
}

const DTYPES: Record<NpyDtype, DtypeInfo> = {
  float32: { descr: '<f4', itemSize: 4, make: (b) => new Float32Array(b) },
  float64: { descr: '<f8', itemSize: 8, make: (b) => new Float64Array(b) },
  uint8: { descr: '|u1', itemSize: 1, make: (b) => new Uint8Array(b) },
  int32: { descr: '<i4', itemSize: 4, make: (b) => new Int32Array(b) },
  int64: { descr: '<i8', itemSize: 8, make: (b) => new BigInt64Array(b) },
  bool: { descr: '|b1', itemSize: 1, make: (b) => new Uint8Array(b) },
};

const DESCR_CODES: Record<string, NpyDtype> = { f4: 'float32', f8: 'float64', u1: 'uint8', i4: 'int32', i8: 'int64', b1: 'bool' };

/** Little-endian or native ('<', '=', '|', none) descrs; '>' (big-endian) is refused, '|' only for 1-byte types. */
function dtypeOfDescr(descr: string): NpyDtype | null {
  const match = /^([<>=|]?)([a-z]\d+)$/.exec(descr);
  const dtype = match ? (DESCR_CODES[match[2]] ?? null) : null;
  if (!dtype) return null;
  // Byte order only matters for multi-byte types: '>' (big-endian) and '|' (no order) need 1 byte.
  const singleByte = DTYPES[dtype].itemSize === 1;
  return (match![1] === '>' || match![1] === '|') && !singleByte ? null : dtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataStart: number;
}

function readHeader(bytes: Uint8Array, label: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error(`${label} is not a .npy array (bad magic)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error(`${label}: .npy header is truncated`);
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else throw new Error(`${label}: unsupported .npy format version ${major}.${bytes[7]}`);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new Error(`${label}: .npy header length ${headerLength} goes beyond the end of the data`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  return { ...parseNpyHeaderDict(header, label), dataStart };
}

/** Parses one .npy array. `label` names it in error messages (e.g. the npz key). */
export function parseNpy(bytes: Uint8Array, label = 'array'): NpyArray {
  const header = readHeader(bytes, label);
  const dtype = dtypeOfDescr(header.descr);
  if (!dtype) {
    const why = header.descr.startsWith('>') ? 'big-endian data is not supported, save it little-endian' : 'unknown dtype';
    throw new Error(
      `${label}: unsupported dtype '${header.descr}': ${why} (supported: <f4 float32, <f8 float64, |u1 uint8, <i4 int32, <i8 int64, |b1 bool)`,
    );
  }
  // Fortran order changes nothing when at most one dimension is longer than 1.
  if (header.fortranOrder && header.shape.filter((d) => d > 1).length > 1) {
    throw new Error(`${label}: Fortran-order arrays are not supported (save with C order)`);
  }
  const info = DTYPES[dtype];
  const byteLength = elementCount(header.shape) * info.itemSize;
  const available = bytes.length - header.dataStart;
  if (available !== byteLength) {
    throw new Error(
      `${label}: data is ${available} bytes, expected ${byteLength} for shape [${header.shape.join(',')}] ${dtype}`,
    );
  }
  // A copy: the member may sit at any offset in the archive, and the result must not alias it.
  return { dtype, shape: header.shape, data: info.make(copyBytes(bytes, header.dataStart, header.dataStart + byteLength)) };
}

function expectedArrayType(dtype: NpyDtype, data: NpyData): boolean {
  switch (dtype) {
    case 'float32':
      return data instanceof Float32Array;
    case 'float64':
      return data instanceof Float64Array;
    case 'uint8':
    case 'bool':
      return data instanceof Uint8Array;
    case 'int32':
      return data instanceof Int32Array;
    case 'int64':
      return data instanceof BigInt64Array;
  }
}

function headerText(dtype: NpyDtype, shape: readonly number[]): string {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DTYPES[dtype].descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // numpy pads with spaces so that magic + length + header is a multiple of 64, ending in '\n'.
  const unpadded = 10 + dict.length + 1;
  return dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
}

/** Serializes an array as a version 1.0 .npy file (2.0 when the header needs it). */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { dtype, shape, data } = array;
  if (!DTYPES[dtype]) throw new Error(`cannot write dtype '${dtype}' to .npy`);
  if (!expectedArrayType(dtype, data)) throw new Error(`npy ${dtype} array needs a matching typed array`);
  if (elementCount(shape) !== data.length) {
    throw new Error(`npy array of shape [${shape.join(',')}] needs ${elementCount(shape)} values, got ${data.length}`);
  }
  let header = headerText(dtype, shape);
  let version = 1;
  if (header.length > 0xffff) {
    version = 2;
    header = header.trimEnd();
    header += ' '.repeat((64 - ((12 + header.length + 1) % 64)) % 64) + '\n';
  }
  const prefix = version === 1 ? 10 : 12;
  const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(prefix + header.length + payload.length);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(payload, prefix + header.length);
  return out;
}
