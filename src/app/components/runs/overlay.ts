/**
 * Chart series for overlaying runs: one series per run, x in epochs so runs with different batch
 * sizes line up. Pure (tested); RunsCharts draws them.
 */
import type { RunRecord } from '../../../train/runs';

export interface SeriesPoint {
  x: number;
  y: number;
}

export interface RunSeries {
  id: string;
  label: string;
  color: string;
  points: SeriesPoint[];
}

export type OverlayMetric = 'loss' | 'devAccuracy' | 'gap';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f', '#7c3aed', '#b45309'];

export function seriesColor(index: number): string {
  return COLORS[index % COLORS.length];
}

function lossPoints(run: RunRecord): SeriesPoint[] {
  const per = run.stepsPerEpoch;
  // Without steps per epoch the step number itself is the best x there is.
  return run.loss.filter((p) => Number.isFinite(p.loss)).map((p) => ({ x: per ? p.step / per : p.step, y: p.loss }));
}

function epochPoints(run: RunRecord, metric: 'devAccuracy' | 'gap'): SeriesPoint[] {
  return run.epochs.filter((e) => Number.isFinite(e[metric])).map((e) => ({ x: e.epoch, y: e[metric] }));
}

export function overlaySeries(runs: readonly RunRecord[], metric: OverlayMetric, labels: (run: RunRecord) => string): RunSeries[] {
  return runs.map((run, i) => ({
    id: run.id,
    label: labels(run),
    color: seriesColor(i),
    points: metric === 'loss' ? lossPoints(run) : epochPoints(run, metric),
  }));
}

/** [min, max] over every series' x (or y); [0, 1] when there is nothing. */
export function seriesExtent(series: readonly RunSeries[], axis: 'x' | 'y'): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const p of s.points) {
    lo = Math.min(lo, p[axis]);
    hi = Math.max(hi, p[axis]);
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}
