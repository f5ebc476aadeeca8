/**
 * Every differentiable op's backward against central finite differences in float64.
 * Each check uses the scalar L = Σ w ⊙ f(inputs) with a fixed random w, so dL/dout = w.
 */
import { describe, expect, it } from 'vitest';
import { activationKinds } from '../activations';
import type { Tensor } from '../backend';
import { assertGradients, tensorParam } from '../testing/gradcheck';
import { Rng } from '../rng';
import { CpuBackend } from './index';

const b = new CpuBackend({ precision: 'f64' });
const rng = new Rng(7);

function rand(shape: number[], lo = -1, hi = 1): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return b.tensor(shape, Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.next()));
}

function dot(x: Tensor, y: Tensor): number {
  const xs = b.readSync(x), ys = b.readSync(y);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * ys[i];
  return s;
}

/** Gradient-checks `forward` w.r.t. `inputs`; `backward(w)` returns analytic grads by name. */
function checkOp(
  inputs: Record<string, Tensor>, forward: () => Tensor, backward: (dy: Tensor) => Record<string, Tensor>,
): number {
  const out = forward();
  const w = rand([...out.shape]);
  const grads = backward(w);
  const params = Object.entries(inputs).map(([name, t]) => tensorParam(b, name, t, grads[name]));
  const result = assertGradients(() => dot(forward(), w), params);
  return result.worst!.ratio;
}

describe('gradient checks (f64 central differences)', () => {
  const MATMUL_SHAPES: [number, number, number][] = [[1, 1, 1], [1, 5, 3], [3, 4, 5], [7, 9, 13], [10, 3, 17]];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`matmul transA=${transA} transB=${transB}`, () => {
        for (const [m, n, k] of MATMUL_SHAPES) {
          const A = rand(transA ? [k, m] : [m, k]), B = rand(transB ? [n, k] : [k, n]);
          const out = b.tensor([m, n]), dA = b.tensor([...A.shape]), dB = b.tensor([...B.shape]);
          const ratio = checkOp({ A, B }, () => {
            b.matmul(A, B, out, { transA, transB });
            return out;
          }, (G) => {
            // dA = G·op(B)ᵀ (stored transposed when transA); dB = op(A)ᵀ·G (likewise).
            if (transA) b.matmul(B, G, dA, { transA: transB, transB: true });
            else b.matmul(G, B, dA, { transB: !transB });
            if (transB) b.matmul(G, A, dB, { transA: true, transB: transA });
            else b.matmul(A, G, dB, { transA: !transA });
            return { A: dA, B: dB };
          });
          expect(ratio).toBeLessThanOrEqual(1);
        }
      });
    }
  }

  it('addRowVector + sumRows (bias gradient)', () => {
    for (const [rows, cols] of [[1, 1], [1, 6], [5, 3], [9, 11]]) {
      const x = rand([rows, cols]), bias = rand([cols]);
      const out = b.tensor([rows, cols]), dx = b.tensor([rows, cols]), dbias = b.tensor([cols]);
      checkOp({ x, bias }, () => {
        b.addRowVector(x, bias, out);
        return out;
      }, (dy) => {
        b.copy(dy, dx);
        b.sumRows(dy, dbias);
        return { x: dx, bias: dbias };
      });
    }
  });

  for (const kind of activationKinds()) {
    it(`activation ${kind}`, () => {
      for (const n of [1, 7, 30]) {
        // keep relu inputs off the kink, where a central difference straddles two slopes
        const x = rand([n], -2, 2);
        const xs = b.readSync(x);
        for (let i = 0; i < n; i++) if (Math.abs(xs[i]) < 1e-3) xs[i] = 0.5;
        const y = b.tensor([n]), dx = b.tensor([n]);
        checkOp({ x }, () => {
          b.activation(kind, x, y, 0.2);
          return y;
        }, (dy) => {
          b.activationBackward(kind, x, y, dy, dx, 0.2);
          return { x: dx };
        });
      }
    });
  }

  it('mul and scale', () => {
    const x = rand([2, 7]), y = rand([2, 7]);
    const out = b.tensor([2, 7]), dx = b.tensor([2, 7]), dy = b.tensor([2, 7]);
    checkOp({ x, y }, () => {
      b.mul(x, y, out);
      return out;
    }, (g) => {
      b.mul(g, y, dx);
      b.mul(g, x, dy);
      return { x: dx, y: dy };
    });
    checkOp({ x }, () => {
      b.scale(x, -0.7, out);
      return out;
    }, (g) => {
      b.scale(g, -0.7, dx);
      return { x: dx };
    });
  });

  for (const smoothing of [0, 0.1]) {
    it(`softmaxCrossEntropy smoothing=${smoothing}`, () => {
      for (const [rows, classes] of [[1, 2], [1, 10], [3, 5], [8, 10]]) {
        const logits = rand([rows, classes], -5, 5);
        const labels = b.tensor([rows], Array.from({ length: rows }, () => rng.int(classes)));
        const probs = b.tensor([rows, classes]), dlogits = b.tensor([rows, classes]), loss = b.tensor([1]);
        const lossOf = () => {
          b.softmaxCrossEntropy(logits, labels, probs, dlogits, loss, smoothing);
          return b.readSync(loss)[0];
        };
        lossOf();
        assertGradients(lossOf, [tensorParam(b, 'logits', logits, dlogits)]);
      }
    });
  }

  it('dropout (fixed seed): dx = dy ⊙ mask', () => {
    for (const n of [1, 9, 64]) {
      const x = rand([n]);
      const mask = b.tensor([n]), out = b.tensor([n]), dx = b.tensor([n]);
      checkOp({ x }, () => {
        b.dropout(x, mask, out, 0.4, 99);
        return out;
      }, (dy) => {
        b.mul(dy, mask, dx);
        return { x: dx };
      });
    }
  });

  it('a wrong gradient is caught', () => {
    const x = rand([4]), y = b.tensor([4]), dx = b.tensor([4]);
    expect(() => checkOp({ x }, () => {
      b.activation('tanh', x, y);
      return y;
    }, (dy) => {
      b.copy(dy, dx); // forgets the (1 − y²) factor
      return { x: dx };
    })).toThrow(/gradient check failed/);
  });
});
