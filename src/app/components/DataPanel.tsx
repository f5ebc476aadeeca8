import { formatCount } from '../format';
import { useAppState, useMlpController } from '../context';
import { FileDropZone } from './FileDropZone';
import { Panel } from './Panel';
import { StorageLine } from './StorageLine';

export function DataPanel() {
  const controller = useMlpController();
  const datasets = useAppState((s) => s.datasets);
  const datasetId = useAppState((s) => s.datasetId);
  const load = useAppState((s) => s.load);
  const mnistBase = useAppState((s) => s.mnistBase);
  const training = useAppState((s) => s.phase !== 'idle');
  const busy = load !== null || training;
  const usable = datasets.filter((d) => d.complete);
  const hasFull = usable.some((d) => d.id === 'mnist-full');

  return (
    <Panel title="1 · Data">
      <label className="field">
        <span>Dataset</span>
        <select
          data-testid="dataset-select"
          value={datasetId ?? ''}
          disabled={busy || usable.length === 0}
          onChange={(e) => void controller.selectDataset(e.target.value)}
        >
          {datasetId === null && <option value="">Loading…</option>}
          {usable.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} · {formatCount(d.trainCount)} + {formatCount(d.testCount)}
            </option>
          ))}
        </select>
      </label>
      {load && (
        <div className="load-progress">
          <progress data-testid="data-progress" max={1} value={load.fraction} aria-valuenow={Math.round(load.fraction * 100)} />
          <span className="muted">{load.phase} · {Math.round(load.fraction * 100)}%</span>
        </div>
      )}
      <div className="full-mnist">
        <h3>{hasFull ? 'Full MNIST is stored in this browser' : 'Full MNIST: 60,000 + 10,000 digits'}</h3>
        <label className="field">
          <span>Mirror URL</span>
          <input
            data-testid="mnist-base-input"
            type="url"
            value={mnistBase}
            spellCheck={false}
            onChange={(e) => controller.setMnistBase(e.target.value)}
          />
        </label>
        <button type="button" data-testid="load-mnist-button" disabled={busy} onClick={() => void controller.loadFullMnist()}>
          Load full MNIST
        </button>
        <IdxDropZone disabled={busy} onFiles={(files) => void controller.loadIdxFiles(files)} />
      </div>
      <StorageLine largeDataStored={hasFull} refresh={datasets} />
    </Panel>
  );
}

function IdxDropZone({ disabled, onFiles }: { disabled: boolean; onFiles: (files: File[]) => void }) {
  return (
    <FileDropZone
      disabled={disabled}
      onFiles={onFiles}
      testId="idx-drop-zone"
      inputTestId="idx-files-input"
      accept=".gz,.idx,.idx1-ubyte,.idx3-ubyte,application/gzip,application/octet-stream"
    >
      …or drop the 4 IDX files here (<code>train-images</code>, <code>train-labels</code>, <code>t10k-images</code>,{' '}
      <code>t10k-labels</code>, gzipped or not), or click to pick them.
    </FileDropZone>
  );
}
