import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../kernels/cpu';
import { CnnModel, MlpModel, stateDictOf } from '../../nn/models';
import { firstLayerWeights, imageShapeOf } from './first-layer';

describe('first-layer weights', () => {
  it('returns the first rows of fc1.weight with the input image shape', async () => {
    const model = new MlpModel(new CpuBackend(), { hidden: [70, 8], activation: 'relu' }, 1);
    const result = await firstLayerWeights(model);
    const fc1 = stateDictOf(model).get('fc1.weight')!;
    expect(result).toMatchObject({ units: 70, inputs: 784, shown: 64, imageShape: [28, 28] });
    expect(result!.weights).toEqual(fc1.data.slice(0, 64 * 784));
    expect(await firstLayerWeights(new MlpModel(new CpuBackend(), { hidden: [], activation: 'relu' }, 1))).toBeNull();
    expect(await firstLayerWeights(null)).toBeNull();
  });

  it('shows nothing for a CNN, whose fc1.weight reads feature maps rather than the image', async () => {
    const cnn = new CnnModel(new CpuBackend(), 'cnn', { channels: [4], fc: 8, padding: 1 }, 1);
    expect(stateDictOf(cnn).get('fc1.weight')?.shape).toHaveLength(2);
    expect(await firstLayerWeights(cnn)).toBeNull();
  });

  it('shapes square inputs as images and others as a row', () => {
    expect(imageShapeOf(784)).toEqual([28, 28]);
    expect(imageShapeOf(256)).toEqual([16, 16]);
    expect(imageShapeOf(10)).toEqual([1, 10]);
  });
});
