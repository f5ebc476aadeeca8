import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../kernels/cpu';
import { buildModel, describeArchitecture } from '.';

describe('describeArchitecture', () => {
  const backend = new CpuBackend();
  it('names the layer sizes and activation of an MLP', () => {
    const m = buildModel(backend, 'mlp', { hidden: [32, 16], activation: 'tanh' }, 1);
    expect(describeArchitecture(m, 784, 10)).toBe('784-32-16-10 · tanh');
    m.dispose();
  });
  it('names the channels of a CNN', () => {
    const m = buildModel(backend, 'cnn2head', { padding: 1, channels: [4, 8], fc: 16 }, 1);
    expect(describeArchitecture(m, 1568, 100)).toBe('conv 4→8 (pad 1) · fc 16 · two heads');
    m.dispose();
  });
});
