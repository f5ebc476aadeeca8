import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithFixtures } from '../train/testing/full-data-tests';
import { PYTORCH_FIXTURE_MODELS, pytorchFixturePath } from '../train/testing/shared-data';
import { encodeNpy, parseNpy, type NpyArray } from './npy';
import { npzMetadata, readNpz, writeNpz } from './npz';

/** A .npy file with a hand-written header (any version, descr, order), padded as numpy pads. */
function rawNpy(header: string, payload: Uint8Array, major = 1): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  const padded = header + ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(prefix + padded.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), prefix);
  out.set(payload, prefix + padded.length);
  return out;
}

const samples: NpyArray[] = [
  { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1.5, -0, NaN, Infinity, 1e-40, -3.25]) },
  { dtype: 'float64', shape: [3], data: Float64Array.from([Math.PI, -1e300, 5e-324]) },
  { dtype: 'uint8', shape: [2, 2, 1], data: Uint8Array.from([0, 1, 254, 255]) },
  { dtype: 'int32', shape: [2], data: Int32Array.from([-2147483648, 2147483647]) },
  { dtype: 'int64', shape: [2], data: BigInt64Array.from([-(2n ** 63n), 2n ** 53n + 1n]) },
  { dtype: 'bool', shape: [3], data: Uint8Array.from([1, 0, 1]) },
  { dtype: 'float32', shape: [], data: Float32Array.from([7]) },
  { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) },
];

function bytesOf(a: NpyArray): Uint8Array {
  return new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
}

describe('npy', () => {
  for (const sample of samples) {
    it(`round-trips ${sample.dtype} [${sample.shape.join(',')}] bit-exactly`, () => {
      const file = encodeNpy(sample);
      const headerEnd = file.indexOf(0x0a) + 1;
      expect(headerEnd % 64).toBe(0); // numpy's alignment
      const back = parseNpy(file);
      expect(back.dtype).toBe(sample.dtype);
      expect(back.shape).toEqual(sample.shape);
      expect(back.data.constructor).toBe(sample.data.constructor);
      expect(Array.from(bytesOf(back))).toEqual(Array.from(bytesOf(sample)));
    });
  }

  it('writes the header numpy writes', () => {
    const file = encodeNpy({ dtype: 'float32', shape: [3], data: new Float32Array(3) });
    const header = new TextDecoder('latin1').decode(file.subarray(10, file.indexOf(0x0a)));
    expect(header.trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }");
  });

  it('reads version 2.0 headers', () => {
    const a = parseNpy(rawNpy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", Uint8Array.from([1, 0, 0, 0, 2, 0, 0, 0]), 2));
    expect(Array.from(a.data as Int32Array)).toEqual([1, 2]);
  });

  it('copies data out of an unaligned view', () => {
    const file = encodeNpy(samples[0]);
    const holder = new Uint8Array(file.length + 1);
    holder.set(file, 1);
    const back = parseNpy(holder.subarray(1));
    expect(back.data.byteOffset).toBe(0);
    expect(Array.from(bytesOf(back))).toEqual(Array.from(bytesOf(samples[0])));
  });

  it('refuses Fortran order', () => {
    const file = rawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16));
    expect(() => parseNpy(file, 'w')).toThrow('w: Fortran-order arrays are not supported');
  });

  it('refuses big-endian and unknown dtypes', () => {
    expect(() => parseNpy(rawNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)))).toThrow(
      /unsupported dtype '>f4': big-endian data is not supported/,
    );
    expect(() => parseNpy(rawNpy("{'descr': '|f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)))).toThrow(
      /unsupported dtype '\|f4'/,
    );
    expect(() => parseNpy(rawNpy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)))).toThrow(
      /unsupported dtype '<c8'/,
    );
  });

  it('is not fooled by decoy keys inside strings', () => {
    // The real order is Fortran; a decoy in a string key says otherwise.
    const fortran = rawNpy(`{'descr': '<f4', "x 'fortran_order': False": 1, 'fortran_order': True, 'shape': (2, 2), }`, new Uint8Array(16));
    expect(() => parseNpy(fortran, 'f')).toThrow(/f: malformed .npy header|exactly the keys/);
    const fortranInDescr = rawNpy(`{'descr': "<f4', 'fortran_order': False, '", 'fortran_order': True, 'shape': (2, 2), }`, new Uint8Array(16));
    expect(() => parseNpy(fortranInDescr, 'g')).toThrow(/g: unsupported dtype/);
    // The real descr is big-endian; the regex used to take the first quoted '<f4' it met.
    const bigEndian = rawNpy(`{'shape': (1,), 'fortran_order': False, 'descr': '>f4', }`, new Uint8Array(4));
    expect(() => parseNpy(bigEndian, 'b')).toThrow(/b: unsupported dtype '>f4'/);
    const decoyShape = rawNpy(`{'descr': "<f4', 'shape': (9,)", 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4));
    expect(() => parseNpy(decoyShape, 'c')).toThrow(/c: unsupported dtype '<f4', 'shape': \(9,\)'/);
    const escaped = rawNpy(`{'descr': '<f4\\', \\'shape\\': (9,)', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4));
    expect(() => parseNpy(escaped, 'e')).toThrow(/e: unsupported dtype '<f4', 'shape': \(9,\)'/);
  });

  it('reads keys in any order and with double quotes, as Python would', () => {
    const a = parseNpy(rawNpy(`{"shape": (2,), "fortran_order": False, "descr": "<i4"}`, Uint8Array.from([3, 0, 0, 0, 4, 0, 0, 0])));
    expect(Array.from(a.data as Int32Array)).toEqual([3, 4]);
    const b = parseNpy(rawNpy(`{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3), }`, new Uint8Array(12)));
    expect(b.shape).toEqual([1, 3]); // Fortran and C order are the same bytes with one long axis
  });

  it('refuses malformed headers with the array name', () => {
    const bad = [
      `{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1, }`,
      `{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }`,
      `{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,), }`,
      `{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }`,
      `{'descr': '<f4', 'fortran_order': False, 'shape': (1,) `,
      `{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }`,
      `{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }`,
    ];
    for (const header of bad) expect(() => parseNpy(rawNpy(header, new Uint8Array(4)), 'm'), header).toThrow(/^m: /);
  });

  it('refuses data that does not match the shape', () => {
    const file = rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", new Uint8Array(8));
    expect(() => parseNpy(file, 'x')).toThrow('x: data is 8 bytes, expected 12 for shape [3] float32');
  });

  it('refuses a file without the magic or with a header past the end', () => {
    expect(() => parseNpy(new TextEncoder().encode('hello world!'), 'q')).toThrow('q is not a .npy array (bad magic)');
    const file = encodeNpy(samples[0]);
    expect(() => parseNpy(file.subarray(0, 40), 'q')).toThrow(/header length 118 goes beyond the end/);
  });
});

describe('npz', () => {
  it('round-trips arrays and metadata', async () => {
    const arrays = new Map<string, NpyArray>([
      ['fc1.weight', samples[0]],
      ['counts', samples[4]],
    ]);
    const file = writeNpz(arrays, { format: 'scratchnet/1', note: 'héllo' });
    const back = await readNpz(file);
    expect([...back.keys()]).toEqual(['fc1.weight', 'counts', '__metadata__']);
    expect(back.get('__metadata__')!.dtype).toBe('uint8');
    expect(Array.from(bytesOf(back.get('fc1.weight')!))).toEqual(Array.from(bytesOf(samples[0])));
    expect((back.get('counts')!.data as BigInt64Array)[1]).toBe(2n ** 53n + 1n);
    expect(npzMetadata(back)).toEqual({ format: 'scratchnet/1', note: 'héllo' });
  });

  it('reads only .npy members and refuses a key listed twice before inflating', async () => {
    const npy = encodeNpy(samples[1]);
    const { writeZip } = await import('./zip');
    const zip = writeZip([{ name: 'readme.txt', data: new Uint8Array(10) }, { name: 'a.npy', data: npy }]);
    expect([...(await readNpz(zip)).keys()]).toEqual(['a']);
    const twice = writeZip([{ name: 'a.npy', data: npy }, { name: 'a.npy', data: npy }]);
    await expect(readNpz(twice)).rejects.toThrow("npz archive holds 'a' twice");
  });

  it('passes the inflate budget to the zip reader', async () => {
    const file = writeNpz(new Map([['big', { dtype: 'uint8', shape: [5000], data: new Uint8Array(5000) }]]));
    await expect(readNpz(file, { maxTotalBytes: 1000 })).rejects.toThrow(/more than the 1000-byte limit/);
  });

  it('refuses a file that is not a zip', async () => {
    await expect(readNpz(new Uint8Array(30))).rejects.toThrow('not an npz archive (no zip signature)');
  });

  const ioFiles = PYTORCH_FIXTURE_MODELS.map((name) => `${name}.io.npz`);
  itWithFixtures(ioFiles, 'reads every PyTorch fixture input file with the right dtypes and shapes', async () => {
    for (const f of ioFiles) {
      const arrays = await readNpz(readFileSync(pytorchFixturePath(f)));
      const t32 = arrays.get('torch32')!;
      const t64 = arrays.get('torch64')!;
      expect(t64.dtype).toBe('float64');
      expect(t64.data).toBeInstanceOf(Float64Array);
      expect(t32.shape).toEqual(t64.shape);
      const [n, classes] = t64.shape;
      expect(classes).toBe(f.startsWith('cnn2head') ? 20 : f.startsWith('cnn') ? 100 : 10);
      if (f.startsWith('rnn')) {
        const seqs = arrays.get('seqs')!;
        const lengths = arrays.get('lengths')!;
        expect(seqs.dtype).toBe('float64');
        expect(seqs.shape).toEqual([n, seqs.shape[1], 3]);
        expect(lengths.dtype).toBe('int64');
        expect(lengths.shape).toEqual([n]);
        for (const len of lengths.data as BigInt64Array) expect(len >= 1n && len <= BigInt(seqs.shape[1])).toBe(true);
      } else {
        const pixels = arrays.get('pixels')!;
        expect(pixels.dtype).toBe('uint8');
        expect(pixels.shape).toEqual(f.startsWith('mlp') ? [n, 784] : [n, 1, 28, 56]);
        expect(Math.max(...(pixels.data as Uint8Array))).toBeGreaterThan(200);
      }
    }
  });
});
