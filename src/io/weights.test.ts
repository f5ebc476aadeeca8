import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithFixtures, itWithFullData } from '../train/testing/full-data-tests';
import { PYTORCH_FIXTURE_MODELS, PYTORCH_FIXTURES, pytorchFixturePath } from '../train/testing/shared-data';
import type { StateDict } from '../nn/types';
import { encodeNpy } from './npy';
import { writeNpz } from './npz';
import { writeSafetensors } from './safetensors';
import { decodeWeights, encodeWeights, sniffWeightFormat, weightMetadata, type WeightFile } from './weights';
import { readZip, writeZip } from './zip';

function sampleWeights(): WeightFile {
  const tensors: StateDict = new Map([
    ['fc1.weight', { shape: [4, 3], data: Float32Array.from([1, -0, NaN, Infinity, -Infinity, 1e-45, 0.1, 0.2, 0.3, -7, 8, 9]) }],
    ['fc1.bias', { shape: [4], data: Float32Array.from([0.5, -0.5, 3.4028234663852886e38, 1.17549435e-38]) }],
    ['norm.mean', { shape: [3], data: Float32Array.from([0.1307, 0.1307, 0.1307]) }],
  ]);
  return {
    model: 'mlp',
    config: { hidden: [4], activation: 'leaky_relu', leaky_slope: 0.2 },
    classes: ['0', '1', '2'],
    metrics: { test_accuracy: 0.981, epochs: 12 },
    tensors,
  };
}

function bits(data: Float32Array): number[] {
  return Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
}

function expectSameTensors(actual: StateDict, expected: StateDict): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, t] of expected) {
    const got = actual.get(name)!;
    expect(got.shape, name).toEqual(t.shape);
    expect(got.data).toBeInstanceOf(Float32Array);
    expect(bits(got.data), name).toEqual(bits(t.data));
  }
}

describe('encodeWeights / decodeWeights round trip', () => {
  for (const format of ['safetensors', 'npz'] as const) {
    it(`${format}: metadata and bit-exact floats survive`, async () => {
      const w = sampleWeights();
      const bytes = encodeWeights(w, format);
      expect(sniffWeightFormat(bytes)).toBe(format);
      const back = await decodeWeights(bytes);
      expect(back.model).toBe(w.model);
      expect(back.config).toEqual(w.config);
      expect(back.classes).toEqual(w.classes);
      expect(back.metrics).toEqual(w.metrics);
      expectSameTensors(back.tensors, w.tensors);
    });

    it(`${format}: decodes from a view at an odd offset (unaligned data)`, async () => {
      const bytes = encodeWeights(sampleWeights(), format);
      const holder = new Uint8Array(bytes.length + 3);
      holder.set(bytes, 3);
      expectSameTensors((await decodeWeights(holder.subarray(3))).tensors, sampleWeights().tensors);
    });
  }

  it('writes the A1 metadata strings', () => {
    const meta = weightMetadata(sampleWeights());
    expect(meta.format).toBe('scratchnet/1');
    expect(meta.model).toBe('mlp');
    expect(JSON.parse(meta.classes)).toEqual(['0', '1', '2']);
    expect(JSON.parse(meta.config)).toEqual(sampleWeights().config);
  });
});

describe('PyTorch fixtures', () => {
  itWithFullData('has all eleven reference models', () => {
    const names = readdirSync(PYTORCH_FIXTURES).filter((f) => f.endsWith('.safetensors')).map((f) => f.replace(/\.safetensors$/, ''));
    expect(names.sort()).toEqual([...PYTORCH_FIXTURE_MODELS].sort());
  });

  for (const name of PYTORCH_FIXTURE_MODELS) {
    itWithFixtures([`${name}.safetensors`, `${name}.npz`], `${name}: safetensors and npz give the same weight file`, async () => {
      const fromSafetensors = await decodeWeights(readFileSync(pytorchFixturePath(`${name}.safetensors`)));
      const fromNpz = await decodeWeights(readFileSync(pytorchFixturePath(`${name}.npz`)));
      expect(fromSafetensors.model).toBe(name.split('_')[0]);
      expect(fromNpz.model).toBe(fromSafetensors.model);
      expect(fromNpz.config).toEqual(fromSafetensors.config);
      expect(fromNpz.classes).toEqual(fromSafetensors.classes);
      expect(fromSafetensors.classes.length).toBe(name.startsWith('cnn') ? 100 : 10);
      expect(fromSafetensors.metrics).toEqual({});
      expectSameTensors(fromNpz.tensors, fromSafetensors.tensors);
      // Our own encoders reproduce the same tensors.
      for (const format of ['safetensors', 'npz'] as const) {
        const again = await decodeWeights(encodeWeights(fromSafetensors, format));
        expectSameTensors(again.tensors, fromSafetensors.tensors);
      }
    });
  }

  itWithFixtures(['mlp_relu_256_128_64.safetensors'], 'reads the documented layout of an MLP fixture', async () => {
    const w = await decodeWeights(readFileSync(pytorchFixturePath('mlp_relu_256_128_64.safetensors')));
    expect(w.config).toEqual({ hidden: [256, 128, 64], activation: 'relu' });
    expect(w.tensors.get('fc1.weight')!.shape).toEqual([256, 784]);
    expect(w.tensors.get('fc4.bias')!.shape).toEqual([10]);
  });
});

function npzWithMetadata(meta: Record<string, string> | undefined, tensorDtype: 'float32' | 'int32' = 'float32'): Uint8Array {
  const data = tensorDtype === 'float32' ? new Float32Array(2) : new Int32Array(2);
  return writeNpz(new Map([['w', { dtype: tensorDtype, shape: [2], data }]]), meta);
}

function validMeta(): Record<string, string> {
  return weightMetadata(sampleWeights());
}

describe('decodeWeights on bad input', () => {
  const cases: Array<[string, () => Uint8Array, string | RegExp]> = [
    ['empty file', () => new Uint8Array(0), 'not a safetensors or npz weight file (only 0 bytes)'],
    ['text file', () => new TextEncoder().encode('hello, this is not weights'), 'not a safetensors or npz weight file'],
    ['truncated safetensors', () => encodeWeights(sampleWeights(), 'safetensors').subarray(0, 100), /^safetensors header length \d+ goes beyond the end of the file \(100 bytes\)$/],
    ['truncated npz', () => encodeWeights(sampleWeights(), 'npz').subarray(0, 300), /zip archive is truncated or corrupt/],
    ['no metadata (safetensors)', () => writeSafetensors(sampleWeights().tensors), /weight file has no __metadata__/],
    ['no metadata (npz)', () => npzWithMetadata(undefined), /weight file has no __metadata__/],
    ['wrong format tag', () => npzWithMetadata({ ...validMeta(), format: 'other/2' }), "unsupported weight file format 'other/2' (expected 'scratchnet/1')"],
    ['missing format', () => writeSafetensors(sampleWeights().tensors, { model: 'mlp' }), "weight file metadata is missing 'format'"],
    ['missing model', () => npzWithMetadata({ format: 'scratchnet/1' }), "weight file metadata is missing 'model'"],
    ['unknown model', () => npzWithMetadata({ ...validMeta(), model: 'transformer' }), /^unknown model kind 'transformer'/],
    ['missing config', () => npzWithMetadata({ format: 'scratchnet/1', model: 'mlp', classes: '["a"]' }), "weight file metadata is missing 'config'"],
    ['config not JSON', () => npzWithMetadata({ ...validMeta(), config: '{hidden' }), "weight file metadata 'config' is not valid JSON"],
    ['classes not strings', () => npzWithMetadata({ ...validMeta(), classes: '[1,2]' }), "weight file metadata 'classes' must be a non-empty JSON array of strings"],
    ['integer tensor', () => npzWithMetadata(validMeta(), 'int32'), "tensor 'w' has dtype int32; weight tensors must be float32"],
    ['no tensors', () => writeSafetensors(new Map(), validMeta()), 'weight file holds no tensors'],
    [
      'metadata member of the wrong dtype',
      () => writeZip([{ name: '__metadata__.npy', data: encodeNpy({ dtype: 'float32', shape: [1], data: new Float32Array(1) }) }]),
      'npz __metadata__ must be a 1-D uint8 array, found float32 [1]',
    ],
  ];
  for (const [label, make, message] of cases) {
    it(label, async () => {
      await expect(decodeWeights(make())).rejects.toThrow(message);
    });
  }

  it('narrows float64 tensors written by a double-precision export', async () => {
    const bytes = writeNpz(new Map([['w', { dtype: 'float64', shape: [2], data: Float64Array.from([0.5, 1 / 3]) }]]), validMeta());
    const w = await decodeWeights(bytes);
    expect(Array.from(w.tensors.get('w')!.data)).toEqual([0.5, Math.fround(1 / 3)]);
  });

  it('npz export is a plain stored zip with .npy members', async () => {
    const members = (await readZip(encodeWeights(sampleWeights(), 'npz'))).map((e) => e.name);
    expect(members).toEqual(['fc1.weight.npy', 'fc1.bias.npy', 'norm.mean.npy', '__metadata__.npy']);
  });
});
