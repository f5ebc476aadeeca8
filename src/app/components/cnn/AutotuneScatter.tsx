import { memo } from 'react';
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrialResult } from '../../../train/autotune';
import { logTicks, scatterRows, type ScatterRow } from './autotune-scatter-data';

const percent = (v: number) => `${(v * 100).toFixed(0)}%`;
const exponent = (v: number) => v.toExponential(0);

function TrialTick(props: { x?: number | string; y?: number | string; payload?: { value: number }; axis: 'x' | 'y' }) {
  const value = props.payload?.value ?? 0;
  const x = Number(props.x ?? 0);
  const y = Number(props.y ?? 0);
  return props.axis === 'x'
    ? <text x={x} y={y + 12} textAnchor="middle" fill="var(--muted)" fontSize={11}>{exponent(value)}</text>
    : <text x={x - 4} y={y + 4} textAnchor="end" fill="var(--muted)" fontSize={11}>{percent(value)}</text>;
}

function OneScatter({ rows, field, title, testId }: { rows: ScatterRow[]; field: 'lr' | 'weightDecay'; title: string; testId: string }) {
  const ticks = logTicks(rows.map((r) => r[field]));
  const best = rows.filter((r) => r.best);
  const rest = rows.filter((r) => !r.best);
  return (
    <figure className="chart scatter" data-testid={testId}>
      <figcaption><strong>dev accuracy vs {title}</strong></figcaption>
      <div role="img" aria-label={`Dev accuracy against ${title}, one point per trial (${rows.length}); the trials are listed in the table`}>
        <ResponsiveContainer width="100%" height={160}>
          <ScatterChart margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
            <XAxis dataKey={field} type="number" scale="log" domain={[ticks[0], ticks[ticks.length - 1]]} ticks={ticks} interval={0}
              tick={<TrialTick axis="x" />} stroke="var(--muted)" allowDataOverflow />
            <YAxis dataKey="devAccuracy" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} interval={0}
              tick={<TrialTick axis="y" />} stroke="var(--muted)" width={40} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toPrecision(3) : String(v))} />
            <Scatter name="trials" data={rest} fill="var(--accent)" isAnimationActive={false} />
            <Scatter name="best" data={best} fill="var(--good, #1a7f37)" shape="star" isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Each finished trial as a point: dev accuracy against its lr and against its λ (log axes). */
export const AutotuneScatter = memo(function AutotuneScatter({ trials }: { trials: TrialResult[] }) {
  const rows = scatterRows(trials);
  if (rows.length === 0) return null;
  return (
    <div className="chart-pair autotune-scatter">
      <OneScatter rows={rows} field="lr" title="learning rate" testId="autotune-scatter-lr" />
      <OneScatter rows={rows} field="weightDecay" title="L2 λ" testId="autotune-scatter-l2" />
    </div>
  );
});
