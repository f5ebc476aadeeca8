import type { EvalResult } from '../../../workers/api';
import { useAppState, useController } from '../context';
import { formatCount, formatPercent } from '../format';
import { ConfusionMatrix } from './ConfusionMatrix';
import { Panel } from './Panel';
import { PixelCanvas } from './PixelCanvas';

export function PerClassBars({ result }: { result: EvalResult }) {
  const { perClassAccuracy, classes, hardest } = result.report;
  const worst = new Set(hardest.slice(0, 3));
  return (
    <ol className="class-bars" data-testid="per-class-accuracy">
      {perClassAccuracy.map((acc, i) => (
        <li key={classes[i]} className={worst.has(i) ? 'hard' : undefined}>
          <span className="prob-label">{classes[i]}</span>
          <span className="prob-track">
            <span className="prob-fill" style={{ width: `${Math.max(0, acc) * 100}%` }} />
          </span>
          <span className="prob-value">{formatPercent(acc)}</span>
        </li>
      ))}
    </ol>
  );
}

function Misclassified({ result }: { result: EvalResult }) {
  const { classes } = result.report;
  if (result.examples.length === 0) return <p className="muted">No mistakes at all on this set.</p>;
  return (
    <ul className="mistakes" data-testid="misclassified">
      {result.examples.map((m) => (
        <li key={m.index} title={`test #${m.index}: true ${classes[m.label]}, predicted ${classes[m.predicted]}`}>
          <PixelCanvas pixels={m.pixels} size={56} label={`true ${classes[m.label]}, predicted ${classes[m.predicted]}`} />
          <span>
            <b>{classes[m.label]}</b>→<b className="bad">{classes[m.predicted]}</b>
            <small>{formatPercent(m.confidence, 0)}</small>
          </span>
        </li>
      ))}
    </ul>
  );
}

function Report({ result }: { result: EvalResult }) {
  const r = result.report;
  const hardest = r.hardest.slice(0, 3).map((i) => `${r.classes[i]} (${formatPercent(r.perClassAccuracy[i])})`);
  return (
    <div className="eval-report">
      <div className="eval-summary">
        <div className="big-number" data-testid="test-accuracy">{formatPercent(r.accuracy, 2)}</div>
        <div className="muted">
          test accuracy on {formatCount(r.count)} digits · loss {r.loss.toFixed(4)}
          <br />
          hardest: {hardest.join(', ')}
        </div>
      </div>
      <div className="eval-grid">
        <div>
          <h3>Per-digit accuracy</h3>
          <PerClassBars result={result} />
        </div>
        <div>
          <h3>Where it gets confused</h3>
          <ConfusionMatrix confusion={r.confusion} classes={r.classes} />
        </div>
        <div>
          <h3>Digits it got wrong <span className="lower">(true → predicted, confidence)</span></h3>
          <Misclassified result={result} />
        </div>
      </div>
    </div>
  );
}

export function EvalPanel() {
  const controller = useController();
  const result = useAppState((s) => s.evalResult);
  const evaluating = useAppState((s) => s.evaluating);
  const canEvaluate = useAppState((s) => s.model !== null && s.datasetId !== null && s.phase === 'idle' && s.load === null);
  const button = (
    <button type="button" data-testid="evaluate-button" disabled={!canEvaluate || evaluating} onClick={() => void controller.evaluate()}>
      {evaluating ? 'Evaluating…' : 'Evaluate on test set'}
    </button>
  );
  return (
    <Panel title="6 · Evaluation" className="eval-panel" aside={button}>
      {result ? (
        <Report result={result} />
      ) : (
        <p className="muted">
          After training, the network is scored on the test set: digits it never saw. Runs automatically at the end of
          training.
        </p>
      )}
    </Panel>
  );
}
