import type { EpochPoint, StepPoint, TrainProgress } from '../train/types';
import { formatPercent } from './format';
import { appendLossPoints, setStatus, type AppStore } from './page-state';

/**
 * Store updates from training at most this often: the charts re-render on each, and the renders,
 * their compositing and rasterizing took 30–40% of a core at 5 per second (per-thread CPU of a
 * CNN run on a 2-core machine), CPU the two training workers then lacked. Once a second still
 * reads as live.
 */
const FLUSH_EVERY_MS = 1000;

/**
 * Carries a run's progress events from the worker into the store: loss points batched per
 * FLUSH_EVERY_MS, epoch points in a task of their own, so chart renders stay short.
 */
export class TrainingFeed {
  private pendingPoints: StepPoint[] = [];
  private pendingProgress: TrainProgress | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingEpochs: EpochPoint[] = [];
  private epochTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly store: AppStore) {}

  queueSteps(points: StepPoint[], progress: TrainProgress): void {
    this.pendingPoints.push(...points);
    this.pendingProgress = progress;
    // Paused (or ending): the last steps sent before the pause show at once, not a second later.
    if (this.store.getState().phase !== 'running') this.flushSteps();
    else this.flushTimer ??= setTimeout(() => this.flushSteps(), FLUSH_EVERY_MS);
  }

  addEpoch(point: EpochPoint): void {
    this.flushSteps();
    // A task of its own: re-rendering the loss chart and both epoch charts in one commit can pass
    // 50 ms of main thread on a slow machine; split, each stays well under.
    this.pendingEpochs.push(point);
    this.epochTimer ??= setTimeout(() => this.flushEpochs(), 0);
  }

  /** Everything queued, into the store now (the run ended). */
  flushAll(): void {
    this.flushSteps();
    this.flushEpochs();
  }

  /**
   * Epoch callbacks travel on their own channel and can land after the run's result: wait (briefly)
   * until the store holds the `epochs` the worker reported, so the kept curves are complete.
   */
  async settle(epochs: unknown, timeoutMs = 3000): Promise<void> {
    const complete = () => {
      this.flushAll();
      return typeof epochs !== 'number' || this.store.getState().epochPoints.length >= epochs;
    };
    const deadline = Date.now() + timeoutMs;
    while (!complete() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private flushSteps(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pendingPoints.length === 0 && !this.pendingProgress) return;
    const points = this.pendingPoints;
    const progress = this.pendingProgress;
    this.pendingPoints = [];
    this.pendingProgress = null;
    this.store.setState((s) => ({
      lossPoints: appendLossPoints(s.lossPoints, points),
      progress: progress ?? s.progress,
    }));
  }

  private flushEpochs(): void {
    if (this.epochTimer !== null) clearTimeout(this.epochTimer);
    this.epochTimer = null;
    const added = this.pendingEpochs;
    if (added.length === 0) return;
    this.pendingEpochs = [];
    this.store.setState((s) => ({ epochPoints: [...s.epochPoints, ...added] }));
    const last = added[added.length - 1];
    if (this.store.getState().phase === 'running') {
      setStatus(this.store, `Epoch ${last.epoch}: train ${formatPercent(last.trainAccuracy)}, dev ${formatPercent(last.devAccuracy)}`, 'busy');
    }
  }
}
