import type { EvalResult } from '../../../workers/api';
import { useAppState, useController } from '../context';
import { formatCount, formatPercent } from '../format';
import { ConfusionMatrix } from './ConfusionMatrix';
import { Panel } from './Panel';
import { PixelCanvas } from './PixelCanvas';

/** One class's accuracy as a bar (the hardest ones marked). */
export function AccuracyBar({ label, accuracy, hard }: { label: string; accuracy: number; hard: boolean }) {
  return (
    <li className={hard ? 'hard' : undefined}>
      <span className="prob-label">{label}</span>
      <span className="prob-track">
        <span className="prob-fill" style={{ width: `${Math.max(0, accuracy) * 100}%` }} />
      </span>
      <span className="prob-value">{formatPercent(accuracy)}</span>
    </li>
  );
}

export function PerClassBars({ result }: { result: EvalResult }) {
  const { perClassAccuracy, classes, hardest } = result.report;
  const worst = new Set(hardest.slice(0, 3));
  return (
    <ol className="class-bars" data-testid="per-class-accuracy">
      {perClassAccuracy.map((acc, i) => <AccuracyBar key={classes[i]} label={classes[i]} accuracy={acc} hard={worst.has(i)} />)}
    </ol>
  );
}

interface Mistake {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
}

/** Misclassified test examples, each drawn by `picture` with its true → predicted labels and confidence. */
export function MistakeList<M extends Mistake>({ result, items, picture }: {
  result: EvalResult;
  items: readonly M[];
  picture: (m: M, label: string) => React.ReactNode;
}) {
  const { classes } = result.report;
  if (items.length === 0) return <p className="muted">No mistakes at all on this set.</p>;
  return (
    <ul className="mistakes" data-testid="misclassified">
      {items.map((m) => {
        const label = `true ${classes[m.label]}, predicted ${classes[m.predicted]}`;
        return (
          <li key={m.index} title={`test #${m.index}: ${label}`}>
            {picture(m, label)}
            <span>
              <b>{classes[m.label]}</b>→<b className="bad">{classes[m.predicted]}</b>
              <small>{formatPercent(m.confidence, 0)}</small>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** The evaluation panel every page has: its button, then the report or a word on what it will show. */
export function EvalPanelFrame({ buttonLabel, className, placeholder, children }: {
  buttonLabel: string;
  className?: string;
  placeholder: React.ReactNode;
  children: (result: EvalResult) => React.ReactNode;
}) {
  const controller = useController();
  const result = useAppState((s) => s.evalResult);
  const evaluating = useAppState((s) => s.evaluating);
  const canEvaluate = useAppState((s) => s.model !== null && s.datasetId !== null && s.phase === 'idle' && s.load === null);
  const button = (
    <button type="button" data-testid="evaluate-button" disabled={!canEvaluate || evaluating} onClick={() => void controller.evaluate()}>
      {evaluating ? 'Evaluating…' : buttonLabel}
    </button>
  );
  return (
    <Panel title="6 · Evaluation" className={className ? `eval-panel ${className}` : 'eval-panel'} aside={button}>
      {result ? children(result) : <p className="muted">{placeholder}</p>}
    </Panel>
  );
}

function Misclassified({ result }: { result: EvalResult }) {
  return <MistakeList result={result} items={result.examples} picture={(m, label) => <PixelCanvas pixels={m.pixels} size={56} label={label} />} />;
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
  return (
    <EvalPanelFrame
      buttonLabel="Evaluate on test set"
      placeholder="After training, the network is scored on the test set: digits it never saw. Runs automatically at the end of training."
    >
      {(result) => <Report result={result} />}
    </EvalPanelFrame>
  );
}
