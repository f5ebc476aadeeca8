/**
 * Backend-agnostic conformance suite: every Backend op on random inputs (odd sizes, batch 1,
 * tile edges) against the float64 reference in `reference.ts`. Touches data only through
 * `read`, so a GPU backend runs the very same cases (in a browser page or under vitest).
 *
 *   const results = await runConformance(() => new CpuBackend());
 *   // or, under vitest: for (const c of conformanceCases) it(c.name, () => runCase(factory, c));
 */
import type { Backend } from '../backend';
import { convCases } from './conformance-conv';
import { gridCases } from './conformance-grid';
import { gruCases } from './conformance-gru';
import { linalgCases } from './conformance-linalg';
import { opsCases } from './conformance-ops';
import { CaseContext, type ConformanceCase } from './conformance-util';

export { CaseContext, type ConformanceCase } from './conformance-util';

export const conformanceCases: readonly ConformanceCase[] = [...linalgCases, ...opsCases, ...gridCases, ...gruCases, ...convCases];

export interface ConformanceOptions {
  /** Largest allowed element error |got − want| / max(1, |want|). */
  tolerance?: number;
  seed?: number;
}

export interface ConformanceResult {
  name: string;
  ok: boolean;
  /** Worst element error seen by the case's comparisons. */
  maxError: number;
  error?: string;
}

export const DEFAULT_TOLERANCE = 1e-4;

/**
 * Runs one case on a fresh backend; throws its failure. Also fails when the case's tensors are
 * not all released afterwards (liveTensors must return to where it started).
 */
export async function runCase(
  makeBackend: () => Backend | Promise<Backend>, c: ConformanceCase, opts: ConformanceOptions = {},
): Promise<number> {
  const backend = await makeBackend();
  const ctx = new CaseContext(backend, opts.tolerance ?? DEFAULT_TOLERANCE, opts.seed ?? 42);
  const liveBefore = backend.liveTensors();
  try {
    await c.run(ctx);
  } finally {
    ctx.disposeAll();
  }
  const liveAfter = backend.liveTensors();
  if (liveAfter !== liveBefore) {
    throw new Error(`${c.name}: liveTensors went from ${liveBefore} to ${liveAfter} after disposing everything`);
  }
  return ctx.maxError;
}

/** Runs every case and reports each, never throwing (for a browser page or a CLI). */
export async function runConformance(
  makeBackend: () => Backend | Promise<Backend>, opts: ConformanceOptions = {},
): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const c of conformanceCases) {
    try {
      const maxError = await runCase(makeBackend, c, opts);
      results.push({ name: c.name, ok: true, maxError });
    } catch (e) {
      results.push({ name: c.name, ok: false, maxError: NaN, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}
