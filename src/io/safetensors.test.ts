import { describe, expect, it } from 'vitest';
import type { StateDict } from '../nn/types';
import { readSafetensors, writeSafetensors } from './safetensors';

/** A safetensors file with a hand-written header (no padding) and `dataLength` data bytes. */
function rawFile(header: unknown, dataLength: number, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + dataLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const tensor = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });

function sampleDict(): StateDict {
  return new Map([
    ['fc2.bias', { shape: [3], data: Float32Array.from([0.1, -0, NaN]) }],
    ['fc1.weight', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 1e-45, -Infinity]) }],
    ['fc1.bias', { shape: [2], data: Float32Array.from([3.4028234663852886e38, -1.5]) }],
  ]);
}

describe('writeSafetensors', () => {
  it('lays tensors out in name order with an 8-byte aligned, space-padded header', () => {
    const file = writeSafetensors(sampleDict(), { format: 'scratchnet/1' });
    const n = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const headerText = new TextDecoder().decode(file.subarray(8, 8 + n));
    expect(headerText).toMatch(/^\{.*\} *$/);
    const header = JSON.parse(headerText);
    expect(header.__metadata__).toEqual({ format: 'scratchnet/1' });
    expect(header['fc1.bias']).toEqual(tensor('F32', [2], 0, 8));
    expect(header['fc1.weight']).toEqual(tensor('F32', [2, 3], 8, 32));
    expect(header['fc2.bias']).toEqual(tensor('F32', [3], 32, 44));
    expect(file.length).toBe(8 + n + 44);
  });

  it('round-trips values bit-exactly', () => {
    const dict = sampleDict();
    const back = readSafetensors(writeSafetensors(dict));
    expect(back.metadata).toBeNull();
    for (const [name, t] of dict) {
      const got = back.tensors.get(name)!;
      expect(got.dtype).toBe('F32');
      expect(got.shape).toEqual(t.shape);
      expect(Array.from(new Uint32Array(got.data.buffer))).toEqual(Array.from(new Uint32Array(t.data.buffer)));
    }
  });

  it('refuses a tensor whose data does not fit its shape', () => {
    const dict: StateDict = new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]]);
    expect(() => writeSafetensors(dict)).toThrow("tensor 'w' of shape [2,2] needs 4 values, has 3");
  });
});

describe('readSafetensors', () => {
  it('reads F64, I64, I32 and U8 tensors and an unpadded (unaligned) header', () => {
    const header = {
      a: tensor('U8', [3], 0, 3),
      b: tensor('F64', [1], 3, 11),
      c: tensor('I64', [1], 11, 19),
      d: tensor('I32', [1], 19, 23),
    };
    const file = rawFile(header, 23);
    const dataStart = file.length - 23;
    file.set([1, 2, 3], dataStart);
    const view = new DataView(file.buffer);
    view.setFloat64(dataStart + 3, Math.E, true);
    view.setBigInt64(dataStart + 11, -5n, true);
    view.setInt32(dataStart + 19, -7, true);
    const { tensors } = readSafetensors(file);
    expect(Array.from(tensors.get('a')!.data as Uint8Array)).toEqual([1, 2, 3]);
    expect((tensors.get('b')!.data as Float64Array)[0]).toBe(Math.E);
    expect((tensors.get('c')!.data as BigInt64Array)[0]).toBe(-5n);
    expect((tensors.get('d')!.data as Int32Array)[0]).toBe(-7);
  });

  it('rejects a file shorter than 8 bytes', () => {
    expect(() => readSafetensors(new Uint8Array(5))).toThrow(
      'not a safetensors file: only 5 bytes (shorter than the 8-byte header length)',
    );
  });

  it('rejects a header length beyond the file', () => {
    const file = writeSafetensors(sampleDict());
    new DataView(file.buffer).setBigUint64(0, 10_000_000_000n, true);
    expect(() => readSafetensors(file)).toThrow(
      `safetensors header length 10000000000 goes beyond the end of the file (${file.length} bytes)`,
    );
  });

  it('rejects a header that is not JSON, or not an object', () => {
    expect(() => readSafetensors(rawFile(null, 0, '{"a": '))).toThrow(/^safetensors header is not valid JSON/);
    expect(() => readSafetensors(rawFile([1, 2], 0))).toThrow('safetensors header is not a JSON object');
    const notUtf8 = rawFile(null, 0, '{}');
    notUtf8[8] = 0xff;
    expect(() => readSafetensors(notUtf8)).toThrow(/^safetensors header is not valid JSON/);
  });

  it('rejects an unsupported dtype', () => {
    expect(() => readSafetensors(rawFile({ w: tensor('BF16', [2], 0, 4) }, 4))).toThrow(
      "safetensors tensor 'w' has unsupported dtype \"BF16\" (supported: F32, F64, I64, I32, U8)",
    );
  });

  it('rejects data_offsets beyond the data section', () => {
    expect(() => readSafetensors(rawFile({ w: tensor('F32', [2], 0, 8) }, 4))).toThrow(
      "safetensors tensor 'w': data_offsets [0,8] out of range (data section is 4 bytes)",
    );
    expect(() => readSafetensors(rawFile({ w: tensor('F32', [0], 4, 0) }, 4))).toThrow(/data_offsets \[4,0\] out of range/);
  });

  it('rejects data_offsets that do not match shape × dtype', () => {
    expect(() => readSafetensors(rawFile({ w: tensor('F32', [3], 0, 8) }, 8))).toThrow(
      "safetensors tensor 'w': data_offsets span 8 bytes but shape [3] F32 needs 12",
    );
  });

  it('rejects overlapping tensors', () => {
    const header = { a: tensor('F32', [2], 0, 8), b: tensor('F32', [2], 4, 12) };
    expect(() => readSafetensors(rawFile(header, 12))).toThrow("safetensors tensors 'a' and 'b' overlap in the data section");
  });

  it('rejects malformed entries and metadata', () => {
    expect(() => readSafetensors(rawFile({ w: tensor('F32', [-1], 0, 0) }, 0))).toThrow(
      "safetensors tensor 'w': shape must be an array of non-negative integers",
    );
    expect(() => readSafetensors(rawFile({ w: { dtype: 'F32', shape: [1] } }, 4))).toThrow(
      "safetensors tensor 'w': data_offsets must be [begin, end]",
    );
    expect(() => readSafetensors(rawFile({ w: 3 }, 0))).toThrow("safetensors tensor 'w': header entry is not an object");
    expect(() => readSafetensors(rawFile({ __metadata__: { n: 1 } }, 0))).toThrow(
      "safetensors __metadata__ must map strings to strings ('n' is number)",
    );
  });
});
