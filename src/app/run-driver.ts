/**
 * One training run from the page's side, whatever the network: progress into the charts, the run
 * record kept as it goes ('interrupted' until it ends, so a reload or a crash leaves it so), the
 * test evaluation and the status line at the end. A run abandoned with its worker (Stop that did
 * not stop) is forgotten: its late answers are ignored.
 */
import * as Comlink from 'comlink';
import type { EpochPoint, StepPoint, TrainProgress } from '../train/types';
import type { TrainCallbacks, TrainOutcome } from '../../workers/api';
import { messageOf } from './format';
import type { RunPlan } from './network-controller';
import { formatPercent } from './format';
import { StopWatchdog } from './resume-controller';
import type { FinishedRun, RunLog } from './run-log';
import { setStatus, type AppStore } from './page-state';
import type { TrainingFeed } from './training-feed';

/** What a run needs from its page's controller. */
export interface RunHooks {
  network(): FinishedRun['network'];
  runLog(): RunLog | null;
  /** The trained network's weights (for "keep weights" in Runs). */
  exportWeights(): Promise<Uint8Array>;
  /** The test-set evaluation after a run; `prefix` keeps how the run ended in the status line. */
  evaluate(prefix: string): Promise<void>;
}

export class RunDriver {
  /** Armed by Stop: a worker that does not stop in time is replaced. */
  readonly watchdog = new StopWatchdog();
  /** Bumped when a run is abandoned (its worker replaced): that run's late answers are ignored. */
  private runEpoch = 0;

  constructor(
    private readonly store: AppStore,
    private readonly feed: TrainingFeed,
    private readonly hooks: RunHooks,
  ) {}

  abandon(): void {
    this.runEpoch++;
  }

  /** Runs `start` to its end: curves, run record as it goes, test evaluation, status. */
  async runToEnd(
    plan: RunPlan, runId: string, startedAt: number, start: (callbacks: TrainCallbacks & Comlink.ProxyMarked) => Promise<TrainOutcome>,
  ): Promise<void> {
    setStatus(this.store, plan.label, 'busy');
    const epoch = ++this.runEpoch;
    let ended = false;
    // Recorded as it goes: a reload or a crash leaves the run in Runs, marked interrupted.
    const logSoFar = () => (ended ? undefined : this.logRun(plan, 'interrupted', runId, startedAt, Date.now()));
    const callbacks = Comlink.proxy({
      onSteps: (points: StepPoint[], progress: TrainProgress) => this.feed.queueSteps(points, progress),
      onEpoch: (point: EpochPoint) => {
        this.feed.addEpoch(point);
        void this.feed.settle(point.epoch).then(logSoFar);
      },
      onSaveError: (message: string) => setStatus(this.store, message, 'error'),
    });
    const running = start(callbacks);
    void logSoFar();
    try {
      const outcome = await running;
      ended = true;
      if (epoch !== this.runEpoch) return;
      this.watchdog.cancel();
      this.feed.flushAll();
      this.store.setState({ phase: 'idle', model: outcome.model });
      const endedAt = Date.now();
      const saveNote = outcome.saveError ? ` ${outcome.saveError}.` : '';
      if (outcome.reason === 'diverged') {
        setStatus(this.store, `The loss became NaN/∞ (learning rate too high?). Kept the last good weights.${saveNote}`, 'error');
        await this.logRun(plan, outcome.reason, runId, startedAt, endedAt, outcome);
        return;
      }
      const dev = outcome.model.metrics.dev_accuracy;
      const devText = typeof dev === 'number' ? ` Dev accuracy ${formatPercent(dev)}.` : '';
      const verb = outcome.reason === 'stopped' ? 'Stopped.' : 'Training finished.';
      setStatus(this.store, `${verb}${devText}${saveNote} Evaluating on the test set…`, 'busy');
      await this.hooks.evaluate(`${verb}${devText}${saveNote} `);
      await this.logRun(plan, outcome.reason, runId, startedAt, endedAt, outcome);
    } catch (err) {
      ended = true;
      if (epoch !== this.runEpoch) return;
      this.watchdog.cancel();
      this.feed.flushAll();
      this.store.setState({ phase: 'idle' });
      setStatus(this.store, `Training failed: ${messageOf(err)}`, 'error');
    }
  }

  /** Hands the run (as it goes, or ended) to the run log; keeping history must never fail the run itself. */
  private async logRun(
    plan: RunPlan, reason: FinishedRun['reason'], id: string, startedAt: number, endedAt: number, outcome?: TrainOutcome,
  ): Promise<void> {
    const runLog = this.hooks.runLog();
    if (!runLog) return;
    const exportWeights = this.hooks.exportWeights;
    try {
      if (outcome) await this.feed.settle(outcome.model.metrics.epochs);
      await runLog.record({ id, network: this.hooks.network(), plan, reason, startedAt, endedAt, state: this.store.getState(), exportWeights });
    } catch (err) {
      console.warn('scratchnet: could not record the run', err);
    }
  }
}
