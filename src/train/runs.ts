/**
 * A finished training run as the Runs view keeps it: what was trained on what, with which settings,
 * its curves and final metrics. Pure data + the table/CSV views of it (persistence is src/data/runs-store).
 */
import { isModelKind, modelKind } from '../nn/models/registry';
import type { RunTableCells } from '../nn/models/kind-spec';
import type { EpochPoint, RnnTrainConfig, StepPoint, StopReason, TrainConfig } from './types';

export type RunNetwork = 'mlp' | 'cnn' | 'rnn';

/** Which queued sweep a run belongs to (`index` is 1-based). */
export interface RunSweepTag {
  id: string;
  index: number;
  total: number;
  /** What varied, e.g. "lr=0.01 · batch=64". */
  label: string;
}

export interface RunRecord {
  id: string;
  network: RunNetwork;
  /** Model kind and the human architecture, e.g. "mlp", "784-16-10 · relu". */
  model: string;
  architecture: string;
  dataset: string;
  /** ms since 1970 (Date.now()). */
  startedAt: number;
  /** Training time (evaluation afterwards excluded). */
  durationMs: number;
  /** Every hyperparameter, the seed included, exactly as the worker got it. */
  config: TrainConfig | RnnTrainConfig;
  /** Train-split subset (examples) when the run used only part of it. */
  trainLimit?: number;
  /** The kernels it ran on, e.g. "WebAssembly SIMD". */
  backend: string;
  /** 'interrupted' until the run ends (a reload or a crash leaves it so, unless it is continued). */
  outcome: StopReason | 'interrupted';
  epochs: EpochPoint[];
  /** The loss curve (already thinned to a few hundred points). */
  loss: StepPoint[];
  /** Steps per epoch, to put the loss of runs with different batch sizes on one epoch axis. */
  stepsPerEpoch: number | null;
  bestDevAccuracy: number | null;
  finalDevAccuracy: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  /** True once the run's weights (safetensors) are stored with it. */
  hasWeights: boolean;
  sweep?: RunSweepTag;
}

/** The columns of the Runs table and of the CSV export, in order. */
export const RUN_COLUMNS = [
  'network', 'dataset', 'started', 'lr', 'batch', 'epochs', 'hidden', 'activation', 'optimizer', 'l2',
  'dropout', 'seed', 'backend', 'bestDev', 'test', 'duration',
] as const;
export type RunColumn = (typeof RUN_COLUMNS)[number];
export type RunCell = string | number | null;

/** The kind's own cells; empty for a record of a kind this build does not know (an old or foreign record). */
function kindCells(config: RunRecord['config']): RunTableCells {
  return isModelKind(config.model) ? modelKind(config.model).runTableCells(config.net) : { hidden: '', activation: '' };
}

function dropoutOf(config: RunRecord['config']): number {
  const net = config.net as { dropout?: number };
  return net.dropout ?? 0;
}

/** One table cell: numbers stay numbers (for sorting), null = not known. */
export function runCell(run: RunRecord, column: RunColumn): RunCell {
  const c = run.config;
  switch (column) {
    case 'network': return run.network;
    case 'dataset': return run.dataset;
    case 'started': return run.startedAt;
    case 'lr': return c.optimizer.lr;
    case 'batch': return c.batchSize;
    case 'epochs': return run.epochs.length;
    case 'hidden': return kindCells(c).hidden;
    case 'activation': return kindCells(c).activation;
    case 'optimizer': return c.optimizer.kind;
    case 'l2': return c.optimizer.weightDecay;
    case 'dropout': return dropoutOf(c);
    case 'seed': return c.seed;
    case 'backend': return run.backend;
    case 'bestDev': return run.bestDevAccuracy;
    case 'test': return run.testAccuracy;
    case 'duration': return run.durationMs;
  }
}

/** Sorted copy; nulls last whatever the direction. */
export function sortRuns(runs: readonly RunRecord[], column: RunColumn, descending: boolean): RunRecord[] {
  const sign = descending ? -1 : 1;
  return [...runs].sort((a, b) => {
    const x = runCell(a, column);
    const y = runCell(b, column);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en', { numeric: true });
  });
}

/** Best dev accuracy over the epochs (NaN epochs ignored); null without epochs. */
export function bestDevAccuracy(epochs: readonly EpochPoint[]): number | null {
  let best: number | null = null;
  for (const e of epochs) if (Number.isFinite(e.devAccuracy) && (best === null || e.devAccuracy > best)) best = e.devAccuracy;
  return best;
}

function csvField(value: RunCell | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per run; `started` as ISO time, accuracies as fractions, duration in ms. */
export function runsToCsv(runs: readonly RunRecord[]): string {
  const header = ['id', ...RUN_COLUMNS, 'outcome', 'finalDev', 'train', 'sweep'];
  const rows = runs.map((run) => {
    const cells = RUN_COLUMNS.map((col) => (col === 'started' ? new Date(run.startedAt).toISOString() : runCell(run, col)));
    const extra = [run.outcome, run.finalDevAccuracy, run.trainAccuracy, run.sweep?.label ?? null];
    return [run.id, ...cells, ...extra].map(csvField).join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}

/** The full records (weights excluded: they are separate files). */
export function runsToJson(runs: readonly RunRecord[]): string {
  return JSON.stringify({ format: 'scratchnet-runs', version: 1, runs }, null, 2);
}

/** A short name for legends: "#3 mlp lr=0.01 b64 784-16-10". */
export function runLabel(run: RunRecord, index?: number): string {
  const number = index !== undefined ? `#${index} ` : '';
  // A sweep's runs differ only in what it varied: that is the name worth reading.
  if (run.sweep) return `${number}${run.network} ${run.sweep.label}`;
  const c = run.config;
  const { hidden } = kindCells(c);
  const parts = [run.network, `lr=${c.optimizer.lr}`, `b${c.batchSize}`, hidden ? `h${hidden}` : ''];
  return number + parts.filter((p) => p !== '').join(' ');
}
