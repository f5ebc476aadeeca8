import { useEffect } from 'react';
import { useAppState } from '../../context';
import { formatCount } from '../../format';
import { Panel } from '../Panel';
import { PixelCanvas } from '../PixelCanvas';
import { StorageLine } from '../StorageLine';
import { useCnnController } from './use-cnn-controller';

function PairSamples() {
  const samples = useAppState((s) => s.pages.cnn.pairs?.samples);
  if (!samples?.length) return null;
  return (
    <ul className="pair-samples" data-testid="pair-samples" aria-label="Sample pairs">
      {samples.map((s, i) => (
        <li key={i}>
          <PixelCanvas pixels={s.pixels} width={56} size={36} label={`pair labelled ${s.label}`} />
          <b>{s.label}</b>
        </li>
      ))}
    </ul>
  );
}

export function PairsDataPanel() {
  const controller = useCnnController();
  const datasets = useAppState((s) => s.datasets).filter((d) => d.complete);
  const source = useAppState((s) => s.pages.cnn.pairSource);
  const pairs = useAppState((s) => s.pages.cnn.pairs);
  const load = useAppState((s) => s.load);
  const busy = useAppState((s) => s.load !== null || s.phase !== 'idle');
  const booted = useAppState((s) => s.pages.cnn.pairSource !== null);
  useEffect(() => {
    if (booted) void controller.refreshSources();
  }, [booted, controller]);

  return (
    <Panel title="1 · Paired MNIST">
      <p className="muted small">
        Two MNIST digits side by side make a 28×56 image of a number 00–99: the left digit is the tens, the right
        the ones. Test pairs hold test digits only.
      </p>
      <label className="field">
        <span>Digits from</span>
        <select
          data-testid="pair-source-select"
          value={source ?? ''}
          disabled={busy || datasets.length === 0}
          onChange={(e) => controller.setPairSource(e.target.value)}
        >
          {source === null && <option value="">Loading…</option>}
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>{d.name} · {formatCount(d.trainCount)} + {formatCount(d.testCount)}</option>
          ))}
        </select>
      </label>
      <button type="button" data-testid="build-pairs-button" disabled={busy || !source} onClick={() => void controller.buildPairs()}>
        Build pairs
      </button>
      {load && (
        <div className="load-progress">
          <progress data-testid="data-progress" max={1} value={load.fraction} aria-valuenow={Math.round(load.fraction * 100)} />
          <span className="muted">{load.phase} · {Math.round(load.fraction * 100)}%</span>
        </div>
      )}
      {pairs && (
        <p className="small" data-testid="pairs-info">
          {formatCount(pairs.trainCount)} train / {formatCount(pairs.testCount)} test pairs
        </p>
      )}
      <PairSamples />
      <StorageLine largeDataStored={datasets.some((d) => d.id === 'mnist-full')} refresh={pairs} />
    </Panel>
  );
}
