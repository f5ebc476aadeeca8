import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { decodeWeights } from '../../io/weights';
import { readNpz } from '../../io/npz';
import { CpuBackend } from '../../kernels/cpu';
import { itWithFixtures } from '../../train/testing/full-data-tests';
import { pytorchFixturePath } from '../../train/testing/shared-data';
import { loadStateDict, modelFromWeights, stateDictOf } from '.';
import type { InputNorm } from '../types';

const MLP_FIXTURES = ['mlp_relu_256_128_64', 'mlp_leaky_32', 'mlp_tanh_64_32', 'mlp_sigmoid_48'];

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(pytorchFixturePath(name)));
}

/** The network input of A1: pixels/255, standardized when the file has norm.*. */
function inputs(pixels: Uint8Array, count: number, norm: InputNorm | null | undefined): Float64Array {
  const x = new Float64Array(count * 784);
  for (let i = 0; i < x.length; i++) {
    const j = i % 784;
    x[i] = norm ? (pixels[i] / 255 - norm.mean[j]) / norm.std[j] : pixels[i] / 255;
  }
  return x;
}

describe('PyTorch cross-check (docs/weights.md, mlp fixtures)', () => {
  for (const name of MLP_FIXTURES) {
    for (const format of ['safetensors', 'npz'] as const) {
      itWithFixtures([`${name}.${format}`, `${name}.io.npz`], `${name}.${format}: float32 forward reproduces torch64 logits within 1e-4`, async () => {
        const weights = await decodeWeights(fixture(`${name}.${format}`));
        const io = await readNpz(fixture(`${name}.io.npz`));
        const pixels = io.get('pixels')!;
        const torch64 = io.get('torch64')!;
        const [count, classes] = torch64.shape;
        const backend = new CpuBackend({ precision: 'f32' });
        const model = modelFromWeights(backend, weights);
        expect(model.norm != null).toBe(weights.tensors.has('norm.mean'));
        const x = backend.tensor([count, 784], inputs(pixels.data as Uint8Array, count, model.norm));
        const logits = backend.readSync(model.forward({ input: x }, false));
        let worst = 0;
        for (let i = 0; i < count * classes; i++) worst = Math.max(worst, Math.abs(logits[i] - Number(torch64.data[i])));
        expect(worst).toBeLessThan(1e-4);
        model.dispose();
      });
    }
  }

  itWithFixtures(['mlp_tanh_64_32.safetensors', 'mlp_sigmoid_48.npz'], 'a weight file with a wrong shape is refused and the loaded model keeps its weights', async () => {
    const backend = new CpuBackend();
    const good = await decodeWeights(fixture('mlp_tanh_64_32.safetensors'));
    const model = modelFromWeights(backend, good);
    const before = stateDictOf(model);
    const other = await decodeWeights(fixture('mlp_sigmoid_48.npz'));
    expect(() => loadStateDict(model, other.tensors)).toThrow('fc1.weight: expected shape [64,784], file has [48,784]');
    expect(() => modelFromWeights(backend, { ...other, config: { hidden: [64, 32], activation: 'tanh' } }))
      .toThrow('fc1.weight: expected shape [64,784], file has [48,784]');
    for (const [key, t] of before) expect(stateDictOf(model).get(key)!.data).toEqual(t.data);
  });
});
