import { describe, expect, it } from 'vitest';
import type { Backend } from '../../kernels/backend';
import { CpuBackend } from '../../kernels/cpu';
import { WasmBackend } from '../../kernels/wasm';
import { CnnModel, MlpModel, stateDictOf } from '../../nn/models';
import { cnnFeatures } from './cnn-features';

const TINY = { padding: 1, channels: [2, 3], fc: 4, inputShape: [1, 4, 8], outputSize: 5 };

/** conv (3×3, zero padding 1, cross-correlation) → 2×2 max-pool → ReLU on the host, in float64. */
function blockOnHost(x: number[], [c, h, w]: number[], weight: Float32Array, bias: Float32Array, out: number): { values: number[]; shape: number[] } {
  const conv = new Array<number>(out * h * w).fill(0);
  for (let o = 0; o < out; o++) {
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        let sum = bias[o];
        for (let ci = 0; ci < c; ci++) {
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const iy = y + ky - 1, ix = xx + kx - 1;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              sum += weight[((o * c + ci) * 3 + ky) * 3 + kx] * x[(ci * h + iy) * w + ix];
            }
          }
        }
        conv[(o * h + y) * w + xx] = sum;
      }
    }
  }
  const ph = Math.floor(h / 2), pw = Math.floor(w / 2);
  const values: number[] = [];
  for (let o = 0; o < out; o++) {
    for (let y = 0; y < ph; y++) {
      for (let xx = 0; xx < pw; xx++) {
        let m = -Infinity;
        for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) m = Math.max(m, conv[(o * h + 2 * y + dy) * w + 2 * xx + dx]);
        values.push(Math.max(0, m));
      }
    }
  }
  return { values, shape: [out, ph, pw] };
}

function tinyModel(backend: Backend): CnnModel {
  const model = new CnnModel(backend, 'cnn', TINY, 3);
  model.norm = {
    mean: Float32Array.from({ length: 32 }, (_, i) => 0.1 + 0.01 * i),
    std: Float32Array.from({ length: 32 }, (_, i) => 0.5 + 0.02 * i),
  };
  return model;
}

const PIXELS = Uint8Array.from({ length: 32 }, (_, i) => (i * 37) % 256);

describe('cnnFeatures', () => {
  it('matches a direct computation of each block (standardized with the model norm) and the filters', async () => {
    const model = tinyModel(new CpuBackend());
    const sd = stateDictOf(model);
    const result = (await cnnFeatures(model, PIXELS))!;
    let x = Array.from(PIXELS, (p, i) => (p / 255 - model.norm!.mean[i]) / model.norm!.std[i]);
    let shape = [1, 4, 8];
    for (const [i, out] of TINY.channels.entries()) {
      const block = blockOnHost(x, shape, sd.get(`conv${i + 1}.weight`)!.data, sd.get(`conv${i + 1}.bias`)!.data, out);
      const got = result.maps![i];
      expect([got.channels, got.height, got.width]).toEqual(block.shape);
      expect(got.values.length).toBe(block.values.length);
      block.values.forEach((v, j) => expect(got.values[j]).toBeCloseTo(v, 5));
      x = block.values;
      shape = block.shape;
    }
    expect(result.maps!.map((m) => m.name)).toEqual(['block1', 'block2']);
    expect(result.maps![1].values.some((v) => v > 0)).toBe(true);

    const [conv1, conv2] = result.filters;
    expect(conv1).toMatchObject({ name: 'conv1', outChannels: 2, inChannels: 1, kernel: 3 });
    expect(conv1.weights).toEqual(sd.get('conv1.weight')!.data);
    expect(conv2).toMatchObject({ name: 'conv2', outChannels: 3, inChannels: 2, kernel: 3 });
    const w2 = sd.get('conv2.weight')!.data;
    for (let o = 0; o < 3; o++) {
      for (let k = 0; k < 9; k++) expect(conv2.weights[o * 9 + k]).toBeCloseTo((w2[(o * 2) * 9 + k] + w2[(o * 2 + 1) * 9 + k]) / 2, 6);
    }
  });

  it('reads back asynchronously (no readSync, as on WebGL2) and agrees on WebAssembly', async () => {
    const reference = (await cnnFeatures(tinyModel(new CpuBackend()), PIXELS))!;
    const asyncOnly = Object.assign(new CpuBackend(), { readSync: undefined });
    for (const backend of [asyncOnly, new WasmBackend()] as Backend[]) {
      const got = (await cnnFeatures(tinyModel(backend), PIXELS))!;
      got.maps!.forEach((m, i) => m.values.forEach((v, j) => expect(v).toBeCloseTo(reference.maps![i].values[j], 4)));
      got.filters.forEach((f, i) => f.weights.forEach((v, j) => expect(v).toBeCloseTo(reference.filters[i].weights[j], 6)));
    }
  });

  it('gives 16 maps of 14×28 then 32 of 7×14 for the page’s 28×56 pairs, filters alone without input', async () => {
    const backend = new CpuBackend();
    const model = new CnnModel(backend, 'cnn2head', { padding: 1, channels: [16, 32], fc: 8 }, 1);
    const pixels = new Uint8Array(28 * 56);
    pixels.fill(255, 10 * 56, 12 * 56);
    const result = (await cnnFeatures(model, pixels))!;
    const afterFirst = backend.liveTensors();
    expect(result.inputShape).toEqual([1, 28, 56]);
    expect(result.maps!.map((m) => [m.channels, m.height, m.width, m.values.length])).toEqual([[16, 14, 28, 16 * 14 * 28], [32, 7, 14, 32 * 7 * 14]]);
    expect(result.filters.map((f) => [f.outChannels, f.weights.length])).toEqual([[16, 16 * 9], [32, 32 * 9]]);
    // Batch-1 buffers stay with the layers (as for prediction); the copies and staging are freed.
    expect((await cnnFeatures(model, pixels))!.maps![0].values).toEqual(result.maps![0].values);
    expect(backend.liveTensors()).toBe(afterFirst);
    expect((await cnnFeatures(model, null))!.maps).toBeNull();
    await expect(cnnFeatures(model, new Uint8Array(784))).rejects.toThrow(/reads 1568 pixels \(1×28×56\), got 784/);
    expect(await cnnFeatures(new MlpModel(backend, { hidden: [4], activation: 'relu' }, 1), null)).toBeNull();
    expect(await cnnFeatures(null, pixels)).toBeNull();
  });

});
