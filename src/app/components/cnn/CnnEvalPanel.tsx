import type { EvalResult } from '../../../../workers/api';
import { formatCount, formatPercent } from '../../format';
import { ConfusionMatrix } from '../ConfusionMatrix';
import { AccuracyBar, EvalPanelFrame, MistakeList } from '../EvalPanel';
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
      {r.hardest.slice(0, HARDEST_SHOWN).map((i) => <AccuracyBar key={i} label={r.classes[i]} accuracy={r.perClassAccuracy[i]} hard />)}
    </ol>
  );
}

function MisclassifiedPairs({ result }: { result: EvalResult }) {
  const width = result.inputShape?.[1] ?? 56;
  return (
    <MistakeList result={result} items={result.examples}
      picture={(m, label) => <PixelCanvas pixels={m.pixels} width={width} size={40} label={label} />} />
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
  return (
    <EvalPanelFrame buttonLabel="Evaluate on test pairs"
      placeholder="After training, the network is scored on the test pairs: digits it never saw.">
      {(result) => <Report result={result} />}
    </EvalPanelFrame>
  );
}
