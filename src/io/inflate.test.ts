import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { itWithFullData } from '../train/testing/full-data-tests';
import { MNIST_DIR } from '../train/testing/shared-data';
import { inflateRaw } from './inflate';

const root = path.resolve(__dirname, '../..');

/** Deterministic pseudo-random bytes (xorshift32). */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

/** Text-like data over a small alphabet with repeats: exercises dynamic Huffman and long matches. */
function repetitiveBytes(n: number, seed: number): Uint8Array {
  const noise = randomBytes(n, seed);
  const out = new Uint8Array(n);
  const words = ['weight', 'bias', 'fc1.', 'conv2', ' ', '\n', '0123456789', 'gru.weight_hh_l0_reverse'];
  let i = 0;
  let k = 0;
  while (i < n) {
    const w = words[noise[k++ % n] % words.length];
    for (let j = 0; j < w.length && i < n; j++) out[i++] = w.charCodeAt(j);
  }
  return out;
}

function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual).equals(Buffer.from(expected))).toBe(true);
}

const inputs: Array<[string, Uint8Array]> = [
  ['empty', new Uint8Array(0)],
  ['one byte', new Uint8Array([42])],
  ['random 100 KB', randomBytes(100_000, 7)],
  ['repetitive 300 KB', repetitiveBytes(300_000, 11)],
  ['zeros 200 KB', new Uint8Array(200_000)],
  ['float32 weights', new Uint8Array(Float32Array.from(randomBytes(50_000, 3), (b) => (b - 128) / 37).buffer)],
];

describe('inflateRaw vs node:zlib', () => {
  for (const [label, data] of inputs) {
    for (const level of [0, 1, 6, 9]) {
      it(`${label}, level ${level}`, () => {
        expectSameBytes(inflateRaw(zlib.deflateRawSync(data, { level })), data);
      });
    }
    for (const strategy of [zlib.constants.Z_FIXED, zlib.constants.Z_HUFFMAN_ONLY, zlib.constants.Z_RLE]) {
      it(`${label}, strategy ${strategy}`, () => {
        expectSameBytes(inflateRaw(zlib.deflateRawSync(data, { strategy })), data);
      });
    }
  }

  itWithFullData('decodes the deflate stream inside a real gzip file (MNIST test images)', () => {
    const gz = readFileSync(path.join(MNIST_DIR, 't10k-images-idx3-ubyte.gz'));
    const expected = zlib.gunzipSync(gz);
    const flags = gz[3];
    let at = 10;
    if (flags & 4) at += 2 + gz.readUInt16LE(at); // FEXTRA
    if (flags & 8) while (gz[at++] !== 0); // FNAME
    if (flags & 16) while (gz[at++] !== 0); // FCOMMENT
    if (flags & 2) at += 2; // FHCRC
    const out = inflateRaw(new Uint8Array(gz.buffer, gz.byteOffset + at, gz.length - at - 8));
    expectSameBytes(out, expected);
  });

  it('round-trips a real source file', () => {
    const text = readFileSync(path.join(root, 'src/io/inflate.ts'));
    expectSameBytes(inflateRaw(zlib.deflateRawSync(text, { level: 9 })), text);
  });

  it('accepts an input that is a view at an odd offset', () => {
    const data = repetitiveBytes(5000, 5);
    const packed = zlib.deflateRawSync(data);
    const holder = new Uint8Array(packed.length + 3);
    holder.set(packed, 3);
    expectSameBytes(inflateRaw(holder.subarray(3)), data);
  });
});

describe('inflateRaw on bad input', () => {
  it('reports a truncated stream', () => {
    const packed = zlib.deflateRawSync(repetitiveBytes(20_000, 2));
    expect(() => inflateRaw(packed.subarray(0, packed.length >> 1))).toThrow(/truncated deflate data/);
  });

  it('reports a truncated stored block', () => {
    const packed = zlib.deflateRawSync(randomBytes(1000, 4), { level: 0 });
    expect(() => inflateRaw(packed.subarray(0, 500))).toThrow(/truncated deflate data/);
  });

  it('reports block type 3', () => {
    expect(() => inflateRaw(new Uint8Array([0x07, 0, 0]))).toThrow(/invalid block type 3/);
  });

  it('reports a stored block whose length check fails', () => {
    expect(() => inflateRaw(new Uint8Array([0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5]))).toThrow(/length check failed/);
  });

  it('reports a distance that reaches before the start', () => {
    // Fixed block: length code 257 (3 bytes) then distance code 0 (1 byte back) with nothing written yet.
    const bits: number[] = [1, 1, 0]; // BFINAL, BTYPE=01 (LSB first)
    const push = (code: number, len: number) => {
      for (let b = len - 1; b >= 0; b--) bits.push((code >> b) & 1); // Huffman codes go MSB first
    };
    push(0b0000001, 7); // symbol 257
    push(0, 5); // distance code 0
    const bytes = new Uint8Array(Math.ceil(bits.length / 8));
    bits.forEach((bit, i) => (bytes[i >> 3] |= bit << (i & 7)));
    expect(() => inflateRaw(bytes)).toThrow(/distance reaches before the start/);
  });
});
