import type { ReactNode } from 'react';
import type { OptimizerKind } from '../../train/types';
import { useAppState, useMlpController } from '../context';
import { formatCount, formatLayers } from '../format';
import {
  ACTIVATIONS, DEFAULT_LR, OPTIMIZERS, SCHEDULES, mlpParameterCount, parseHidden, parseHyperForm, type HyperForm, type ParseResult,
  type ScheduleKind,
} from '../mlp-hyperparams';
import {
  MEMORY_PROBLEM, WORKER_MEMORY_BUDGET_BYTES, estimateTrainingMemory, formatBytes, type AnyTrainConfig,
} from '../../train/memory-estimate';
import { LINES_CLASSES, LINES_ID, LINES_SIDE } from '../../data/lines';
import { Panel } from './Panel';

const OPTIMIZER_LABELS: Record<OptimizerKind, string> = {
  sgd: 'SGD', momentum: 'SGD + momentum', adam: 'Adam', adamw: 'AdamW',
};

function ParamCount({ hidden }: { hidden: string }) {
  // The lines toy is 16×16 with 2 classes; every other dataset here is MNIST.
  const lines = useAppState((s) => s.datasetId === LINES_ID);
  const [inputs, classes] = lines ? [LINES_SIDE * LINES_SIDE, LINES_CLASSES.length] : [784, 10];
  const parsed = parseHidden(hidden);
  if (!parsed.ok) return <p className="param-count error-text" data-testid="param-count">{parsed.error}</p>;
  return (
    <p className="param-count" data-testid="param-count">
      <strong>{formatCount(mlpParameterCount(parsed.value, inputs, classes))}</strong> trainable parameters ·{' '}
      {formatLayers(parsed.value, inputs, classes)}
    </p>
  );
}

/** The run's estimated memory per worker, in small text; the refusal instead when it cannot fit. */
export function MemoryNote({ run }: { run: ParseResult<AnyTrainConfig | { config: AnyTrainConfig }> }) {
  if (!run.ok) {
    if (!run.error.startsWith(MEMORY_PROBLEM)) return null;
    return <p className="param-count error-text" data-testid="memory-estimate">{run.error}</p>;
  }
  const estimate = estimateTrainingMemory('config' in run.value ? run.value.config : run.value);
  return (
    <p className="param-count" data-testid="memory-estimate" title="Weights, gradients, optimizer state and the batch's saved activations">
      Training needs about {formatBytes(estimate.perWorkerBytes)} per worker (a worker can use {formatBytes(WORKER_MEMORY_BUDGET_BYTES)})
    </p>
  );
}

export function Field(props: { label: string; hint?: string; children: ReactNode }) {
  return (
    <label className="field" title={props.hint}>
      <span>{props.label}</span>
      {props.children}
    </label>
  );
}

/** A text box of a hyperparameter form: the form keeps strings, so half-typed values survive. */
export function FormText(props: {
  value: string;
  testId: string;
  disabled: boolean;
  onChange: (value: string) => void;
  placeholder?: string;
}) {
  return (
    <input
      data-testid={props.testId}
      value={props.value}
      inputMode="decimal"
      placeholder={props.placeholder}
      disabled={props.disabled}
      spellCheck={false}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

/** A labelled checkbox of a hyperparameter form. */
export function CheckField(props: {
  label: string;
  hint: string;
  testId: string;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="check-field" title={props.hint}>
      <input
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span>{props.label}</span>
    </label>
  );
}

export function HyperPanel() {
  const controller = useMlpController();
  const form = useAppState((s) => s.form);
  const locked = useAppState((s) => s.phase !== 'idle');
  const text = (key: keyof HyperForm, testId: string, inputMode: 'decimal' | 'numeric' | 'text' = 'decimal') => (
    <input
      data-testid={testId}
      value={form[key] ?? ''}
      inputMode={inputMode}
      disabled={locked}
      spellCheck={false}
      onChange={(e) => controller.updateForm({ [key]: e.target.value })}
    />
  );
  const changeOptimizer = (kind: OptimizerKind) => {
    // Keep a hand-tuned rate; swap only the previous optimizer's default for the new one's.
    const lr = form.lr === DEFAULT_LR[form.optimizer] ? DEFAULT_LR[kind] : form.lr;
    controller.updateForm({ optimizer: kind, lr });
  };

  return (
    <Panel title="2 · Network & training">
      <Field label="Hidden layer sizes" hint="Comma-separated units per hidden layer; empty = a linear classifier">
        {text('hidden', 'hidden-input', 'text')}
      </Field>
      <ParamCount hidden={form.hidden} />
      <MemoryNote run={parseHyperForm(form)} />
      <div className="field-row">
        <Field label="Activation">
          <select
            data-testid="activation-select"
            value={form.activation}
            disabled={locked}
            onChange={(e) => controller.updateForm({ activation: e.target.value as HyperForm['activation'] })}
          >
            {ACTIVATIONS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </Field>
        <Field label="Optimizer">
          <select
            data-testid="optimizer-select"
            value={form.optimizer}
            disabled={locked}
            onChange={(e) => changeOptimizer(e.target.value as OptimizerKind)}
          >
            {OPTIMIZERS.map((o) => <option key={o} value={o}>{OPTIMIZER_LABELS[o]}</option>)}
          </select>
        </Field>
      </div>
      <div className="field-row">
        <Field label="Learning rate">{text('lr', 'lr-input')}</Field>
        <Field label="LR schedule" hint="Cosine decays the rate to 1% by the last epoch">
          <select
            data-testid="schedule-select"
            value={form.schedule}
            disabled={locked}
            onChange={(e) => controller.updateForm({ schedule: e.target.value as ScheduleKind })}
          >
            {SCHEDULES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </Field>
        <Field label="Momentum" hint="Used by SGD + momentum">
          <input
            data-testid="momentum-input"
            value={form.momentum}
            inputMode="decimal"
            disabled={locked || form.optimizer !== 'momentum'}
            onChange={(e) => controller.updateForm({ momentum: e.target.value })}
          />
        </Field>
      </div>
      <div className="field-row">
        <Field label="Batch size">{text('batchSize', 'batch-input', 'numeric')}</Field>
        <Field label="L2 λ" hint="Weight decay added to the gradient (weights only)">{text('l2', 'l2-input')}</Field>
        <Field label="Dropout" hint="Fraction of hidden units dropped per training step (0 = none)">{text('dropout', 'dropout-input')}</Field>
        <Field label="Label smoothing" hint="Share of the target spread over the other classes (0 = none)">{text('labelSmoothing', 'label-smoothing-input')}</Field>
      </div>
      <div className="field-row">
        <Field label="Epochs">{text('epochs', 'epochs-input', 'numeric')}</Field>
        <Field label="Seed" hint="Same seed, same run">{text('seed', 'seed-input', 'numeric')}</Field>
        <Field label="Train %" hint="The rest of the train split is the dev set">{text('trainPercent', 'split-input')}</Field>
      </div>
    </Panel>
  );
}
