import { RUN_COLUMNS, runCell, type RunColumn, type RunRecord } from '../../../train/runs';
import { formatDuration, formatPercent } from '../../format';
import { usePlayground, useRunsState } from '../../playground-context';

const HEADERS: Record<RunColumn, string> = {
  network: 'Net', dataset: 'Dataset', started: 'Started', lr: 'LR', batch: 'Batch', epochs: 'Epochs', hidden: 'Hidden',
  activation: 'Activation', optimizer: 'Optimizer', l2: 'L2', dropout: 'Dropout', seed: 'Seed', backend: 'Backend',
  bestDev: 'Best dev', test: 'Test', duration: 'Time',
};

function display(run: RunRecord, column: RunColumn): string {
  const value = runCell(run, column);
  if (value === null || value === '') return '–';
  if (column === 'started') return new Date(run.startedAt).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  if (column === 'bestDev' || column === 'test') return formatPercent(value as number, 2);
  if (column === 'duration') return formatDuration(value as number);
  return String(value);
}

function WeightsCell({ run }: { run: RunRecord }) {
  const { runs } = usePlayground();
  if (run.hasWeights) {
    return (
      <button type="button" className="small" data-testid="run-download-weights" onClick={() => void runs.downloadWeights(run.id)}>
        ⤓ weights
      </button>
    );
  }
  if (!runs.canKeepWeights(run.id)) return <span className="muted">–</span>;
  return (
    <button type="button" className="small" data-testid="run-keep-weights" onClick={() => void runs.keepWeights(run.id)}>
      keep
    </button>
  );
}

export function RunsTable({ runs: rows, numbers }: { runs: RunRecord[]; numbers: Map<string, number> }) {
  const { runs } = usePlayground();
  const selected = useRunsState((s) => s.selected);
  const sort = useRunsState((s) => s.sort);
  const all = rows.length > 0 && rows.every((r) => selected.includes(r.id));
  return (
    <div className="runs-table-wrap">
      <table className="runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th><input type="checkbox" aria-label="Select all runs" checked={all} onChange={(e) => runs.selectAll(e.target.checked)} /></th>
            <th>#</th>
            {RUN_COLUMNS.map((col) => (
              <th key={col} aria-sort={sort.column === col ? (sort.descending ? 'descending' : 'ascending') : undefined}>
                <button type="button" className="sort" data-testid={`sort-${col}`} onClick={() => runs.sortBy(col)}>
                  {HEADERS[col]}{sort.column === col ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
            <th>Weights</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((run) => (
            <tr key={run.id} data-testid="run-row" className={run.outcome !== 'completed' ? `run-${run.outcome}` : undefined}>
              <td>
                <input
                  type="checkbox"
                  data-testid="run-select"
                  aria-label={`Select run ${numbers.get(run.id)}`}
                  checked={selected.includes(run.id)}
                  onChange={() => runs.toggle(run.id)}
                />
              </td>
              <td title={run.sweep ? `sweep ${run.sweep.index}/${run.sweep.total}: ${run.sweep.label}` : run.outcome}>
                {numbers.get(run.id)}{run.outcome !== 'completed' ? ` (${run.outcome})` : ''}
              </td>
              {RUN_COLUMNS.map((col) => <td key={col} data-col={col}>{display(run, col)}</td>)}
              <td><WeightsCell run={run} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
