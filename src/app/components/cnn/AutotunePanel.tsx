import { useAppState } from '../../context';
import { formatPercent } from '../../format';
import { Panel } from '../Panel';
import { AutotuneScatter } from './AutotuneScatter';
import { useCnnController } from './use-cnn-controller';

function TrialTable() {
  const trials = useAppState((s) => s.pages.cnn.trials);
  if (trials.length === 0) return null;
  let best = -1;
  trials.forEach((t, i) => {
    if (t.devAccuracy > (trials[best]?.devAccuracy ?? -Infinity)) best = i;
  });
  return (
    <table className="trials" data-testid="autotune-trials">
      <thead>
        <tr><th>#</th><th>kind</th><th>lr</th><th>L2 λ</th><th>dev acc.</th><th>s</th></tr>
      </thead>
      <tbody>
        {trials.map((t, i) => (
          <tr key={t.index} className={i === best ? 'best' : undefined}>
            <td>{t.index + 1}</td>
            <td>{t.phase}</td>
            <td>{t.lr.toPrecision(2)}</td>
            <td>{t.weightDecay.toPrecision(2)}</td>
            <td>{Number.isNaN(t.devAccuracy) ? t.reason : formatPercent(t.devAccuracy)}</td>
            <td>{t.seconds.toFixed(0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Auto-tune: a short (lr, λ) search whose trials fill the table as they finish. */
export function AutotunePanel() {
  const controller = useCnnController();
  const phase = useAppState((s) => s.phase);
  const ready = useAppState((s) => s.datasetId !== null && s.load === null);
  const retrain = useAppState((s) => s.pages.cnn.autotuneRetrain);
  const trials = useAppState((s) => s.pages.cnn.trials);
  return (
    <Panel title="Auto-tune (optional)">
      <p className="muted small">
        Tries three learning rates, then three random (lr, λ) pairs near the best, one epoch each on up to 3,000 pairs,
        puts the best pair into the form and retrains with it on the whole training set.
      </p>
      <label className="check-field">
        <input type="checkbox" data-testid="autotune-retrain" checked={retrain} disabled={phase !== 'idle'}
          onChange={(e) => controller.setAutotuneRetrain(e.target.checked)} />
        then retrain with the best pair
      </label>
      <div className="buttons">
        <button type="button" data-testid="autotune-button" disabled={phase !== 'idle' || !ready} onClick={() => void controller.autotune()}>
          Auto-tune lr &amp; λ
        </button>
        <button type="button" data-testid="autotune-stop-button" disabled={phase !== 'tuning'} onClick={() => controller.stopTuning()}>
          Stop search
        </button>
      </div>
      <TrialTable />
      <AutotuneScatter trials={trials} />
    </Panel>
  );
}
