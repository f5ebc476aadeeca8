import type { EvalResult } from '../../../../workers/api';
import { useAppState, useController } from '../../context';
import { formatCount, formatPercent } from '../../format';
import { ConfusionMatrix } from '../ConfusionMatrix';
import { Panel } from '../Panel';
import { PixelCanvas } from '../PixelCanvas';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const HARDEST_SHOWN = 5;

function Summary({ result }: { result: EvalResult }) {
  const r = result.report;
  return (
    <div className="eval-summary">
      <div className="big-number" data-testid="test-accuracy">{formatPercent(r.accuracy, 2)}</div>
      <div className="muted">
        test accuracy on {formatCount(r.count)} pairs (both digits right) · loss {r.loss.toFixed(4)}
        {r.digitAccuracy && (
          <div className="digit-accuracy" data-testid="digit-accuracy">
            <span>tens digit <b>{formatPercent(r.digitAccuracy.tens, 2)}</b></span>
            <span>ones digit <b>{formatPercent(r.digitAccuracy.ones, 2)}</b></span>
          </div>
        )}
      </div>
    </div>
  );
}

function Hardest({ result }: { result: EvalResult }) {
  const r = result.report;
  return (
    <ol className="class-bars" data-testid="hardest-classes">
      {r.hardest.slice(0, HARDEST_SHOWN).map((i) => (
        <li key={i} className="hard">
          <span className="prob-label">{r.classes[i]}</span>
          <span className="prob-track">
            <span className="prob-fill" style={{ width: `${Math.max(0, r.perClassAccuracy[i]) * 100}%` }} />
          </span>
          <span className="prob-value">{formatPercent(r.perClassAccuracy[i])}</span>
        </li>
      ))}
    </ol>
  );
}

function MisclassifiedPairs({ result }: { result: EvalResult }) {
  const { classes } = result.report;
  const width = result.inputShape?.[1] ?? 56;
  if (result.examples.length === 0) return <p className="muted">No mistakes at all on this set.</p>;
  return (
    <ul className="mistakes" data-testid="misclassified">
      {result.examples.map((m) => (
        <li key={m.index} title={`test #${m.index}: true ${classes[m.label]}, predicted ${classes[m.predicted]}`}>
          <PixelCanvas pixels={m.pixels} width={width} size={40} label={`true ${classes[m.label]}, predicted ${classes[m.predicted]}`} />
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
  const digits = result.digitConfusion;
  return (
    <div className="eval-report">
      <Summary result={result} />
      <div className="eval-grid pairs">
        <div>
          <h3>The {HARDEST_SHOWN} hardest numbers</h3>
          <Hardest result={result} />
        </div>
        {digits && (
          <>
            <div>
              <h3>Tens digit (left)</h3>
              <ConfusionMatrix confusion={digits.tens} classes={DIGITS} testId="confusion-tens" caption="Tens digit: rows = true, columns = predicted" />
            </div>
            <div>
              <h3>Ones digit (right)</h3>
              <ConfusionMatrix confusion={digits.ones} classes={DIGITS} testId="confusion-ones" caption="Ones digit: rows = true, columns = predicted" />
            </div>
          </>
        )}
        <div>
          <h3>Pairs it got wrong <span className="lower">(true → predicted, confidence)</span></h3>
          <MisclassifiedPairs result={result} />
        </div>
      </div>
    </div>
  );
}

export function CnnEvalPanel() {
  const controller = useController();
  const result = useAppState((s) => s.evalResult);
  const evaluating = useAppState((s) => s.evaluating);
  const canEvaluate = useAppState((s) => s.model !== null && s.datasetId !== null && s.phase === 'idle' && s.load === null);
  const button = (
    <button type="button" data-testid="evaluate-button" disabled={!canEvaluate || evaluating} onClick={() => void controller.evaluate()}>
      {evaluating ? 'Evaluating…' : 'Evaluate on test pairs'}
    </button>
  );
  return (
    <Panel title="6 · Evaluation" className="eval-panel" aside={button}>
      {result ? <Report result={result} /> : (
        <p className="muted">After training, the network is scored on the test pairs: digits it never saw.</p>
      )}
    </Panel>
  );
}
