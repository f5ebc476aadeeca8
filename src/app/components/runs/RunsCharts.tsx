import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../../../train/runs';
import { epochTicks, niceTicks, yAxisWidth } from '../../chart-ticks';
import { overlaySeries, seriesExtent, type OverlayMetric } from './overlay';

const METRICS: { metric: OverlayMetric; title: string; note: string; testId: string }[] = [
  { metric: 'loss', title: 'Loss', note: 'per step, x in epochs', testId: 'runs-chart-loss' },
  { metric: 'devAccuracy', title: 'Dev accuracy', note: 'per epoch', testId: 'runs-chart-dev' },
  { metric: 'gap', title: 'Generalization gap', note: 'train − dev, per epoch', testId: 'runs-chart-gap' },
];

function formatY(metric: OverlayMetric, v: number): string {
  return metric === 'loss' ? v.toFixed(2) : `${(v * 100).toFixed(metric === 'gap' ? 1 : 0)}%`;
}

const OverlayChart = memo(function OverlayChart(props: { runs: RunRecord[]; labels: Map<string, string>; metric: OverlayMetric }) {
  const { metric } = props;
  const series = overlaySeries(props.runs, metric, (r) => props.labels.get(r.id) ?? r.id);
  const [x0, x1] = seriesExtent(series, 'x');
  const [y0, y1] = seriesExtent(series, 'y');
  const yTicks = metric === 'loss' ? niceTicks(0, y1, 5) : niceTicks(Math.min(0, y0), Math.max(metric === 'gap' ? 0 : 1, y1), 5);
  const xTicks = metric === 'loss' ? niceTicks(0, x1, 6).filter((t) => t <= Math.max(x1, 1)) : epochTicks(Math.round(x1));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
        <XAxis dataKey="x" type="number" domain={[Math.min(x0, xTicks[0]), Math.max(x1, 1)]} ticks={xTicks} stroke="var(--muted)" fontSize={11} allowDuplicatedCategory={false} />
        <YAxis type="number" domain={[yTicks[0], yTicks[yTicks.length - 1]]} ticks={yTicks} tickFormatter={(v: number) => formatY(metric, v)} stroke="var(--muted)" fontSize={11} width={yAxisWidth(yTicks.map((v) => formatY(metric, v)), 48)} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? formatY(metric, v) : String(v))} labelFormatter={(l) => `epoch ${Number(l).toFixed(2)}`} />
        {metric === 'gap' && <ReferenceLine y={0} stroke="var(--muted)" />}
        {series.map((s) => (
          <Line key={s.id} data={s.points} dataKey="y" name={s.label} stroke={s.color} dot={metric !== 'loss' && s.points.length < 30} strokeWidth={1.8} isAnimationActive={false} />
        ))}
        {/* Run names in ink: some line colours are too light for text (the swatch keeps the colour). */}
        <Legend wrapperStyle={{ fontSize: 11 }} formatter={(value) => <span style={{ color: 'var(--ink)' }}>{value}</span>} />
      </LineChart>
    </ResponsiveContainer>
  );
});

/** The selected runs' curves overlaid: one line per run on each chart. */
export function RunsCharts({ runs, labels }: { runs: RunRecord[]; labels: Map<string, string> }) {
  if (runs.length === 0) {
    return <p className="muted" data-testid="runs-charts-empty">Tick runs in the table to overlay their curves.</p>;
  }
  return (
    <div className="runs-charts">
      {METRICS.map((m) => (
        <figure key={m.metric} className="chart" data-testid={m.testId}>
          <figcaption><strong>{m.title}</strong> <span className="muted">{m.note}</span></figcaption>
          <div role="img" aria-label={`${m.title} of ${runs.length} run${runs.length === 1 ? '' : 's'} overlaid: ${runs.map((r) => labels.get(r.id) ?? r.id).join('; ')}`}>
            <OverlayChart runs={runs} labels={labels} metric={m.metric} />
          </div>
        </figure>
      ))}
    </div>
  );
}
