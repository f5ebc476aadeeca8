import { useEffect, useMemo } from 'react';
import { runLabel, sortRuns } from '../../train/runs';
import { Panel } from '../components/Panel';
import { RunsCharts } from '../components/runs/RunsCharts';
import { RunsTable } from '../components/runs/RunsTable';
import { usePlayground, useRunsState } from '../playground-context';

/** Every training run of this browser: a sortable table, overlaid curves of the ticked runs, export. */
export function RunsPage() {
  const { runs } = usePlayground();
  const all = useRunsState((s) => s.runs);
  const selected = useRunsState((s) => s.selected);
  const sort = useRunsState((s) => s.sort);
  const loaded = useRunsState((s) => s.loaded);
  const keepWeights = useRunsState((s) => s.keepWeights);
  const message = useRunsState((s) => s.message);
  useEffect(() => {
    if (!loaded) void runs.load();
  }, [loaded, runs]);

  // Run numbers follow the order runs were made, whatever the sorting.
  const numbers = useMemo(() => new Map(all.map((r, i) => [r.id, i + 1])), [all]);
  const rows = useMemo(() => sortRuns(all, sort.column, sort.descending), [all, sort]);
  const chosen = useMemo(() => all.filter((r) => selected.includes(r.id)), [all, selected]);
  const labels = useMemo(() => new Map(all.map((r) => [r.id, runLabel(r, numbers.get(r.id))])), [all, numbers]);

  return (
    <div className="runs-page">
      <Panel
        title="Runs"
        aside={<span className="muted" data-testid="runs-count">{all.length} run{all.length === 1 ? '' : 's'} kept in this browser</span>}
      >
        <p className="muted">
          Every training run of the MLP, CNN and RNN pages lands here with its settings, curves and results. Tick runs to compare
          their curves; sort by any column. Sweeps on the MLP page fill this table run by run.
        </p>
        <div className="buttons runs-actions">
          <button type="button" data-testid="runs-export-json" disabled={all.length === 0} onClick={() => runs.exportSelected('json')}>
            Export JSON
          </button>
          <button type="button" data-testid="runs-export-csv" disabled={all.length === 0} onClick={() => runs.exportSelected('csv')}>
            Export CSV
          </button>
          <button type="button" data-testid="runs-delete" disabled={selected.length === 0} onClick={() => void runs.deleteSelected()}>
            Delete selected ({selected.length})
          </button>
          <label className="check-field">
            <input type="checkbox" data-testid="runs-keep-weights" checked={keepWeights} onChange={(e) => runs.setKeepWeights(e.target.checked)} />
            keep the weights of every new run
          </label>
        </div>
        {message && <p className={message.kind === 'error' ? 'error-text' : 'muted'} data-testid="runs-message">{message.text}</p>}
        {loaded && all.length === 0 ? (
          <p data-testid="runs-empty">No runs yet. Train a network on the <a href="#/mlp">MLP page</a> — or run a sweep there.</p>
        ) : (
          <RunsTable runs={rows} numbers={numbers} />
        )}
      </Panel>
      <Panel title="Compare" className="charts">
        <RunsCharts runs={chosen} labels={labels} />
      </Panel>
    </div>
  );
}
