/**
 * The run history: receives every ended run from the page controllers (it is their RunLog), keeps
 * it in IndexedDB, and drives the Runs view (selection, sorting, delete, export, kept weights).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { deleteRuns, listRuns, loadRunWeights, newRunId, saveRun, saveRunWeights } from '../data/runs-store';
import {
  bestDevAccuracy, runsToCsv, runsToJson, type RunColumn, type RunNetwork, type RunRecord, type RunSweepTag,
} from '../train/runs';
import { messageOf } from './format';
import { formatBytes } from './format';
import type { FinishedRun, RunLog } from './run-log';
import type { StatusKind } from './page-state';

export interface RunsState {
  runs: RunRecord[];
  /** Ids of the runs whose curves are overlaid (and that export/delete act on). */
  selected: string[];
  sort: { column: RunColumn; descending: boolean };
  loaded: boolean;
  /** Store every new run's weights with it. */
  keepWeights: boolean;
  message: { text: string; kind: StatusKind } | null;
}

export type RunsStore = StoreApi<RunsState>;

export interface RunsDeps {
  download(bytes: Uint8Array, fileName: string, mime?: string): void;
  /** The kernels training runs on now (the page's start-up label is the fallback). */
  backend(): string;
}

const KEEP_WEIGHTS_KEY = 'scratchnet.keepRunWeights';

function readKeepWeights(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEEP_WEIGHTS_KEY) === '1';
  } catch {
    return false;
  }
}

export function createRunsStore(): RunsStore {
  return createStore<RunsState>()(() => ({
    runs: [], selected: [], sort: { column: 'started', descending: true }, loaded: false,
    keepWeights: readKeepWeights(), message: null,
  }));
}

/** The stored record of an ended run. */
export function recordOf(run: FinishedRun, id: string, backend: string, sweep?: RunSweepTag): RunRecord {
  const s = run.state;
  const epochs = s.epochPoints;
  const last = epochs[epochs.length - 1];
  const test = s.evalResult?.report.accuracy;
  const record: RunRecord = {
    id, network: run.network,
    model: s.model?.kind ?? run.plan.config.model,
    architecture: s.model?.architecture ?? '',
    dataset: s.datasetId ?? '',
    startedAt: run.startedAt,
    durationMs: Math.max(0, run.endedAt - run.startedAt),
    config: run.plan.config,
    backend: backend || s.kernels || '',
    outcome: run.reason,
    epochs: [...epochs],
    loss: [...s.lossPoints],
    stepsPerEpoch: s.progress?.stepsPerEpoch ?? null,
    bestDevAccuracy: bestDevAccuracy(epochs),
    finalDevAccuracy: last && Number.isFinite(last.devAccuracy) ? last.devAccuracy : null,
    trainAccuracy: last && Number.isFinite(last.trainAccuracy) ? last.trainAccuracy : null,
    testAccuracy: typeof test === 'number' && run.reason !== 'diverged' ? test : null,
    hasWeights: false,
  };
  if (run.plan.options?.trainLimit !== undefined) record.trainLimit = run.plan.options.trainLimit;
  if (sweep) record.sweep = sweep;
  return record;
}

const textBytes = (text: string) => new TextEncoder().encode(text);

export class RunsController implements RunLog {
  /** Tags the runs a sweep starts (set by the sweep runner around each run). */
  sweepTag: RunSweepTag | null = null;
  /** The latest run of each network while its model is still the page's current one (for "keep weights"). */
  private readonly latest = new Map<RunNetwork, { id: string; exportWeights: () => Promise<Uint8Array> }>();

  constructor(
    readonly store: RunsStore,
    private readonly deps: RunsDeps,
  ) {}

  /** Runs recorded so far (the sweep checks that each of its runs really happened). */
  count(): number {
    return this.store.getState().runs.length;
  }

  async load(): Promise<void> {
    try {
      const stored = await listRuns<RunRecord>();
      // A run recorded while the list was read is kept (it may or may not be in `stored` yet).
      this.store.setState((s) => {
        const known = new Set(stored.map((r) => r.id));
        return { runs: [...stored, ...s.runs.filter((r) => !known.has(r.id))], loaded: true };
      });
    } catch (err) {
      this.store.setState({ loaded: true });
      this.say(`Could not read the run history: ${messageOf(err)}`, 'error');
    }
  }

  /**
   * Stores a run's record: a run with an id is recorded as it goes ('interrupted' until it ends,
   * so a reload or a crash leaves it marked so) and its later records replace the earlier one.
   */
  async record(run: FinishedRun): Promise<void> {
    const id = run.id ?? newRunId(run.startedAt);
    const earlier = this.find(id);
    const record = recordOf(run, id, this.deps.backend(), earlier?.sweep ?? this.sweepTag ?? undefined);
    const ended = run.reason !== 'interrupted';
    if (ended) this.latest.set(run.network, { id: record.id, exportWeights: run.exportWeights });
    this.store.setState((s) => ({ runs: earlier ? s.runs.map((r) => (r.id === id ? record : r)) : [...s.runs, record] }));
    try {
      await saveRun(record);
      if (ended && this.store.getState().keepWeights) await this.keepWeights(record.id);
    } catch (err) {
      this.say(`The run finished but could not be kept: ${messageOf(err)}`, 'error');
    }
  }

  /** Only the latest run of a network can still hand over its weights (later runs replace the model). */
  canKeepWeights(id: string): boolean {
    for (const entry of this.latest.values()) if (entry.id === id) return true;
    return false;
  }

  async keepWeights(id: string): Promise<void> {
    const entry = [...this.latest.values()].find((e) => e.id === id);
    const run = this.find(id);
    if (!entry || !run) {
      this.say('Only the latest run of each network still has its weights in memory', 'error');
      return;
    }
    try {
      const bytes = await entry.exportWeights();
      await saveRunWeights(id, bytes);
      const updated = { ...run, hasWeights: true };
      await saveRun(updated);
      this.replace(updated);
      this.say(`Kept the weights of the run (${formatBytes(bytes.length)})`, 'success');
    } catch (err) {
      this.say(`Could not keep the weights: ${messageOf(err)}`, 'error');
    }
  }

  async downloadWeights(id: string): Promise<void> {
    const bytes = await loadRunWeights(id);
    const run = this.find(id);
    if (!bytes || !run) {
      this.say('No weights are stored with this run', 'error');
      return;
    }
    this.deps.download(bytes, `scratchnet-${run.model}-${id}.safetensors`);
  }

  setKeepWeights(keep: boolean): void {
    this.store.setState({ keepWeights: keep });
    try {
      globalThis.localStorage?.setItem(KEEP_WEIGHTS_KEY, keep ? '1' : '0');
    } catch {
      // Not remembered across visits; this visit still follows it.
    }
  }

  toggle(id: string): void {
    this.store.setState((s) => ({
      selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : [...s.selected, id],
    }));
  }

  selectAll(all: boolean): void {
    this.store.setState((s) => ({ selected: all ? s.runs.map((r) => r.id) : [] }));
  }

  /** Same column again flips the direction. */
  sortBy(column: RunColumn): void {
    this.store.setState((s) => ({
      sort: { column, descending: s.sort.column === column ? !s.sort.descending : column === 'started' },
    }));
  }

  async deleteSelected(): Promise<void> {
    const ids = this.store.getState().selected;
    if (ids.length === 0) return;
    try {
      await deleteRuns(ids);
      for (const [network, entry] of this.latest) if (ids.includes(entry.id)) this.latest.delete(network);
      this.store.setState((s) => ({ runs: s.runs.filter((r) => !ids.includes(r.id)), selected: [] }));
      this.say(`Deleted ${ids.length} run${ids.length === 1 ? '' : 's'}`, 'success');
    } catch (err) {
      this.say(`Could not delete: ${messageOf(err)}`, 'error');
    }
  }

  /** The selected runs (all runs when none is selected) as a JSON or CSV download. */
  exportSelected(format: 'json' | 'csv'): void {
    const { runs, selected } = this.store.getState();
    const chosen = selected.length > 0 ? runs.filter((r) => selected.includes(r.id)) : runs;
    if (chosen.length === 0) {
      this.say('No runs to export yet', 'error');
      return;
    }
    const text = format === 'json' ? runsToJson(chosen) : runsToCsv(chosen);
    const mime = format === 'json' ? 'application/json' : 'text/csv';
    this.deps.download(textBytes(text), `scratchnet-runs.${format}`, mime);
    this.say(`Exported ${chosen.length} run${chosen.length === 1 ? '' : 's'} as ${format.toUpperCase()}`, 'success');
  }

  private find(id: string): RunRecord | undefined {
    return this.store.getState().runs.find((r) => r.id === id);
  }

  private replace(run: RunRecord): void {
    this.store.setState((s) => ({ runs: s.runs.map((r) => (r.id === run.id ? run : r)) }));
  }

  private say(text: string, kind: StatusKind): void {
    this.store.setState({ message: { text, kind } });
  }
}
