import { useAppState, useController } from '../context';
import { formatCount, formatPercent } from '../format';
import { Panel } from './Panel';

const ORIGIN: Record<string, string> = {
  trained: 'trained here',
  imported: 'imported from a file',
  restored: 'restored from your last visit',
};

function ModelSummaryView() {
  const model = useAppState((s) => s.model);
  if (!model) return <p className="muted">No model yet.</p>;
  const acc = model.metrics.test_accuracy;
  return (
    <dl className="model-summary" data-testid="model-summary">
      <dt>Layers</dt>
      <dd>{model.architecture}</dd>
      <dt>Parameters</dt>
      <dd>{formatCount(model.parameterCount)}</dd>
      <dt>Origin</dt>
      <dd>{ORIGIN[model.origin] ?? model.origin}</dd>
      {typeof acc === 'number' && (
        <>
          <dt>Test accuracy</dt>
          <dd>{formatPercent(acc, 2)}</dd>
        </>
      )}
    </dl>
  );
}

export function ModelPanel({ disabled = false }: { disabled?: boolean }) {
  const controller = useController();
  const hasModel = useAppState((s) => s.model !== null);
  const idle = useAppState((s) => s.phase === 'idle');
  const canExport = !disabled && hasModel && idle;
  return (
    <Panel title="4 · Weights" className="model-panel">
      {disabled ? <p className="muted">Export and import arrive with this network.</p> : <ModelSummaryView />}
      <div className="buttons">
        <button
          type="button"
          className="primary"
          data-testid="export-button"
          disabled={!canExport}
          onClick={() => void controller.exportModel('safetensors')}
        >
          ⬇ Download .safetensors
        </button>
        <button type="button" data-testid="export-npz-button" disabled={!canExport} onClick={() => void controller.exportModel('npz')}>
          .npz
        </button>
      </div>
      <label className={`file-button${disabled || !idle ? ' disabled' : ''}`}>
        <input
          data-testid="import-input"
          type="file"
          accept=".safetensors,.npz"
          disabled={disabled || !idle}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void controller.importModel(file);
          }}
        />
        <span>⬆ Import weights (.safetensors / .npz)</span>
      </label>
      <p className="muted small">
        Files follow PyTorch’s <code>state_dict</code> names (<code>fc1.weight</code>, …): load them with{' '}
        <code>safetensors</code> or <code>numpy.load</code>.
      </p>
    </Panel>
  );
}
