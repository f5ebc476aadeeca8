import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { decodeWeights } from '../../io/weights';
import { readNpz } from '../../io/npz';
import { CpuBackend } from '../../kernels/cpu';
import { itWithFixtures } from '../../train/testing/full-data-tests';
import { pytorchFixturePath } from '../../train/testing/shared-data';
import { classCountOf, loadStateDict, lossFor, modelFromWeights, stateDictOf } from '.';
import type { InputNorm } from '../types';

const CNN_FIXTURES = ['cnn_pad1_16_32_256', 'cnn_pad0_8_16_64', 'cnn2head_pad1_8_16_64'];
const PIXELS = 28 * 56;

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(pytorchFixturePath(name)));
}

/** The network input of A1: pixels/255, standardized when the file has norm.*. */
function inputs(pixels: Uint8Array, count: number, norm: InputNorm | null | undefined): Float64Array {
  const x = new Float64Array(count * PIXELS);
  for (let i = 0; i < x.length; i++) {
    const j = i % PIXELS;
    x[i] = norm ? (pixels[i] / 255 - norm.mean[j]) / norm.std[j] : pixels[i] / 255;
  }
  return x;
}

/** Exact element-wise equality (toEqual is slow on 800k-element arrays). */
function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function load(name: string, format: string) {
  const weights = await decodeWeights(fixture(`${name}.${format}`));
  const io = await readNpz(fixture(`${name}.io.npz`));
  return { weights, pixels: io.get('pixels')!.data as Uint8Array, torch64: io.get('torch64')! };
}

describe('PyTorch cross-check (docs/weights.md, cnn / cnn2head fixtures)', () => {
  for (const name of CNN_FIXTURES) {
    for (const format of ['safetensors', 'npz'] as const) {
      itWithFixtures([`${name}.${format}`, `${name}.io.npz`], `${name}.${format}: float32 forward reproduces torch64 logits within 1e-4`, async () => {
        const { weights, pixels, torch64 } = await load(name, format);
        const [count, outputs] = torch64.shape;
        const model = modelFromWeights(new CpuBackend({ precision: 'f32' }), weights);
        expect(model.kind).toBe(weights.model);
        expect(model.norm != null).toBe(weights.tensors.has('norm.mean'));
        const x = model.backend.tensor([count, 1, 28, 56], inputs(pixels, count, model.norm));
        const logits = model.backend.readSync!(model.forward({ input: x }, false));
        expect(logits.length).toBe(count * outputs);
        let worst = 0;
        for (let i = 0; i < count * outputs; i++) worst = Math.max(worst, Math.abs(logits[i] - Number(torch64.data[i])));
        expect(worst).toBeLessThan(1e-4);
        model.dispose();
      });
    }
  }

  itWithFixtures(['cnn2head_pad1_8_16_64.safetensors', 'cnn2head_pad1_8_16_64.io.npz'], 'cnn2head: the joint prediction is 10·argmax(head1) + argmax(head2) of the torch logits', async () => {
    const { weights, pixels, torch64 } = await load('cnn2head_pad1_8_16_64', 'safetensors');
    const model = modelFromWeights(new CpuBackend(), weights);
    expect(classCountOf(model)).toBe(100);
    const count = torch64.shape[0];
    const b = model.backend;
    const x = b.tensor([count, PIXELS], inputs(pixels, count, model.norm));
    const loss = lossFor(model);
    const out = loss.forward(model.forward({ input: x }, false), b.tensor([count], new Float32Array(count)));
    const probs = b.readSync!(out.probs);
    const t = Array.from(torch64.data as Float64Array);
    const argmax = (a: number[]): number => a.indexOf(Math.max(...a));
    for (let r = 0; r < count; r++) {
      const row = Array.from(probs.subarray(r * 100, (r + 1) * 100));
      const expected = 10 * argmax(t.slice(r * 20, r * 20 + 10)) + argmax(t.slice(r * 20 + 10, r * 20 + 20));
      expect(argmax(row)).toBe(expected);
      expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
    }
    loss.dispose();
    model.dispose();
  });

  itWithFixtures(['cnn_pad1_16_32_256.npz', 'cnn_pad1_16_32_256.io.npz'], 'round-trips through a state dict with norm.* shaped [1,28,56]', async () => {
    const { weights } = await load('cnn_pad1_16_32_256', 'npz');
    const model = modelFromWeights(new CpuBackend(), weights);
    const sd = stateDictOf(model);
    expect(sd.get('norm.mean')!.shape).toEqual([1, 28, 56]);
    for (const [key, t] of weights.tensors) expect(sameValues(sd.get(key)!.data, t.data), key).toBe(true);
    model.dispose();
  });

  itWithFixtures(['cnn_pad0_8_16_64.safetensors', 'cnn_pad1_16_32_256.safetensors'], 'a file whose tensors do not fit its config is refused; the loaded model keeps its weights', async () => {
    const backend = new CpuBackend();
    const good = await decodeWeights(fixture('cnn_pad0_8_16_64.safetensors'));
    const model = modelFromWeights(backend, good);
    const before = stateDictOf(model);
    const other = await decodeWeights(fixture('cnn_pad1_16_32_256.safetensors'));
    expect(() => loadStateDict(model, other.tensors)).toThrow('conv1.weight: expected shape [8,1,3,3], file has [16,1,3,3]');
    expect(() => modelFromWeights(backend, { ...good, config: { ...good.config, padding: 1 } }))
      .toThrow('fc1.weight: expected shape [64,1568], file has [64,960]');
    expect(() => modelFromWeights(backend, { ...good, config: { padding: 0, channels: 'x', fc: 64 } }))
      .toThrow('cnn config: "channels" must be a non-empty list of positive integers');
    const after = stateDictOf(model);
    for (const [key, t] of before) expect(sameValues(after.get(key)!.data, t.data), key).toBe(true);
    model.dispose();
  });
});
