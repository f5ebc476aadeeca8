import { gruCacheShape } from '../backend';
import type { CaseContext, ConformanceCase } from './conformance-util';
import { gruBackwardRef, gruForwardRef, type GruRefProblem } from './reference-gru';

/**
 * [T, B, H, lengths]: one step, batch 1, variable and zero lengths, tile edges (B 9, H 8/9), and
 * trailing steps no sequence reaches (T past the longest, as time-bucketed batches pad).
 */
const GRU_SHAPES: ReadonlyArray<[number, number, number, number[]]> = [
  [1, 1, 1, [1]],
  [5, 3, 4, [5, 2, 1]],
  [6, 4, 9, [3, 6, 1, 0]],
  [4, 9, 8, [4, 4, 3, 1, 2, 4, 4, 2, 3]],
  [7, 5, 12, [4, 2, 1, 4, 3]],
  [3, 2, 4, [0, 0]],
];

interface GruTensors {
  problem: GruRefProblem;
  args: Parameters<CaseContext['backend']['gruForward']>[0];
}

function setUp(ctx: CaseContext, [steps, batch, hidden, lengths]: [number, number, number, number[]], reverse: boolean): GruTensors {
  const [xProj, xh] = ctx.random([steps, batch, 3 * hidden], -2, 2);
  const [whh, wh] = ctx.random([3 * hidden, hidden]);
  const [bhh, bh] = ctx.random([3 * hidden]);
  const problem = { steps, batch, hidden, reverse, xProj: xh, whh: wh, bhh: bh, lengths };
  const args = {
    xProj, whh, bhh, reverse, lengths: ctx.tensor([batch], lengths),
    hAll: ctx.tensor([steps, batch, hidden]), cache: ctx.tensor(gruCacheShape(steps, batch, hidden)),
    hLast: ctx.tensor([batch, hidden]),
  };
  return { problem, args };
}

const directionCases = (reverse: boolean): ConformanceCase[] => [
  {
    name: `gruForward ${reverse ? 'reverse' : 'forward'}: variable lengths, padded steps zero`,
    async run(ctx) {
      for (const shape of GRU_SHAPES) {
        const { problem, args } = setUp(ctx, shape, reverse);
        ctx.backend.fill(args.hAll, 7); // stale values must be overwritten, padding included
        ctx.backend.gruForward(args);
        const want = gruForwardRef(problem);
        const label = `T=${shape[0]} B=${shape[1]} H=${shape[2]}`;
        await ctx.expectClose(`hAll ${label}`, args.hAll, want.hAll);
        await ctx.expectClose(`hLast ${label}`, args.hLast, want.hLast);
      }
    },
  },
  {
    name: `gruBackward ${reverse ? 'reverse' : 'forward'}: dxProj, accumulated dwhh and dbhh`,
    async run(ctx) {
      for (const shape of GRU_SHAPES) {
        const [steps, batch, hidden] = shape;
        const { problem, args } = setUp(ctx, shape, reverse);
        ctx.backend.gruForward(args);
        const [dhAll, dhAllHost] = ctx.random([steps, batch, hidden]);
        const [dhLast, dhLastHost] = ctx.random([batch, hidden]);
        const [dwhh, dwhhPrior] = ctx.random([3 * hidden, hidden]);
        const [dbhh, dbhhPrior] = ctx.random([3 * hidden]);
        const dxProj = ctx.tensor([steps * batch, 3 * hidden]); // a matmul-shaped [T·B, 3H] is accepted
        ctx.backend.fill(dxProj, 7);
        const { whh, lengths, hAll, cache } = args;
        ctx.backend.gruBackward({ whh, lengths, reverse, hAll, cache, dhAll, dhLast, dxProj, dwhh, dbhh });
        const want = gruBackwardRef(problem, dhAllHost, dhLastHost);
        const label = `T=${steps} B=${batch} H=${hidden}`;
        await ctx.expectClose(`dxProj ${label}`, dxProj, want.dxProj);
        await ctx.expectClose(`dwhh ${label}`, dwhh, want.dwhh.map((v, i) => v + dwhhPrior[i]));
        await ctx.expectClose(`dbhh ${label}`, dbhh, want.dbhh.map((v, i) => v + dbhhPrior[i]));
      }
    },
  },
];

/** GRU sequence ops (both directions) against the naive per-sequence reference. */
export const gruCases: ConformanceCase[] = [
  ...directionCases(false),
  ...directionCases(true),
  {
    name: 'gru ops refuse bad lengths and mismatched shapes',
    async run(ctx) {
      const { args } = setUp(ctx, [3, 2, 4, [3, 1]], false);
      const b = ctx.backend;
      b.write(args.lengths, [4, 1]);
      ctx.expectThrow('length > T', () => b.gruForward(args), /lengths\[0\] is 4/);
      b.write(args.lengths, [2, 1.5]);
      ctx.expectThrow('fractional length', () => b.gruForward(args), /lengths\[1\] is 1.5/);
      b.write(args.lengths, [3, 1]);
      ctx.expectThrow('whh not [3H,H]', () => b.gruForward({ ...args, whh: ctx.tensor([4, 4]) }), /whh/);
      ctx.expectThrow('bhh size', () => b.gruForward({ ...args, bhh: ctx.tensor([4]) }), /bhh/);
      ctx.expectThrow('cache size', () => b.gruForward({ ...args, cache: ctx.tensor([3, 2, 12]) }), /cache/);
      ctx.expectThrow('hAll vs lengths', () => b.gruForward({ ...args, lengths: ctx.tensor([5], [1, 1, 1, 1, 1]) }), /hAll|xProj/);
      const { whh, lengths, hAll, cache } = args;
      const grads = {
        dhAll: ctx.tensor([3, 2, 4]), dhLast: ctx.tensor([2, 4]), dxProj: ctx.tensor([3, 2, 12]),
        dwhh: ctx.tensor([12, 4]), dbhh: ctx.tensor([12]),
      };
      ctx.expectThrow('dxProj size', () => b.gruBackward({
        whh, lengths, reverse: false, hAll, cache, ...grads, dxProj: ctx.tensor([3, 2, 4]),
      }), /dxProj/);
      ctx.expectThrow('dwhh is whh', () => b.gruBackward({
        whh, lengths, reverse: false, hAll, cache, ...grads, dwhh: whh,
      }), /gradients must not/);
    },
  },
];
