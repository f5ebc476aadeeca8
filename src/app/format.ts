/** Display formatting shared by the panels. */

export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : '–';
}

/** 35_000 → "0:35", 3_725_000 → "1:02:05". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(2)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** "784-256-128-64-10" */
export function formatLayers(hidden: readonly number[], inputs = 784, classes = 10): string {
  return [inputs, ...hidden, classes].join('-');
}

/** "epoch 2/10 · step 120/422 · 0:35 left" */
export function formatProgress(p: {
  epoch: number; epochs: number; step: number; stepsPerEpoch: number; etaMs: number;
}): string {
  return `epoch ${p.epoch}/${p.epochs} · step ${p.step}/${p.stepsPerEpoch} · ${formatDuration(p.etaMs)} left`;
}

/** The text of anything thrown, for the status line. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
