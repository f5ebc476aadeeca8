import { memo, useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RnnStepPredictions } from '../../../../workers/api';
import { useAppState } from '../../context';
import { DoodleCanvas } from './DoodleCanvas';
import { sequenceToDrawing } from './sequence-view';
import { finalTopClasses, stepRows, strokeOfStep, topAtStep } from './steps-view';
import type { StrokeRecorder } from './stroke-recorder';
import { useRnnController, useRnnState } from './use-rnn';

const CHARTED = 3;
const COLORS = ['#2563eb', '#dc2626', '#16a34a'];
const NO_CLASSES: string[] = [];
const percent = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v));

const StepsChart = memo(function StepsChart(props: { result: RnnStepPredictions; names: string[]; at: number }) {
  const { result, names, at } = props;
  const charted = useMemo(() => finalTopClasses(result, CHARTED), [result]);
  const rows = useMemo(() => stepRows(result, charted), [result, charted]);
  return (
    <ResponsiveContainer width="100%" height={180}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={[1, Math.max(2, result.steps)]} allowDecimals={false} stroke="var(--muted)" fontSize={11} />
        <YAxis domain={[0, 1]} ticks={[0, 0.5, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} stroke="var(--muted)" fontSize={11} width={40} />
        <Tooltip formatter={percent} labelFormatter={(l) => `after step ${l}`} />
        {result.strokeEnds.map((end) => <ReferenceLine key={end} x={end} stroke="var(--muted)" strokeDasharray="2 3" />)}
        <ReferenceLine x={at} stroke="var(--accent)" strokeWidth={2} />
        {charted.map((c, i) => (
          <Line key={c} type="linear" dataKey={`c${i}`} name={names[c] ?? String(c)} stroke={COLORS[i]} dot={false}
            strokeWidth={1.5} isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
});

/**
 * "What the BiGRU would say if the drawing stopped here", for every step of the current doodle:
 * a chart of the final top classes per step (dashed lines: strokes end) and a scrubber that
 * redraws the doodle up to a step. Asked for again whenever the prediction is (each stroke, each
 * epoch of a run, a new model).
 */
export function RnnStepsView({ recorder }: { recorder: StrokeRecorder }) {
  const controller = useRnnController();
  const seen = useRnnState((s) => s.seen);
  const names = useAppState((s) => s.model?.classes ?? NO_CLASSES);
  const [result, setResult] = useState<RnnStepPredictions | null>(null);
  const [at, setAt] = useState(1);
  useEffect(() => {
    if (!seen) {
      setResult(null);
      return;
    }
    let current = true;
    void controller.rnnSteps(recorder.strokes).then((r) => {
      if (!current) return;
      setResult(r);
      setAt(r?.steps ?? 1);
    });
    return () => {
      current = false;
    };
  }, [controller, recorder, seen]);
  const step = result ? Math.min(at, result.steps) : 1;
  const partial = useMemo(
    () => (result ? sequenceToDrawing(result.sequence.subarray(0, 3 * step), result.deltaScale) : []),
    [result, step],
  );
  if (!result) return null;
  const top = topAtStep(result, step);
  return (
    <div className="rnn-steps">
      <h3 className="small">Step by step: what the network would say if you had stopped here</h3>
      <figure className="chart" data-testid="rnn-steps" data-steps={result.steps}>
        <div role="img" aria-label={`Probability of the ${CHARTED} final top classes after each of the ${result.steps} steps; the slider below reads them step by step`}>
          <StepsChart result={result} names={names} at={step} />
        </div>
        <figcaption className="muted small">
          {finalTopClasses(result, CHARTED).map((c, i) => (
            <span key={c} style={{ marginRight: 12 }}><span style={{ color: COLORS[i] }} aria-hidden="true">■</span> {names[c] ?? c}</span>
          ))}
          dashed: a stroke ends
        </figcaption>
      </figure>
      <div className="rnn-steps-scrub">
        <DoodleCanvas strokes={partial} size={120} dots label={`The drawing up to step ${step}`} testId="rnn-step-canvas" />
        <div>
          <input
            type="range" min={1} max={result.steps} value={step} data-testid="rnn-step-slider"
            aria-label="Step of the drawing" onChange={(e) => setAt(Number(e.target.value))}
          />
          <p className="small" data-testid="rnn-step-top">
            After step {step} of {result.steps} (stroke {strokeOfStep(result, step)}): <strong>{names[top.classIndex] ?? top.classIndex}</strong> {percent(top.prob)}
          </p>
        </div>
      </div>
    </div>
  );
}
