import type { EpochPoint, TrainProgress } from '../../train/types';
import { percent } from './shared';

/** Without a terminal (a log file, CI) a progress line every this many ms, instead of an updating one. */
const LOG_PROGRESS_EVERY_MS = 30_000;
let lastLogged = 0;

export function printProgress(p: TrainProgress): void {
  const line = `epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.stepsPerEpoch} · ` +
    `${Math.round(p.examplesPerSec)} ex/s · ${Math.ceil(p.etaMs / 1000)} s left`;
  if (process.stdout.isTTY) {
    process.stdout.write(`\r${line}   `);
    return;
  }
  const now = performance.now();
  if (now - lastLogged < LOG_PROGRESS_EVERY_MS) return;
  lastLogged = now;
  console.log(line);
}

export function printEpoch(e: EpochPoint): void {
  if (process.stdout.isTTY) process.stdout.write('\r');
  const digits = e.devDigitAccuracy ? ` (tens ${percent(e.devDigitAccuracy.tens)}, ones ${percent(e.devDigitAccuracy.ones)})` : '';
  console.log(`epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)} acc ${percent(e.trainAccuracy)} · ` +
    `dev loss ${e.devLoss.toFixed(4)} acc ${percent(e.devAccuracy)}${digits} · ${(e.elapsedMs / 1000).toFixed(1)} s`);
}
