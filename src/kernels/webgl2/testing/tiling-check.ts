import type { Backend, MatmulOptions, Tensor } from '../../backend';
import { CpuBackend } from '../../cpu';
import { Rng } from '../../rng';

/**
 * Checks that a backend whose matmul is split into tiles (WebGL2 with a small maxTextureSize)
 * computes what the same backend computes in one piece, for every matmul layout (the BiGRU as a
 * whole: src/nn/layers/gru-tiling-check.ts). The browser harness runs it on two WebGL2 backends;
 * the unit test runs it on the CPU to show the check itself can fail.
 */
export interface TilingResult {
  name: string;
  /** Largest |tiled − whole| over the compared values. */
  maxDiff: number;
  /** Largest |whole|, to judge maxDiff against. */
  maxAbs: number;
}

/** With a texture size limit of 16: 16 rows or columns per tile, 64 along the reduction. */
export const TILING_TEXTURE_SIZE = 16;

/** [m, n, k]: many row tiles, many column tiles, reduction tiles, and all at once. */
const MATMUL_SHAPES: readonly (readonly [number, number, number])[] = [[45, 7, 10], [6, 37, 10], [5, 6, 150], [40, 33, 130]];

export async function readAll(b: Backend, t: Tensor): Promise<Float64Array> {
  return Float64Array.from(b.readSync ? b.readSync(t) : await b.read(t));
}

export function compareValues(name: string, tiled: ArrayLike<number>, whole: ArrayLike<number>): TilingResult {
  if (tiled.length !== whole.length) throw new Error(`${name}: ${tiled.length} values against ${whole.length}`);
  let maxDiff = 0, maxAbs = 0;
  for (let i = 0; i < whole.length; i++) {
    const d = Math.abs(tiled[i] - whole[i]);
    maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
    maxAbs = Math.max(maxAbs, Math.abs(whole[i]));
  }
  return { name, maxDiff, maxAbs };
}

export const randoms = (rng: Rng, n: number): Float64Array => Float64Array.from({ length: n }, () => 2 * rng.next() - 1);

/** Every shape × (transA, transB) × (overwrite, accumulate) on both backends. */
export async function tiledMatmulChecks(tiled: Backend, whole: Backend): Promise<TilingResult[]> {
  const rng = new Rng(11);
  const results: TilingResult[] = [];
  for (const [m, n, k] of MATMUL_SHAPES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          const a = randoms(rng, m * k), b = randoms(rng, k * n), start = randoms(rng, m * n);
          const outs: Float64Array[] = [];
          for (const backend of [tiled, whole]) {
            const ta = backend.tensor(transA ? [k, m] : [m, k], a), tb = backend.tensor(transB ? [n, k] : [k, n], b);
            const out = backend.tensor([m, n], start);
            backend.matmul(ta, tb, out, { transA, transB, accumulate });
            outs.push(await readAll(backend, out));
            for (const t of [ta, tb, out]) backend.dispose(t);
          }
          results.push(compareValues(`matmul [${m}x${k}]·[${k}x${n}]${transA ? ' transA' : ''}${transB ? ' transB' : ''}${accumulate ? ' accumulate' : ''}`, outs[0], outs[1]));
        }
      }
    }
  }
  return results;
}

/** linear (x·Wᵀ + b, relu) per shape: past the texture size its bias and activation run as their own passes. */
export async function tiledLinearChecks(tiled: Backend, whole: Backend): Promise<TilingResult[]> {
  const rng = new Rng(12);
  const results: TilingResult[] = [];
  for (const [m, n, k] of MATMUL_SHAPES) {
    const x = randoms(rng, m * k), w = randoms(rng, n * k), bias = randoms(rng, n);
    const outs: Float64Array[] = [];
    for (const backend of [tiled, whole]) {
      const tx = backend.tensor([m, k], x), tw = backend.tensor([n, k], w), tb = backend.tensor([n], bias);
      const out = backend.tensor([m, n]);
      backend.linear(tx, tw, tb, out, 'relu');
      outs.push(await readAll(backend, out));
      for (const t of [tx, tw, tb, out]) backend.dispose(t);
    }
    results.push(compareValues(`linear relu [${m}x${k}]·[${n}x${k}]ᵀ`, outs[0], outs[1]));
  }
  return results;
}

/** For the checks' own tests: a CPU matmul that loses the rows past 16 of its output, as a broken row tiling would. */
export class DropsRowsPast16 extends CpuBackend {
  override matmul(a: Tensor, b: Tensor, out: Tensor, opts?: MatmulOptions): void {
    super.matmul(a, b, out, opts);
    const [rows] = out.shape;
    if (rows <= 16 || opts?.accumulate) return;
    const values = this.readSync(out);
    values.fill(0, 16 * (out.size / rows));
    this.write(out, values);
  }
}
