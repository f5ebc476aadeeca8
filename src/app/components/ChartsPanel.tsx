import { memo, useDeferredValue } from 'react';
import {
  CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis,
} from 'recharts';
import type { EpochPoint, StepPoint } from '../../train/types';
import { epochTicks, extent, niceTicks, yAxisWidth } from '../chart-ticks';
import { useAppState } from '../context';
import { formatPercent } from '../format';
import { Panel } from './Panel';

/**
 * Recharts' default tick is a <Text> that measures every new label in the DOM (a forced layout);
 * the loss axis gets new labels on every update, which made 50–100 ms main-thread tasks. A plain
 * SVG text needs no measuring.
 */
interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value: number };
  textAnchor?: string;
  tickFormatter?: (value: number, index: number) => string;
  index?: number;
}

function plainTick(axis: 'x' | 'y', format: (v: number) => string = String) {
  return function PlainTick(props: TickProps) {
    const value = props.payload?.value ?? 0;
    const x = Number(props.x ?? 0);
    const y = Number(props.y ?? 0);
    return axis === 'x'
      ? <text x={x} y={y + 12} textAnchor="middle" fill="var(--muted)" fontSize={11}>{format(value)}</text>
      : <text x={x - 4} y={y + 4} textAnchor="end" fill="var(--muted)" fontSize={11}>{format(value)}</text>;
  };
}

const xTick = plainTick('x');
const lossLabel = (v: number) => v.toFixed(1);
const lossTick = plainTick('y', lossLabel);
const percentTickY = plainTick('y', (v) => `${Math.round(v * 100)}%`);
const gapLabel = (v: number) => `${(v * 100).toFixed(1)}%`;
const gapTickY = plainTick('y', gapLabel);

const NO_STEPS: StepPoint[] = [];
const NO_EPOCHS: EpochPoint[] = [];
const percentValue = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(2)}%` : String(v));

const LossChart = memo(function LossChart({ points }: { points: StepPoint[] }) {
  const [first, last] = extent(points, (p) => p.step);
  const stepTicks = niceTicks(first, last, 6).filter((t) => t >= first && t <= last);
  const lossTicks = niceTicks(0, extent(points, (p) => p.loss)[1], 5);
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
        <XAxis interval={0} tick={xTick} dataKey="step" type="number" domain={[first, last]} ticks={stepTicks} stroke="var(--muted)" fontSize={11} />
        <YAxis interval={0} stroke="var(--muted)" fontSize={11} width={yAxisWidth(lossTicks.map(lossLabel))} domain={[0, lossTicks[lossTicks.length - 1]]} ticks={lossTicks} tick={lossTick} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(l) => `step ${l}`} />
        <Line type="linear" dataKey="loss" name="loss" stroke="var(--accent)" dot={false} strokeWidth={1.5} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
});

/** Two-headed models also chart each digit's dev accuracy (flattened: recharts reads flat keys). */
interface AccuracyRow extends EpochPoint {
  devTens?: number;
  devOnes?: number;
}

function accuracyRows(points: EpochPoint[]): { rows: AccuracyRow[]; digits: boolean } {
  const digits = points.some((p) => p.devDigitAccuracy);
  if (!digits) return { rows: points, digits };
  return { rows: points.map((p) => ({ ...p, devTens: p.devDigitAccuracy?.tens, devOnes: p.devDigitAccuracy?.ones })), digits };
}

const AccuracyChart = memo(function AccuracyChart({ points }: { points: EpochPoint[] }) {
  const { rows, digits } = accuracyRows(points);
  const [lo] = extent(points, (p) => Math.min(p.trainAccuracy, Number.isNaN(p.devAccuracy) ? 1 : p.devAccuracy));
  const accTicks = niceTicks(Math.max(0, lo), 1, 5);
  const epochs = epochTicks(points.length);
  return (
    <ResponsiveContainer width="100%" height={200}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
        <XAxis interval={0} tick={xTick} dataKey="epoch" type="number" domain={[1, Math.max(1, points.length)]} ticks={epochs} stroke="var(--muted)" fontSize={11} />
        <YAxis interval={0} domain={[accTicks[0], 1]} ticks={accTicks} tick={percentTickY} stroke="var(--muted)" fontSize={11} width={44} />
        <Tooltip formatter={percentValue} labelFormatter={(l) => `epoch ${l}`} />
        <Line dataKey="trainAccuracy" name="train" stroke="var(--accent)" strokeWidth={2} isAnimationActive={false} />
        <Line dataKey="devAccuracy" name="dev" stroke="var(--accent-2)" strokeWidth={2} isAnimationActive={false} />
        {digits && <Line className="line-dev-tens" dataKey="devTens" name="dev tens digit" stroke="var(--muted)" strokeDasharray="4 3" strokeWidth={1.5} isAnimationActive={false} />}
        {digits && <Line className="line-dev-ones" dataKey="devOnes" name="dev ones digit" stroke="var(--warn)" strokeDasharray="2 2" strokeWidth={1.5} isAnimationActive={false} />}
      </LineChart>
    </ResponsiveContainer>
  );
});

const GapChart = memo(function GapChart({ points }: { points: EpochPoint[] }) {
  const [lo, hi] = extent(points, (p) => (Number.isNaN(p.gap) ? 0 : p.gap));
  const gapTicks = niceTicks(Math.min(0, lo), Math.max(0, hi), 5);
  const epochs = epochTicks(points.length);
  return (
    <ResponsiveContainer width="100%" height={200}>
      <LineChart data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
        <XAxis interval={0} tick={xTick} dataKey="epoch" type="number" domain={[1, Math.max(1, points.length)]} ticks={epochs} stroke="var(--muted)" fontSize={11} />
        <YAxis interval={0} domain={[gapTicks[0], gapTicks[gapTicks.length - 1]]} ticks={gapTicks} tick={gapTickY} stroke="var(--muted)" fontSize={11} width={yAxisWidth(gapTicks.map(gapLabel), 48)} />
        <Tooltip formatter={percentValue} labelFormatter={(l) => `epoch ${l}`} />
        <ReferenceLine y={0} stroke="var(--muted)" />
        <Line dataKey="gap" name="train − dev" stroke="var(--warn)" strokeWidth={2} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
});

/** What a screen reader hears for a chart (its SVG is not readable): the latest figures. */
function lossSummary(points: StepPoint[]): string {
  const last = points.at(-1);
  return last ? `Loss chart, ${points.length} steps; latest loss ${last.loss.toFixed(3)} at step ${last.step}` : 'Loss chart, empty until training starts';
}

function epochSummary(title: string, points: EpochPoint[], latest: (p: EpochPoint) => string): string {
  const last = points.at(-1);
  return last ? `${title} chart, ${points.length} epochs; epoch ${last.epoch}: ${latest(last)}` : `${title} chart, empty until training starts`;
}

function Chart(props: { testId: string; title: string; note: React.ReactNode; empty: boolean; summary: string; children: React.ReactNode }) {
  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption>
        <strong>{props.title}</strong> <span className="muted">{props.note}</span>
      </figcaption>
      {/* Charts stay mounted: mounting one costs ~100 ms of main thread, so it happens at page
          load rather than in the middle of a training run. */}
      <div className="chart-body" role="img" aria-label={props.summary}>
        {props.children}
        {props.empty && <div className="chart-empty">Appears when training starts</div>}
      </div>
    </figure>
  );
}

export function ChartsPanel({ empty = false }: { empty?: boolean }) {
  // Deferred: chart renders run as interruptible background work, so a burst of progress events
  // never blocks the main thread (pointer input on the canvas stays smooth).
  const lossPoints = useDeferredValue(useAppState((s) => (empty ? NO_STEPS : s.lossPoints)));
  const epochPoints = useDeferredValue(useAppState((s) => (empty ? NO_EPOCHS : s.epochPoints)));
  const digitsNote = epochPoints.some((p) => p.devDigitAccuracy)
    ? <>; dashed: dev accuracy of the <span className="key key-tens">tens</span> and <span className="key key-ones">ones</span> digit</>
    : null;
  return (
    <Panel title="3 · Learning curves" className="charts">
      <Chart testId="chart-loss" title="Loss" note="per step — lower is better" empty={lossPoints.length === 0} summary={lossSummary(lossPoints)}>
        <LossChart points={lossPoints} />
      </Chart>
      <div className="chart-pair">
        <Chart
          testId="chart-accuracy"
          title="Accuracy"
          note={<><span className="key key-train">train</span> vs <span className="key key-dev">dev</span>, per epoch{digitsNote}</>}
          empty={epochPoints.length === 0}
          summary={epochSummary('Accuracy', epochPoints, (p) => `train ${formatPercent(p.trainAccuracy)}, dev ${formatPercent(p.devAccuracy)}`)}
        >
          <AccuracyChart points={epochPoints} />
        </Chart>
        <Chart
          testId="chart-gap"
          title="Generalization gap"
          note="train − dev"
          empty={epochPoints.length === 0}
          summary={epochSummary('Generalization gap', epochPoints, (p) => `train − dev ${formatPercent(p.gap)}`)}
        >
          <GapChart points={epochPoints} />
        </Chart>
      </div>
    </Panel>
  );
}
