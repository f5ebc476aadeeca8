import type { EpochPoint, TrainProgress } from '../../train/types';
import { percent } from './shared';

export function printProgress(p: TrainProgress): void {
  if (!process.stdout.isTTY) return;
  process.stdout.write(`\repoch ${p.epoch}/${p.epochs} step ${p.step}/${p.stepsPerEpoch} · ` +
    `${Math.round(p.examplesPerSec)} ex/s · ${Math.ceil(p.etaMs / 1000)} s left   `);
}

export function printEpoch(e: EpochPoint): void {
  if (process.stdout.isTTY) process.stdout.write('\r');
  const digits = e.devDigitAccuracy ? ` (tens ${percent(e.devDigitAccuracy.tens)}, ones ${percent(e.devDigitAccuracy.ones)})` : '';
  console.log(`epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)} acc ${percent(e.trainAccuracy)} · ` +
    `dev loss ${e.devLoss.toFixed(4)} acc ${percent(e.devAccuracy)}${digits} · ${(e.elapsedMs / 1000).toFixed(1)} s`);
}
