import type { ConformanceCase } from './conformance-util';
import { MATMUL_SHAPES, ROW_SHAPES } from './conformance-util';
import { activationKinds, activationSpec } from '../activations';
import type { ActivationKind } from '../backend';
import { activationRef, addRowVectorRef, argmaxRowsRef, matmulRef, sumRowsRef } from './reference';

/** Every registered activation (read when a case runs, so one registered later is covered too). */
const linearActivations = (): Array<[ActivationKind, number]> => activationKinds().map((kind) => [
  kind, activationSpec(kind).usesSlope ? 0.2 : 0,
]);

const TRANSPOSES: ReadonlyArray<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

/** Memory contract, matrix ops and row reductions. */
export const linalgCases: ConformanceCase[] = [
  {
    name: 'tensor / write / read round trip, zero fill, fill, copy',
    async run(ctx) {
      const [t, host] = ctx.random([3, 5]);
      await ctx.expectClose('tensor(data)', t, host);
      const z = ctx.tensor([2, 3, 4]);
      await ctx.expectEqual('zero-filled', z, new Float64Array(24));
      const next = ctx.uniform(15);
      ctx.backend.write(t, next);
      await ctx.expectClose('write', t, next);
      ctx.backend.fill(z, 2.5);
      await ctx.expectEqual('fill', z, new Float64Array(24).fill(2.5));
      const dst = ctx.tensor([15]);
      ctx.backend.copy(t, dst);
      await ctx.expectClose('copy', dst, next);
      const copyOfRead = await ctx.backend.read(t);
      copyOfRead[0] = 1234;
      await ctx.expectClose('read returns a copy', t, next);
    },
  },
  {
    name: 'liveTensors counts allocations and disposals',
    async run(ctx) {
      const b = ctx.backend;
      const before = b.liveTensors();
      const ts = [b.tensor([4]), b.tensor([1, 7]), b.tensor([0])];
      if (b.liveTensors() !== before + 3) throw new Error(`expected ${before + 3} live tensors, got ${b.liveTensors()}`);
      for (const t of ts) b.dispose(t);
      if (b.liveTensors() !== before) throw new Error(`expected ${before} live tensors after dispose, got ${b.liveTensors()}`);
      // Reused storage must come back zeroed, not holding the previous tenant's values.
      const dirty = b.tensor([4], [1, 2, 3, 4]);
      b.dispose(dirty);
      const fresh = ctx.tensor([4]);
      await ctx.expectEqual('pooled storage is re-zeroed', fresh, [0, 0, 0, 0]);
    },
  },
  {
    name: 'clear errors: bad data length, use after dispose, shape mismatches',
    async run(ctx) {
      const b = ctx.backend;
      ctx.expectThrow('data length', () => b.tensor([2, 2], [1, 2, 3]), /4/);
      ctx.expectThrow('negative dim', () => b.tensor([2, -1]), /shape/);
      const t = b.tensor([2, 2]);
      b.dispose(t);
      ctx.expectThrow('write after dispose', () => b.write(t, [1, 2, 3, 4]), /dispose/);
      ctx.expectThrow('double dispose', () => b.dispose(t), /dispose/);
      const a = ctx.tensor([3, 4]), w = ctx.tensor([5, 6]), out = ctx.tensor([3, 6]);
      ctx.expectThrow('matmul inner dims', () => b.matmul(a, w, out), /inner dimensions/);
      ctx.expectThrow('matmul out shape', () => b.matmul(a, ctx.tensor([4, 5]), out), /out/);
      ctx.expectThrow('addRowVector bias', () => b.addRowVector(a, ctx.tensor([3]), a), /bias/);
      ctx.expectThrow('mul sizes', () => b.mul(a, out, a), /same number/);
    },
  },
  ...TRANSPOSES.map(([transA, transB]): ConformanceCase => ({
    name: `matmul ${transA ? 'aᵀ' : 'a'}·${transB ? 'bᵀ' : 'b'} on odd shapes, batch 1, accumulate`,
    async run(ctx) {
      for (const [m, n, k] of MATMUL_SHAPES) {
        const [a, ah] = ctx.random(transA ? [k, m] : [m, k]);
        const [b, bh] = ctx.random(transB ? [n, k] : [k, n]);
        const [out, prior] = ctx.random([m, n]);
        const want = matmulRef(ah, bh, m, n, k, transA, transB);
        const label = `[${m}x${k}]·[${k}x${n}]`;
        ctx.backend.matmul(a, b, out, { transA, transB, accumulate: true });
        await ctx.expectClose(`${label} accumulate`, out, want.map((v, i) => v + prior[i]));
        ctx.backend.matmul(a, b, out, { transA, transB });
        await ctx.expectClose(label, out, want);
      }
    },
  })),
  {
    name: 'linear = f(x·Wᵀ + b) for every activation, odd shapes, over a dirty and a zero-filled out',
    async run(ctx) {
      for (const [m, n, k] of MATMUL_SHAPES) {
        const [x, xh] = ctx.random([m, k]);
        const [w, wh] = ctx.random([n, k]);
        const [bias, bh] = ctx.random([n]);
        const [out] = ctx.random([m, n]);
        const z = addRowVectorRef(matmulRef(xh, wh, m, n, k, false, true), bh, m, n);
        for (const [kind, slope] of linearActivations()) {
          // A pending zero fill must not leak into the result either.
          if (kind === 'relu') ctx.backend.fill(out, 0);
          ctx.backend.linear(x, w, bias, out, kind, slope);
          await ctx.expectClose(`linear ${kind} [${m}x${k}]·[${n}x${k}]ᵀ`, out, z.map((v) => activationRef(kind, v, slope)));
        }
      }
    },
  },
  {
    name: 'linear: clear errors on mismatched shapes and aliasing',
    async run(ctx) {
      const b = ctx.backend;
      const x = ctx.tensor([3, 4]), w = ctx.tensor([5, 4]), bias = ctx.tensor([5]), out = ctx.tensor([3, 5]);
      ctx.expectThrow('features', () => b.linear(x, ctx.tensor([5, 6]), bias, out, 'relu'), /4 features per row/);
      ctx.expectThrow('bias', () => b.linear(x, w, ctx.tensor([4]), out, 'relu'), /bias/);
      ctx.expectThrow('out', () => b.linear(x, w, bias, ctx.tensor([3, 4]), 'relu'), /out is \[3,4\]/);
      ctx.expectThrow('kind', () => b.linear(x, w, bias, out, 'swish' as ActivationKind), /unknown activation/);
      const square = ctx.tensor([4, 4]);
      ctx.expectThrow('alias', () => b.linear(square, ctx.tensor([4, 4]), ctx.tensor([4]), square, 'relu'), /must not be one of the inputs/);
    },
  },
  {
    name: 'addRowVector (also in place) and sumRows (also accumulating)',
    async run(ctx) {
      for (const [rows, cols] of ROW_SHAPES) {
        const [x, xh] = ctx.random([rows, cols]);
        const [bias, bh] = ctx.random([cols]);
        const out = ctx.tensor([rows, cols]);
        const want = addRowVectorRef(xh, bh, rows, cols);
        ctx.backend.addRowVector(x, bias, out);
        await ctx.expectClose(`addRowVector ${rows}x${cols}`, out, want);
        ctx.backend.addRowVector(x, bias, x);
        await ctx.expectClose(`addRowVector in place ${rows}x${cols}`, x, want);
        const [sum, prior] = ctx.random([cols]);
        const sums = sumRowsRef(want, rows, cols);
        ctx.backend.sumRows(x, sum, true);
        await ctx.expectClose(`sumRows accumulate ${rows}x${cols}`, sum, sums.map((v, i) => v + prior[i]));
        ctx.backend.sumRows(x, sum);
        await ctx.expectClose(`sumRows ${rows}x${cols}`, sum, sums);
      }
    },
  },
  {
    name: 'argmaxRows (first index on ties) and sumSquares',
    async run(ctx) {
      for (const [rows, cols] of ROW_SHAPES) {
        const [x, xh] = ctx.random([rows, cols]);
        const idx = ctx.tensor([rows]);
        ctx.backend.argmaxRows(x, idx);
        await ctx.expectEqual(`argmaxRows ${rows}x${cols}`, idx, argmaxRowsRef(xh, rows, cols));
        const ss = ctx.tensor([1]);
        ctx.backend.sumSquares(x, ss);
        await ctx.expectClose(`sumSquares ${rows}x${cols}`, ss, [xh.reduce((s, v) => s + v * v, 0)]);
      }
      const ties = ctx.tensor([3, 4], [1, 3, 3, 0, 5, 5, 5, 5, -2, -1, -1, -3]);
      const idx = ctx.tensor([3]);
      ctx.backend.argmaxRows(ties, idx);
      await ctx.expectEqual('argmaxRows ties', idx, [1, 0, 1]);
    },
  },
];
