/**
 * GRU kernels: gradients against central finite differences (float64), the forward pass against
 * the naive reference, padding semantics, and no allocation in steady state.
 */
import { describe, expect, it } from 'vitest';
import { gruCacheShape, type GruForwardArgs, type Tensor } from '../backend';
import { Rng } from '../rng';
import { assertGradients, tensorParam } from '../testing/gradcheck';
import { gruBackwardRef, gruForwardRef } from '../testing/reference-gru';
import { CpuBackend } from './index';

const rng = new Rng(11);

function randomArray(n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}

interface Problem {
  b: CpuBackend;
  args: GruForwardArgs;
  dims: { steps: number; batch: number; hidden: number };
  lengths: number[];
}

function problem(
  b: CpuBackend, steps: number, hidden: number, lengths: number[], reverse: boolean,
): Problem {
  const batch = lengths.length;
  const args: GruForwardArgs = {
    xProj: b.tensor([steps, batch, 3 * hidden], randomArray(steps * batch * 3 * hidden, -2, 2)),
    whh: b.tensor([3 * hidden, hidden], randomArray(3 * hidden * hidden)),
    bhh: b.tensor([3 * hidden], randomArray(3 * hidden)),
    lengths: b.tensor([batch], lengths),
    reverse,
    hAll: b.tensor([steps, batch, hidden]),
    cache: b.tensor(gruCacheShape(steps, batch, hidden)),
    hLast: b.tensor([batch, hidden]),
  };
  return { b, args, dims: { steps, batch, hidden }, lengths };
}

function refProblem(p: Problem) {
  const { b, args } = p;
  return {
    ...p.dims, reverse: args.reverse, lengths: p.lengths,
    xProj: b.readSync(args.xProj), whh: b.readSync(args.whh), bhh: b.readSync(args.bhh),
  };
}

/** Analytic gradients of L = Σ wAll ⊙ hAll + Σ wLast ⊙ hLast into fresh tensors. */
function backward(p: Problem, wAll: Tensor, wLast: Tensor) {
  const { b, args, dims } = p;
  const grads = {
    dxProj: b.tensor([dims.steps, dims.batch, 3 * dims.hidden]),
    dwhh: b.tensor([3 * dims.hidden, dims.hidden]),
    dbhh: b.tensor([3 * dims.hidden]),
  };
  const { whh, lengths, reverse, hAll, cache } = args;
  b.gruBackward({ whh, lengths, reverse, hAll, cache, dhAll: wAll, dhLast: wLast, ...grads });
  return grads;
}

function dot(a: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * w[i];
  return s;
}

/** Indices of xProj entries at padded steps (t ≥ len_b). */
function paddedXProj(p: Problem): number[] {
  const { steps, batch, hidden } = p.dims;
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    for (let bi = 0; bi < batch; bi++) {
      if (t >= p.lengths[bi]) for (let j = 0; j < 3 * hidden; j++) out.push((t * batch + bi) * 3 * hidden + j);
    }
  }
  return out;
}

describe('GRU kernels', () => {
  for (const reverse of [false, true]) {
    const dir = reverse ? 'reverse' : 'forward';

    it(`${dir}: gradients of xProj, whh, bhh match finite differences (T=5, lengths [5,2,1], H=4)`, () => {
      const b = new CpuBackend({ precision: 'f64' });
      const p = problem(b, 5, 4, [5, 2, 1], reverse);
      const wAll = b.tensor([5, 3, 4], randomArray(60));
      const wLast = b.tensor([3, 4], randomArray(12));
      const loss = () => {
        b.gruForward(p.args);
        return dot(b.readSync(p.args.hAll), b.readSync(wAll)) + dot(b.readSync(p.args.hLast), b.readSync(wLast));
      };
      loss();
      const g = backward(p, wAll, wLast);
      const result = assertGradients(loss, [
        tensorParam(b, 'xProj', p.args.xProj, g.dxProj),
        tensorParam(b, 'whh', p.args.whh, g.dwhh),
        tensorParam(b, 'bhh', p.args.bhh, g.dbhh),
      ]);
      expect(result.checked).toBe(180 + 48 + 12);
      const dx = b.readSync(g.dxProj);
      const padded = paddedXProj(p);
      expect(padded.length).toBe((0 + 3 + 4) * 12);
      for (const i of padded) expect(dx[i]).toBe(0);
    });

    it(`${dir}: only hLast or only hAll feeding the loss`, () => {
      const b = new CpuBackend({ precision: 'f64' });
      const p = problem(b, 4, 3, [2, 4, 3, 1], reverse);
      for (const onlyLast of [true, false]) {
        const wAll = b.tensor([4, 4, 3], onlyLast ? undefined : randomArray(48));
        const wLast = b.tensor([4, 3], onlyLast ? randomArray(12) : undefined);
        const loss = () => {
          b.gruForward(p.args);
          return dot(b.readSync(p.args.hAll), b.readSync(wAll)) + dot(b.readSync(p.args.hLast), b.readSync(wLast));
        };
        loss();
        const g = backward(p, wAll, wLast);
        assertGradients(loss, [
          tensorParam(b, 'xProj', p.args.xProj, g.dxProj),
          tensorParam(b, 'whh', p.args.whh, g.dwhh),
          tensorParam(b, 'bhh', p.args.bhh, g.dbhh),
        ]);
      }
    });

    it(`${dir}: forward equals the naive reference; padding is zero and inert`, () => {
      const b = new CpuBackend({ precision: 'f64' });
      const p = problem(b, 6, 5, [6, 3, 1, 4], reverse);
      b.fill(p.args.hAll, 3); // stale values must not survive
      b.gruForward(p.args);
      const want = gruForwardRef(refProblem(p));
      const hAll = b.readSync(p.args.hAll).slice(), hLast = b.readSync(p.args.hLast).slice();
      for (let i = 0; i < want.hAll.length; i++) expect(hAll[i]).toBeCloseTo(want.hAll[i], 13);
      for (let i = 0; i < want.hLast.length; i++) expect(hLast[i]).toBeCloseTo(want.hLast[i], 13);
      for (let t = 0; t < 6; t++) {
        for (let bi = 0; bi < 4; bi++) {
          if (t >= p.lengths[bi]) expect(Array.from(hAll.subarray((t * 4 + bi) * 5, (t * 4 + bi + 1) * 5))).toEqual([0, 0, 0, 0, 0]);
        }
      }
      // hLast is the state after the last real step (forward) or after step 0 (reverse)
      const lastStep = (bi: number) => (reverse ? 0 : p.lengths[bi] - 1);
      for (let bi = 0; bi < 4; bi++) {
        expect(Array.from(hLast.subarray(bi * 5, bi * 5 + 5)))
          .toEqual(Array.from(hAll.subarray((lastStep(bi) * 4 + bi) * 5, (lastStep(bi) * 4 + bi + 1) * 5)));
      }
      // Garbage in padded inputs changes nothing.
      const x = b.readSync(p.args.xProj);
      for (const i of paddedXProj(p)) x[i] = 1e6 * (i % 2 ? 1 : -1);
      b.gruForward(p.args);
      expect(Array.from(b.readSync(p.args.hAll))).toEqual(Array.from(hAll));
      expect(Array.from(b.readSync(p.args.hLast))).toEqual(Array.from(hLast));
    });
  }

  it('a length-0 sequence yields zero states and gradients', () => {
    const b = new CpuBackend({ precision: 'f64' });
    const p = problem(b, 3, 2, [0, 3], false);
    b.gruForward(p.args);
    expect(Array.from(b.readSync(p.args.hLast).subarray(0, 2))).toEqual([0, 0]);
    const g = backward(p, b.tensor([3, 2, 2], randomArray(12)), b.tensor([2, 2], randomArray(4)));
    const dx = b.readSync(g.dxProj);
    for (let t = 0; t < 3; t++) expect(Array.from(dx.subarray(t * 12, t * 12 + 6))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('reusing scratch grown by a bigger problem gives the same results (f32)', () => {
    const b = new CpuBackend();
    const big = problem(b, 9, 17, [9, 4, 7, 1, 9], true);
    b.gruForward(big.args);
    backward(big, b.tensor([9, 5, 17], randomArray(765)), b.tensor([5, 17], randomArray(85)));
    const small = problem(b, 3, 4, [3, 1], false);
    b.gruForward(small.args);
    const dhAll = randomArray(24), dhLast = randomArray(8);
    const g = backward(small, b.tensor([3, 2, 4], dhAll), b.tensor([2, 4], dhLast));
    const ref = refProblem(small);
    const wantH = gruForwardRef(ref), want = gruBackwardRef(ref, dhAll, dhLast);
    const close = (got: ArrayLike<number>, exp: ArrayLike<number>) => {
      for (let i = 0; i < exp.length; i++) expect(Math.abs(got[i] - exp[i])).toBeLessThan(1e-5);
    };
    close(b.readSync(small.args.hAll), wantH.hAll);
    close(b.readSync(g.dxProj), want.dxProj);
    close(b.readSync(g.dwhh), want.dwhh);
    close(b.readSync(g.dbhh), want.dbhh);
  });

  it('steady state allocates nothing: pool and scratch stay flat', () => {
    const b = new CpuBackend();
    const p = problem(b, 12, 16, [12, 5, 9, 12, 1, 7, 12, 3, 12], false);
    const wAll = b.tensor([12, 9, 16], randomArray(12 * 9 * 16)), wLast = b.tensor([9, 16], randomArray(144));
    const g = backward(p, wAll, wLast);
    const { whh, lengths, hAll, cache } = p.args;
    const step = (reverse: boolean) => {
      b.gruForward({ ...p.args, reverse });
      b.gruBackward({ whh, lengths, reverse, hAll, cache, dhAll: wAll, dhLast: wLast, ...g });
    };
    step(false);
    step(true);
    const before = b.stats();
    for (let i = 0; i < 3; i++) { step(false); step(true); }
    expect(b.stats()).toEqual(before);
  });
});
