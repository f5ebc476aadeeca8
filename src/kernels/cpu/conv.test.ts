/**
 * conv2d: finite-difference gradient checks (float64) and tiny hand-computed
 * examples. Wide randomized comparisons against the naive reference live in the shared
 * conformance suite (testing/conformance-conv.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../backend';
import { assertGradients, tensorParam } from '../testing/gradcheck';
import { Rng } from '../rng';
import { CpuBackend } from './index';

const b = new CpuBackend({ precision: 'f64' });
const rng = new Rng(11);

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

interface ConvCase { batch: number; inC: number; h: number; w: number; outC: number; k: number; pad: number }

const GRAD_CASES: ConvCase[] = [
  { batch: 1, inC: 3, h: 7, w: 9, outC: 2, k: 3, pad: 0 },
  { batch: 1, inC: 3, h: 7, w: 9, outC: 2, k: 3, pad: 1 },
  { batch: 3, inC: 3, h: 7, w: 9, outC: 2, k: 3, pad: 0 },
  { batch: 3, inC: 3, h: 7, w: 9, outC: 2, k: 3, pad: 1 },
  { batch: 2, inC: 1, h: 5, w: 4, outC: 3, k: 2, pad: 1 },
  // 3×3 with C = 5 / 9: the direct kernel hands over to im2col + GEMM (see conv.ts thresholds).
  { batch: 2, inC: 5, h: 5, w: 6, outC: 2, k: 3, pad: 1 },
  { batch: 2, inC: 9, h: 5, w: 6, outC: 2, k: 3, pad: 0 },
  { batch: 2, inC: 9, h: 5, w: 6, outC: 2, k: 3, pad: 1 },
  { batch: 2, inC: 2, h: 3, w: 3, outC: 1, k: 1, pad: 0 },
];

describe('conv2d gradients (f64 central differences, L = Σ g ⊙ conv(x))', () => {
  for (const c of GRAD_CASES) {
    it(`B=${c.batch} C=${c.inC} ${c.h}×${c.w} O=${c.outC} k=${c.k} pad=${c.pad}: input, weight, bias`, () => {
      const x = rand([c.batch, c.inC, c.h, c.w]), weight = rand([c.outC, c.inC, c.k, c.k]), bias = rand([c.outC]);
      const ho = c.h + 2 * c.pad - c.k + 1, wo = c.w + 2 * c.pad - c.k + 1;
      const out = b.tensor([c.batch, c.outC, ho, wo]), g = rand([c.batch, c.outC, ho, wo]);
      const dx = rand([...x.shape]), dw = b.tensor([...weight.shape]), db = b.tensor([c.outC]);
      b.conv2dBackwardInput(g, weight, dx, c.pad);
      b.conv2dBackwardWeight(x, g, dw, db, c.pad);
      const loss = () => {
        b.conv2d(x, weight, bias, out, c.pad);
        return dot(out, g);
      };
      const result = assertGradients(loss, [
        tensorParam(b, 'x', x, dx), tensorParam(b, 'weight', weight, dw), tensorParam(b, 'bias', bias, db),
      ]);
      expect(result.checked).toBe(x.size + weight.size + bias.size);
    });
  }

  it('accumulate adds into dweight and dbias', () => {
    const x = rand([2, 3, 5, 6]), g = rand([2, 4, 5, 6]);
    const dw = b.tensor([4, 3, 3, 3]), db = b.tensor([4]);
    b.conv2dBackwardWeight(x, g, dw, db, 1);
    const once = [...read(dw), ...read(db)];
    b.conv2dBackwardWeight(x, g, dw, db, 1, true);
    [...read(dw), ...read(db)].forEach((v, i) => expect(v).toBeCloseTo(2 * once[i], 12));
  });

  it('a wrong gradient is caught (transposed kernel = true convolution, not correlation)', () => {
    const x = rand([1, 1, 4, 4]), weight = rand([1, 1, 3, 3]), bias = rand([1]);
    const out = b.tensor([1, 1, 4, 4]), g = rand([1, 1, 4, 4]), dw = b.tensor([1, 1, 3, 3]), db = b.tensor([1]);
    b.conv2dBackwardWeight(x, g, dw, db, 1);
    const flipped = b.tensor([1, 1, 3, 3], read(dw).reverse());
    const loss = () => {
      b.conv2d(x, weight, bias, out, 1);
      return dot(out, g);
    };
    expect(() => assertGradients(loss, [tensorParam(b, 'weight', weight, flipped)])).toThrow(/gradient check failed/);
  });
});

describe('conv2d hand-computed examples', () => {
  const x = b.tensor([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it('2×2 kernel, no padding: forward, input and weight gradients', () => {
    const w = b.tensor([1, 1, 2, 2], [1, 2, 3, 4]), bias = b.tensor([1], [0.5]);
    const out = b.tensor([1, 1, 2, 2]);
    b.conv2d(x, w, bias, out, 0);
    expect(read(out)).toEqual([37.5, 47.5, 67.5, 77.5]);
    const ones = b.tensor([1, 1, 2, 2], [1, 1, 1, 1]);
    const dx = b.tensor([1, 1, 3, 3]), dw = b.tensor([1, 1, 2, 2]), db = b.tensor([1]);
    b.conv2dBackwardInput(ones, w, dx, 0);
    expect(read(dx)).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
    b.conv2dBackwardWeight(x, ones, dw, db, 0);
    expect(read(dw)).toEqual([12, 16, 24, 28]);
    expect(read(db)).toEqual([4]);
  });

  it('3×3 kernel, padding 1: cross-correlation (not flipped), zeros outside the image', () => {
    const zero = b.tensor([1]), out = b.tensor([1, 1, 3, 3]);
    b.conv2d(x, b.tensor([1, 1, 3, 3], [0, 0, 0, 0, 1, 2, 0, 0, 0]), zero, out, 1);
    expect(read(out)).toEqual([5, 8, 3, 14, 17, 6, 23, 26, 9]);
    b.conv2d(x, b.tensor([1, 1, 3, 3], [1, 0, 0, 0, 0, 0, 0, 0, 0]), zero, out, 1);
    expect(read(out)).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
  });

  it('two channels in, two out: channels sum, outputs are separate planes', () => {
    const x2 = b.tensor([1, 2, 1, 2], [1, 2, 10, 20]);
    const w = b.tensor([2, 2, 1, 1], [1, 1, 1, -1]), bias = b.tensor([2], [0, 100]);
    const out = b.tensor([1, 2, 1, 2]);
    b.conv2d(x2, w, bias, out, 0);
    expect(read(out)).toEqual([11, 22, 91, 82]);
  });

  it('rejects mismatched shapes with clear messages', () => {
    const w = b.tensor([2, 1, 3, 3]), bias = b.tensor([2]);
    expect(() => b.conv2d(x, b.tensor([2, 3, 3, 3]), bias, b.tensor([1, 2, 3, 3]), 1)).toThrow(/3 input channels but the input \[1,1,3,3\] has 1/);
    expect(() => b.conv2d(x, w, bias, b.tensor([1, 2, 3, 3]), 0)).toThrow(/out must have shape \[1,2,1,1\]/);
    expect(() => b.conv2d(x, w, b.tensor([3]), b.tensor([1, 2, 3, 3]), 1)).toThrow(/bias \[3\] must hold 2 values/);
    expect(() => b.conv2d(x, b.tensor([2, 1, 5, 5]), bias, b.tensor([1, 2, 1, 1]), 0)).toThrow(/does not fit a 3×3 input/);
    expect(() => b.conv2d(x, b.tensor([2, 1, 3, 2]), bias, b.tensor([1, 2, 3, 3]), 1)).toThrow(/square/);
    expect(() => b.conv2d(x, w, bias, b.tensor([1, 2, 3, 3]), 0.5)).toThrow(/padding/);
    expect(() => b.conv2d(b.tensor([9]), w, bias, b.tensor([1, 2, 3, 3]), 1)).toThrow(/4-D/);
    expect(() => b.conv2dBackwardInput(b.tensor([1, 2, 2, 2]), w, b.tensor([1, 1, 3, 3]), 1)).toThrow(/dy must have shape \[1,2,3,3\]/);
  });
});

describe('allocation', () => {
  it('a warm conv + pool step creates no typed arrays and grows no scratch', () => {
    const f32 = new CpuBackend();
    const x = f32.tensor([5, 3, 12, 10]), w = f32.tensor([8, 3, 3, 3]), bias = f32.tensor([8]);
    const y = f32.tensor([5, 8, 12, 10]), p = f32.tensor([5, 8, 6, 5]), am = f32.tensor([5, 8, 6, 5]);
    const dy = f32.tensor([5, 8, 12, 10]), dx = f32.tensor([5, 3, 12, 10]), dw = f32.tensor([8, 3, 3, 3]), db = f32.tensor([8]);
    const step = () => {
      f32.conv2d(x, w, bias, y, 1);
      f32.maxPool2d(y, p, am);
      f32.maxPool2dBackward(p, am, dy);
      f32.conv2dBackwardWeight(x, dy, dw, db, 1);
      f32.conv2dBackwardInput(dy, w, dx, 1);
    };
    step();
    const before = f32.stats();
    for (let i = 0; i < 3; i++) step();
    expect(f32.stats()).toEqual(before);
  });
});
