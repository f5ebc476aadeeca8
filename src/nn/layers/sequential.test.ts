import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../kernels/cpu';
import { CnnModel } from '../models/cnn';
import type { Layer } from './layer';

describe('Sequential.forwardVisiting', () => {
  it('shows every layer its output in order and returns the same logits as forward', () => {
    const backend = new CpuBackend();
    const model = new CnnModel(backend, 'cnn', { padding: 1, channels: [2, 3], fc: 4, inputShape: [1, 4, 8], outputSize: 5 }, 7);
    const x = backend.tensor([2, 32], Array.from({ length: 64 }, (_, i) => Math.sin(i)));
    const seen: { name: string; shape: number[] }[] = [];
    const visited = backend.readSync!(model.forwardVisiting(x, false, (layer: Layer, out) => seen.push({ name: layer.name, shape: [...out.shape] }))).slice();
    const plain = backend.readSync!(model.forward({ input: x }, false));
    expect(visited).toEqual(plain);
    expect(seen.map((s) => s.name)).toEqual(['input', 'conv1', 'pool1', 'relu1', 'conv2', 'pool2', 'relu2', 'flatten', 'fc1', 'fc2']);
    expect(seen.find((s) => s.name === 'relu1')!.shape).toEqual([2, 2, 2, 4]);
    expect(seen.find((s) => s.name === 'relu2')!.shape).toEqual([2, 3, 1, 2]);
    expect(seen.at(-1)!.shape).toEqual([2, 5]);
  });
});
