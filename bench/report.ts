import { REFERENCE_IMPL, type BenchImplName, type BenchModel, type JobOutcome } from './protocol';

/** One row of the A2 JSON: a figure, or an error instead of it. */
export type TrainResult = {
  model: BenchModel;
  impl: BenchImplName;
  batch: number;
} & ({ examples_per_sec: number; steps: number; seconds: number; detail?: string } | { error: string });

export type MatmulResult = { impl: BenchImplName; n: number } & (
  { gflops: number; reps: number; seconds: number } | { error: string }
);

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  platform: string;
  userAgent: string;
  /** Logical cores the browser reports (navigator.hardwareConcurrency). */
  browserCores: number;
  crossOriginIsolated: boolean;
  date: string;
}

export interface BenchReport {
  machine: MachineInfo;
  results: TrainResult[];
  matmul: MatmulResult[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;

export function trainResult(model: BenchModel, impl: BenchImplName, batch: number, outcome: JobOutcome): TrainResult {
  if (!outcome.ok) return { model, impl, batch, error: outcome.error };
  const { steps, seconds } = outcome.measurement;
  if (!(seconds > 0) || steps <= 0) return { model, impl, batch, error: 'no steps were timed' };
  const row: TrainResult = {
    model, impl, batch, examples_per_sec: round1((steps * batch) / seconds), steps, seconds: round2(seconds),
  };
  if (outcome.detail) row.detail = outcome.detail;
  return row;
}

export function matmulResult(impl: BenchImplName, n: number, outcome: JobOutcome): MatmulResult {
  if (!outcome.ok) return { impl, n, error: outcome.error };
  const { steps, seconds } = outcome.measurement;
  if (!(seconds > 0) || steps <= 0) return { impl, n, error: 'no repetitions were timed' };
  return { impl, n, gflops: round2((2 * n * n * n * steps) / seconds / 1e9), reps: steps, seconds: round2(seconds) };
}

export function examplesPerSec(r: TrainResult): number | undefined {
  return 'examples_per_sec' in r ? r.examples_per_sec : undefined;
}

/**
 * How many times faster the reference (scratchnet-cpu) trained `model` than `impl` in the
 * same run; undefined when either figure is missing.
 */
export function referenceRatio(results: readonly TrainResult[], model: BenchModel, impl: BenchImplName): number | undefined {
  const find = (name: BenchImplName) => results.find((r) => r.model === model && r.impl === name);
  const ours = find(REFERENCE_IMPL);
  const peer = find(impl);
  const a = ours && examplesPerSec(ours);
  const b = peer && examplesPerSec(peer);
  if (a === undefined || b === undefined || b <= 0) return undefined;
  return a / b;
}

export function matmulRatio(results: readonly MatmulResult[], impl: BenchImplName): number | undefined {
  const gf = (name: BenchImplName) => {
    const r = results.find((m) => m.impl === name);
    return r && 'gflops' in r ? r.gflops : undefined;
  };
  const a = gf(REFERENCE_IMPL);
  const b = gf(impl);
  if (a === undefined || b === undefined || b <= 0) return undefined;
  return a / b;
}

export function buildReport(machine: MachineInfo, results: TrainResult[], matmul: MatmulResult[]): BenchReport {
  return { machine, results, matmul };
}

function formatRatio(r: number | undefined, impl: BenchImplName): string {
  if (impl === REFERENCE_IMPL) return '(reference)';
  return r === undefined ? '—' : `${r.toFixed(2)}×`;
}

function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => (c === 0 || c === 1 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The human-readable report: training table, then the matmul table beside it. */
export function formatReport(report: BenchReport): string {
  const trainRows = report.results.map((r) => [
    r.model, r.impl, String(r.batch),
    'error' in r ? `error: ${r.error}` : r.examples_per_sec.toFixed(1),
    formatRatio(referenceRatio(report.results, r.model, r.impl), r.impl),
  ]);
  const parts = [renderTable(['model', 'impl', 'batch', 'examples/s', `${REFERENCE_IMPL} ÷ impl`], trainRows)];
  if (report.matmul.length > 0) {
    const mmRows = report.matmul.map((m) => [
      `${m.n}³`, m.impl, 'error' in m ? `error: ${m.error}` : m.gflops.toFixed(2), formatRatio(matmulRatio(report.matmul, m.impl), m.impl),
    ]);
    parts.push(renderTable(['matmul', 'impl', 'GFLOP/s', `${REFERENCE_IMPL} ÷ impl`], mmRows));
  }
  const m = report.machine;
  parts.push(`${m.cpuModel} · ${m.cores} cores (browser sees ${m.browserCores}) · ${m.platform} · crossOriginIsolated=${m.crossOriginIsolated}\n${m.userAgent}\n${m.date}`);
  return parts.join('\n\n');
}
