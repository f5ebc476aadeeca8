import type { EvalResult } from '../../../../workers/api';
import { formatCount, formatPercent } from '../../format';
import { ConfusionMatrix } from '../ConfusionMatrix';
import { EvalPanelFrame, MistakeList, PerClassBars } from '../EvalPanel';
import { DoodleCanvas } from './DoodleCanvas';

const PAIRS_SHOWN = 5;

function ConfusedPairs({ result }: { result: EvalResult }) {
  const { confusedPairs = [], classes } = result.report;
  const shown = confusedPairs.filter((p) => p.count > 0).slice(0, PAIRS_SHOWN);
  if (shown.length === 0) return <p className="muted">No two classes were mixed up.</p>;
  return (
    <ol className="confused-pairs" data-testid="confused-pairs">
      {shown.map((p) => (
        <li key={`${p.a}-${p.b}`}>
          <b>{classes[p.a]}</b> ↔ <b>{classes[p.b]}</b> <span className="muted">{formatCount(p.count)} drawings</span>
        </li>
      ))}
    </ol>
  );
}

function Mistakes({ result }: { result: EvalResult }) {
  return (
    <MistakeList result={result} items={result.doodles ?? []}
      picture={(m, label) => <DoodleCanvas strokes={m.strokes} size={56} label={label} />} />
  );
}

function Report({ result }: { result: EvalResult }) {
  const r = result.report;
  return (
    <div className="eval-report">
      <div className="eval-summary">
        <div className="big-number" data-testid="test-accuracy">{formatPercent(r.accuracy, 2)}</div>
        <div className="muted" data-testid="test-accuracy-note">
          test accuracy on {formatCount(r.count)} drawings never seen in training · loss {r.loss.toFixed(4)}
          {result.mirrorAveraged && ' · each drawing averaged with its mirror image'}
        </div>
      </div>
      <div className="eval-grid">
        <div>
          <h3>Per-class accuracy</h3>
          <PerClassBars result={result} />
          <h3>Most confused pairs</h3>
          <ConfusedPairs result={result} />
        </div>
        <div>
          <h3>Where it gets confused</h3>
          <ConfusionMatrix confusion={r.confusion} classes={r.classes} caption="Confusion matrix: rows = true class, columns = predicted" />
        </div>
        <div>
          <h3>Drawings it got wrong <span className="lower">(true → predicted, confidence)</span></h3>
          <Mistakes result={result} />
        </div>
      </div>
    </div>
  );
}

export function RnnEvalPanel() {
  return (
    <EvalPanelFrame buttonLabel="Evaluate on test drawings" className="rnn-eval"
      placeholder="After training, the network is scored on the test drawings: doodles it never saw.">
      {(result) => <Report result={result} />}
    </EvalPanelFrame>
  );
}
