import {
  BENCH_MODELS, MLP_BASELINE_IMPL, PEER_IMPLS, isScratchnet,
  type BenchImplName, type BenchModel, type JobOutcome,
} from './protocol';

/** One row of the A2 JSON: a figure, or an error instead of it. */
export type TrainResult = {
  model: BenchModel;
  impl: BenchImplName;
  batch: number;
  /** Data-parallel workers of the row (absent: the plain single-thread step). */
  workers?: number;
} & ({ examples_per_sec: number; steps: number; seconds: number; detail?: string } | { error: string });

export type MatmulResult = { impl: BenchImplName; n: number } & (
  { gflops: number; reps: number; seconds: number; detail?: string } | { error: string }
);

/**
 * One scratchnet impl against one peer of the same run: `ratio` = ours ÷ peer (examples/s, or
 * GFLOP/s for 'matmul'), so > 1 means scratchnet is faster.
 */
export interface Comparison {
  model: BenchModel | 'matmul';
  impl: BenchImplName;
  versus: BenchImplName;
  /** The scratchnet row's data-parallel workers, when it has them. */
  workers?: number;
  /** 'best-peer': the fastest peer of that model in this run; 'baseline': tfjs-cpu on the MLP. */
  basis: 'best-peer' | 'baseline';
  ratio: number;
}

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
  comparisons: Comparison[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function trainResult(model: BenchModel, impl: BenchImplName, batch: number, outcome: JobOutcome, workers?: number): TrainResult {
  const head = workers === undefined ? { model, impl, batch } : { model, impl, batch, workers };
  if (!outcome.ok) return { ...head, error: outcome.error };
  const { steps, seconds } = outcome.measurement;
  if (!(seconds > 0) || steps <= 0) return { ...head, error: 'no steps were timed' };
  const row: TrainResult = {
    ...head, examples_per_sec: round1((steps * batch) / seconds), steps, seconds: round2(seconds),
  };
  if (outcome.detail) row.detail = outcome.detail;
  return row;
}

export function matmulResult(impl: BenchImplName, n: number, outcome: JobOutcome): MatmulResult {
  if (!outcome.ok) return { impl, n, error: outcome.error };
  const { steps, seconds } = outcome.measurement;
  if (!(seconds > 0) || steps <= 0) return { impl, n, error: 'no repetitions were timed' };
  const row: MatmulResult = { impl, n, gflops: round2((2 * n * n * n * steps) / seconds / 1e9), reps: steps, seconds: round2(seconds) };
  if (outcome.detail) row.detail = outcome.detail;
  return row;
}

export function examplesPerSec(r: TrainResult): number | undefined {
  return 'examples_per_sec' in r ? r.examples_per_sec : undefined;
}

interface Figure { impl: BenchImplName; value: number; workers?: number }

function figuresOf(results: readonly TrainResult[], model: BenchModel): Figure[] {
  return results.flatMap((r) => {
    const v = r.model === model ? examplesPerSec(r) : undefined;
    if (v === undefined || !(v > 0)) return [];
    return [r.workers === undefined ? { impl: r.impl, value: v } : { impl: r.impl, value: v, workers: r.workers }];
  });
}

function matmulFigures(results: readonly MatmulResult[]): Figure[] {
  return results.flatMap((r) => ('gflops' in r && r.gflops > 0 ? [{ impl: r.impl, value: r.gflops }] : []));
}

/** The fastest peer among `figures`, or undefined when no peer has a figure. */
export function bestPeer(figures: readonly Figure[]): Figure | undefined {
  let best: Figure | undefined;
  for (const f of figures) if (PEER_IMPLS.includes(f.impl) && (!best || f.value > best.value)) best = f;
  return best;
}

function compare(model: Comparison['model'], figures: readonly Figure[], withBaseline: boolean): Comparison[] {
  const best = bestPeer(figures);
  const baseline = figures.find((f) => f.impl === MLP_BASELINE_IMPL);
  const out: Comparison[] = [];
  for (const ours of figures.filter((f) => isScratchnet(f.impl))) {
    const workers = ours.workers === undefined ? {} : { workers: ours.workers };
    if (best) out.push({ model, impl: ours.impl, ...workers, versus: best.impl, basis: 'best-peer', ratio: round3(ours.value / best.value) });
    if (withBaseline && baseline) {
      out.push({ model, impl: ours.impl, ...workers, versus: baseline.impl, basis: 'baseline', ratio: round3(ours.value / baseline.value) });
    }
  }
  return out;
}

/** Every scratchnet figure against the best peer of its model (and tfjs-cpu on the MLP), matmul included. */
export function compareAll(results: readonly TrainResult[], matmul: readonly MatmulResult[]): Comparison[] {
  const train = BENCH_MODELS.flatMap((m) => compare(m, figuresOf(results, m), m === 'mlp'));
  return [...train, ...compare('matmul', matmulFigures(matmul), false)];
}

export function buildReport(machine: MachineInfo, results: TrainResult[], matmul: MatmulResult[]): BenchReport {
  return { machine, results, matmul, comparisons: compareAll(results, matmul) };
}

function ratioCell(
  comparisons: readonly Comparison[], model: Comparison['model'], impl: BenchImplName, basis: Comparison['basis'], workers?: number,
): string {
  const c = comparisons.find((x) => x.model === model && x.impl === impl && x.basis === basis && x.workers === workers);
  if (!c) return isScratchnet(impl) ? '—' : '';
  return basis === 'best-peer' ? `${c.ratio.toFixed(2)}× ${c.versus}` : `${c.ratio.toFixed(2)}×`;
}

function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => (c === 0 || c === 1 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Errors are long: the table shows `error [n]` and the messages follow it as footnotes. */
class ErrorNotes {
  readonly lines: string[] = [];

  cell(what: string, error: string): string {
    this.lines.push(`[${this.lines.length + 1}] ${what}: ${error}`);
    return `error [${this.lines.length}]`;
  }
}

function withNotes(table: string, notes: ErrorNotes): string {
  return notes.lines.length > 0 ? `${table}\n${notes.lines.join('\n')}` : table;
}

function trainTable(report: BenchReport): string {
  const notes = new ErrorNotes();
  const withBaseline = report.results.some((r) => r.model === 'mlp');
  const withWorkers = report.results.some((r) => r.workers !== undefined);
  const rows = report.results.map((r) => {
    const cells = [
      r.model, r.impl, String(r.batch),
      'error' in r ? notes.cell(`${r.model} on ${r.impl}`, r.error) : r.examples_per_sec.toFixed(1),
      ratioCell(report.comparisons, r.model, r.impl, 'best-peer', r.workers),
    ];
    if (withWorkers) cells.splice(3, 0, r.workers === undefined ? '' : String(r.workers));
    if (withBaseline) cells.push(r.model === 'mlp' ? ratioCell(report.comparisons, r.model, r.impl, 'baseline', r.workers) : '');
    return cells;
  });
  const header = ['model', 'impl', 'batch', 'examples/s', 'ours ÷ best peer'];
  if (withWorkers) header.splice(3, 0, 'workers');
  if (withBaseline) header.push(`ours ÷ ${MLP_BASELINE_IMPL}`);
  return withNotes(renderTable(header, rows), notes);
}

function matmulTable(report: BenchReport): string {
  const notes = new ErrorNotes();
  const rows = report.matmul.map((m) => [
    `${m.n}³`, m.impl, 'error' in m ? notes.cell(`matmul on ${m.impl}`, m.error) : m.gflops.toFixed(2),
    ratioCell(report.comparisons, 'matmul', m.impl, 'best-peer'),
  ]);
  return withNotes(renderTable(['matmul', 'impl', 'GFLOP/s', 'ours ÷ best peer'], rows), notes);
}

/** 'mlp on scratchnet-wasm: 1 → 2 workers ×1.62' for every row with a 1-worker row of the same model and impl. */
export function workerScaling(results: readonly TrainResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const v = examplesPerSec(r);
    if (r.workers === undefined || r.workers === 1 || v === undefined) continue;
    const one = results.find((o) => o.model === r.model && o.impl === r.impl && o.workers === 1);
    const base = one && examplesPerSec(one);
    if (base) lines.push(`${r.model} on ${r.impl}: 1 → ${r.workers} workers ×${(v / base).toFixed(2)}`);
  }
  return lines;
}

/** 'impl: detail' once per implementation that reported what it ran on. */
function implDetails(report: BenchReport): string[] {
  const seen = new Map<BenchImplName, string>();
  for (const r of [...report.results, ...report.matmul]) {
    if ('detail' in r && r.detail && !seen.has(r.impl)) seen.set(r.impl, r.detail);
  }
  return [...seen].map(([impl, detail]) => `${impl}: ${detail}`);
}

/**
 * The human-readable report: training table, then the matmul table. Ratios are ours ÷ peer
 * (> 1: scratchnet is faster), each scratchnet row against the fastest peer of the same model.
 */
export function formatReport(report: BenchReport): string {
  const parts = [trainTable(report)];
  const scaling = workerScaling(report.results);
  if (scaling.length > 0) parts.push(scaling.join('\n'));
  if (report.matmul.length > 0) parts.push(matmulTable(report));
  const details = implDetails(report);
  if (details.length > 0) parts.push(details.join('\n'));
  const m = report.machine;
  parts.push(`${m.cpuModel} · ${m.cores} cores (browser sees ${m.browserCores}) · ${m.platform} · crossOriginIsolated=${m.crossOriginIsolated}\n${m.userAgent}\n${m.date}`);
  return parts.join('\n\n');
}
