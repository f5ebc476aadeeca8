/** The page bench's figures: one line per seed, then the mean against the target. */
import type { EpochRecord, ModelBench } from './page-train-models';

export interface SeedResult {
  seed: number;
  /** Click on Train → test report. */
  seconds: number;
  /** Opening the page → the full data loaded (not part of the target). */
  loadSeconds: number;
  testText: string;
  digitText?: string;
  longTasks: number[];
  workers: number;
  /** The run record the Runs page exports. */
  run: Record<string, unknown>;
}

export interface SeedRow {
  seed: number;
  seconds: number;
  testAccuracy: number;
  digitAccuracy?: { tens: number; ones: number };
  /** Examples trained until the end of the first epoch whose dev figures met the target; null if none did. */
  examplesToTargetOnDev: number | null;
  examplesPerSec: number;
  workers: number;
  epochSeconds: number[];
  /** Dev accuracy after each epoch (the run restores its best epoch's weights for the test). */
  epochDevAccuracy: number[];
  longTasks: number;
  longestTaskMs: number;
}

const percentOf = (text: string) => Number(/([\d.]+)\s*%/.exec(text)?.[1] ?? NaN) / 100;

function digitsOf(text: string | undefined): { tens: number; ones: number } | undefined {
  if (!text) return undefined;
  const m = /tens digit\s*([\d.]+)%[\s\S]*ones digit\s*([\d.]+)%/.exec(text);
  return m ? { tens: Number(m[1]) / 100, ones: Number(m[2]) / 100 } : undefined;
}

function row(bench: ModelBench, r: SeedResult): SeedRow {
  const epochs = (r.run.epochs ?? []) as EpochRecord[];
  const config = r.run.config as { batchSize: number };
  const examplesPerEpoch = Number(r.run.stepsPerEpoch) * config.batchSize;
  const first = epochs.find((e) => bench.metOnDev(e));
  const trainedMs = Number(r.run.durationMs);
  return {
    seed: r.seed,
    seconds: r.seconds,
    testAccuracy: percentOf(r.testText),
    digitAccuracy: digitsOf(r.digitText),
    examplesToTargetOnDev: first ? first.epoch * examplesPerEpoch : null,
    examplesPerSec: (epochs.length * examplesPerEpoch * 1000) / trainedMs,
    workers: r.workers,
    epochSeconds: epochs.map((e, i) => (e.elapsedMs - (i ? epochs[i - 1].elapsedMs : 0)) / 1000),
    epochDevAccuracy: epochs.map((e) => e.devAccuracy),
    longTasks: r.longTasks.length,
    longestTaskMs: r.longTasks.length ? Math.max(...r.longTasks) : 0,
  };
}

/** The figure the target is about: test accuracy, or the weaker digit's for a two-headed run. */
function judged(bench: ModelBench, r: SeedRow): number {
  return bench.label.startsWith('two-headed') && r.digitAccuracy ? Math.min(r.digitAccuracy.tens, r.digitAccuracy.ones) : r.testAccuracy;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function bestDevText(dev: number[]): string {
  if (dev.length === 0) return 'none';
  const best = dev.reduce((b, v, i) => (v > dev[b] ? i : b), 0);
  return `${pct(dev[best])} after epoch ${best + 1} of ${dev.length}`;
}

function seedLine(r: SeedRow): string {
  const digits = r.digitAccuracy ? ` (tens ${pct(r.digitAccuracy.tens)}, ones ${pct(r.digitAccuracy.ones)})` : '';
  const toTarget = r.examplesToTargetOnDev === null ? 'target not met on dev' : `target first met on dev after ${r.examplesToTargetOnDev.toLocaleString('en-US')} examples`;
  return `seed ${r.seed}: ${pct(r.testAccuracy)} test${digits}, ${r.seconds.toFixed(1)} s from Train to the test report; ` +
    `${toTarget}; ${Math.round(r.examplesPerSec).toLocaleString('en-US')} examples/s on ${r.workers} worker${r.workers === 1 ? '' : 's'}; ` +
    `epochs ${r.epochSeconds.map((s) => s.toFixed(1)).join(' ')} s; best dev ${bestDevText(r.epochDevAccuracy)}; long tasks ${r.longTasks}` +
    (r.longTasks ? ` (longest ${r.longestTaskMs} ms)` : '');
}

/** `settings`: what the page trained with ("page defaults", or the recipe the bench pressed). */
export function summarize(
  bench: ModelBench, results: SeedResult[], settings = 'page defaults',
): { perSeed: string[]; text: string; rows: SeedRow[] } {
  const rows = results.map((r) => row(bench, r));
  const perSeed = rows.map((r) => seedLine(r));
  const figures = rows.map((r) => judged(bench, r));
  const mean = figures.reduce((a, b) => a + b, 0) / figures.length;
  const meanSeconds = rows.reduce((a, r) => a + r.seconds, 0) / rows.length;
  const worst = Math.min(...figures);
  const met = mean >= bench.target.accuracy && worst >= bench.target.accuracy - 0.002 && rows.every((r) => r.seconds <= bench.target.seconds);
  const text = [
    `${bench.label}, ${settings}, ${rows.length} seed${rows.length === 1 ? '' : 's'} — target ${bench.target.text}`,
    ...perSeed,
    `mean ${pct(mean)} (lowest ${pct(worst)}), mean ${meanSeconds.toFixed(1)} s: target ${met ? 'met' : 'NOT met'}`,
  ].join('\n');
  return { perSeed, text, rows };
}
