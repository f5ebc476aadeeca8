/** maxPool2d: hand example, PyTorch tie/NaN rules, float64 gradient checks, shape errors. */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../backend';
import { assertGradients, tensorParam } from '../testing/gradcheck';
import { Rng } from '../rng';
import { CpuBackend } from './index';

const b = new CpuBackend({ precision: 'f64' });
const rng = new Rng(5);

function rand(shape: number[]): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return b.tensor(shape, Float64Array.from({ length: n }, () => rng.next() * 2 - 1));
}

function dot(x: Tensor, y: Tensor): number {
  const xs = b.readSync(x), ys = b.readSync(y);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * ys[i];
  return s;
}

const read = (t: Tensor): number[] => Array.from(b.readSync(t));

describe('maxPool2d', () => {
  it('hand example: first maximum wins ties, odd trailing row and column dropped', () => {
    const x = b.tensor([1, 1, 3, 5], [1, 5, 2, 8, 9, 5, 4, 8, 0, 9, 7, 7, 7, 7, 7]);
    const out = b.tensor([1, 1, 1, 2]), argmax = b.tensor([1, 1, 1, 2]);
    b.maxPool2d(x, out, argmax);
    expect(read(out)).toEqual([5, 8]);
    expect(read(argmax)).toEqual([1, 3]);
    const dx = b.tensor([1, 1, 3, 5], new Array(15).fill(42));
    b.maxPool2dBackward(b.tensor([1, 1, 1, 2], [10, 20]), argmax, dx);
    expect(read(dx)).toEqual([0, 10, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('NaN propagates like PyTorch', () => {
    const out = b.tensor([1, 1, 1, 1]), argmax = b.tensor([1, 1, 1, 1]);
    b.maxPool2d(b.tensor([1, 1, 2, 2], [1, NaN, 3, 2]), out, argmax);
    expect(read(out)[0]).toBeNaN();
    expect(read(argmax)).toEqual([1]);
  });

  for (const [batch, ch, h, w] of [[1, 1, 5, 7], [3, 2, 7, 9], [2, 3, 4, 6]]) {
    it(`gradient check B=${batch} C=${ch} ${h}×${w}`, () => {
      const x = rand([batch, ch, h, w]);
      const pooled = [batch, ch, Math.floor(h / 2), Math.floor(w / 2)];
      const out = b.tensor(pooled), argmax = b.tensor(pooled), g = rand(pooled), dx = b.tensor([...x.shape]);
      b.maxPool2d(x, out, argmax);
      b.maxPool2dBackward(g, argmax, dx);
      assertGradients(() => {
        b.maxPool2d(x, out, argmax);
        return dot(out, g);
      }, [tensorParam(b, 'x', x, dx)]);
    });
  }

  it('rejects bad shapes and a foreign argmax', () => {
    const x = b.tensor([1, 1, 4, 4]);
    expect(() => b.maxPool2d(x, b.tensor([1, 1, 2, 3]), b.tensor([1, 1, 2, 2]))).toThrow(/output must have shape \[1,1,2,2\]/);
    expect(() => b.maxPool2d(x, b.tensor([1, 1, 2, 2]), b.tensor([4]))).toThrow(/argmax must have shape/);
    const bogus = b.tensor([1, 1, 2, 2], [0, 1, 99, 2]);
    expect(() => b.maxPool2dBackward(b.tensor([1, 1, 2, 2]), bogus, b.tensor([1, 1, 4, 4]))).toThrow(/argmax holds 99/);
  });
});
