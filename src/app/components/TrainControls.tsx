import { useStore } from 'zustand';
import { useAppState, useController } from '../context';
import { formatProgress } from '../format';
import type { AppState } from '../page-state';

/** 0..100: steps done over all steps of the run. */
function percentDone(s: AppState): number {
  const p = s.progress;
  if (!p) return s.epochPoints.length > 0 ? 100 : 0;
  const total = p.epochs * p.stepsPerEpoch;
  return total > 0 ? Math.min(100, Math.round((((p.epoch - 1) * p.stepsPerEpoch + p.step) / total) * 1000) / 10) : 0;
}

function progressText(s: AppState): string {
  const p = s.progress;
  if (!p) return s.phase === 'running' ? 'starting…' : 'not started';
  if (s.phase === 'idle') return `done · ${p.epoch} epoch${p.epoch === 1 ? '' : 's'} · ${Math.round(p.examplesPerSec)} examples/s`;
  return `${formatProgress(p)} · ${Math.round(p.examplesPerSec)} ex/s`;
}

export function TrainControls({ disabled = false }: { disabled?: boolean }) {
  const controller = useController();
  const phase = useAppState((s) => s.phase);
  const ready = useAppState((s) => s.datasetId !== null && s.load === null);
  const percent = useAppState((s) => (disabled ? 0 : percentDone(s)));
  const text = useAppState((s) => (disabled ? 'not available yet' : progressText(s)));
  const active = phase === 'running' || phase === 'paused';
  const pending = useStore(controller.resumable, (s) => s.pending);
  const canResume = !disabled && phase === 'idle' && ready && pending !== null && pending.error === null;

  return (
    <section className="panel train-controls" aria-label="Training">
      <div className="buttons">
        <button
          type="button"
          className="primary"
          data-testid="train-button"
          disabled={disabled || phase !== 'idle' || !ready}
          onClick={() => void controller.train()}
        >
          {phase === 'idle' ? '▶ Train' : 'Training…'}
        </button>
        <button
          type="button"
          data-testid="pause-button"
          disabled={disabled || !active}
          onClick={() => controller.togglePause()}
        >
          {phase === 'paused' ? 'Resume' : 'Pause'}
        </button>
        <button type="button" data-testid="stop-button" disabled={disabled || !active} onClick={() => controller.stop()}>
          Stop
        </button>
        {phase === 'paused' && (
          <button
            type="button"
            data-testid="keep-checkpoint-button"
            title="Make these weights your saved model now (a reload restores them); the run goes on when resumed"
            onClick={() => void controller.keepPausedWeights()}
          >
            Keep these weights
          </button>
        )}
        {pending && phase === 'idle' && (
          <>
            <button
              type="button"
              data-testid="resume-button"
              disabled={!canResume}
              title={pending.error ?? `Continue the interrupted run (epoch ${pending.epoch} of ${pending.epochs} done)`}
              onClick={() => void controller.resumeRun()}
            >
              ⏵ Continue run ({pending.epoch}/{pending.epochs})
            </button>
            <button type="button" data-testid="discard-run-button" onClick={() => void controller.discardRun()}>
              Discard
            </button>
          </>
        )}
      </div>
      <div className="progress-line">
        <progress
          data-testid="epoch-progress"
          max={100}
          value={percent}
          aria-label="Training progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        />
        <span className="progress-text" data-testid="progress-text">{text}</span>
      </div>
    </section>
  );
}
