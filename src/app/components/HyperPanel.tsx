import type { ReactNode } from 'react';
import type { OptimizerKind, Recipe } from '../../train/types';
import { useAppState, useMlpController } from '../context';
import { formatCount, formatLayers } from '../format';
import { DEFAULT_LR, mlpParameterCount, parseHidden, parseHyperForm, type HyperForm, type ParseResult } from '../mlp-hyperparams';
import { MLP_SETTINGS } from '../../train/settings/mlp-settings';
import {
  MEMORY_PROBLEM, WORKER_MEMORY_BUDGET_BYTES, estimateTrainingMemory, formatBytes, type AnyTrainConfig,
} from '../../train/memory-estimate';
import { LINES_CLASSES, LINES_ID, LINES_SIDE } from '../../data/lines';
import { formLabelOf, testIdOf, type SettingField } from '../../train/settings/schema';
import { Panel } from './Panel';

const FIELDS = MLP_SETTINGS.fields;
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

/**
 * A labelled text box for a field of a settings schema: label, hint, test id and keyboard are the
 * field's; the form keeps strings, so half-typed values survive.
 */
export function SettingText<C>(props: {
  name: string;
  field: SettingField<C>;
  value: string;
  disabled: boolean;
  onChange: (value: string) => void;
  /** A label with more than the field's (the epoch limit). */
  label?: string;
  placeholder?: string;
}) {
  const { name, field } = props;
  const inputMode = field.kind === 'text' ? 'text' : field.kind === 'number' && field.range.integer ? 'numeric' : 'decimal';
  return (
    <Field label={props.label ?? formLabelOf(field)} hint={field.hint}>
      <input
        data-testid={testIdOf(name, field)}
        value={props.value}
        inputMode={inputMode}
        placeholder={props.placeholder}
        disabled={props.disabled}
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Field>
  );
}

/** A checkbox for an on/off field of a settings schema. */
export function SettingCheck<C>(props: { name: string; field: SettingField<C>; checked: boolean; disabled: boolean; onChange: (checked: boolean) => void }) {
  const { name, field } = props;
  return (
    <CheckField
      label={formLabelOf(field)}
      hint={field.hint ?? ''}
      testId={testIdOf(name, field)}
      checked={props.checked}
      disabled={props.disabled}
      onChange={props.onChange}
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

/** Buttons that fill the form in with a named recipe's settings (its summary as the tooltip). */
export function RecipeRow<R extends string>(props: {
  recipes: Record<R, Recipe<AnyTrainConfig>>; disabled: boolean; onPick: (recipe: R) => void;
}) {
  const entries = Object.entries(props.recipes) as [R, Recipe<AnyTrainConfig>][];
  return (
    <div className="recipe-row">
      <span className="muted small">Fill in a recipe:</span>
      {entries.map(([name, recipe]) => (
        <button
          key={name}
          type="button"
          data-testid={`recipe-${name}-button`}
          disabled={props.disabled}
          title={recipe.summary}
          onClick={() => props.onPick(name)}
        >
          {recipe.label}
        </button>
      ))}
    </div>
  );
}

export function HyperPanel() {
  const controller = useMlpController();
  const form = useAppState((s) => s.pages.mlp.form);
  const locked = useAppState((s) => s.phase !== 'idle');
  const text = (key: 'hidden' | 'lr' | 'warmup' | 'momentum' | 'batchSize' | 'l2' | 'dropout' | 'labelSmoothing' | 'epochs' | 'seed' | 'trainPercent', off = false) => (
    <SettingText
      name={key}
      field={FIELDS[key]}
      value={form[key] ?? ''}
      disabled={locked || off}
      onChange={(value) => controller.updateForm({ [key]: value })}
    />
  );
  const choice = <K extends 'activation' | 'optimizer' | 'schedule'>(key: K, onChange: (value: HyperForm[K]) => void, label: (v: HyperForm[K]) => string) => (
    <Field label={formLabelOf(FIELDS[key])} hint={FIELDS[key].hint}>
      <select data-testid={testIdOf(key, FIELDS[key])} value={form[key]} disabled={locked} onChange={(e) => onChange(e.target.value as HyperForm[K])}>
        {(FIELDS[key].choices as readonly HyperForm[K][]).map((v) => <option key={v} value={v}>{label(v)}</option>)}
      </select>
    </Field>
  );
  const changeOptimizer = (kind: OptimizerKind) => {
    // Keep a hand-tuned rate; swap only the previous optimizer's default for the new one's.
    const lr = form.lr === DEFAULT_LR[form.optimizer] ? DEFAULT_LR[kind] : form.lr;
    controller.updateForm({ optimizer: kind, lr });
  };

  return (
    <Panel title="2 · Network & training">
      {text('hidden')}
      <ParamCount hidden={form.hidden} />
      <MemoryNote run={parseHyperForm(form)} />
      <div className="field-row">
        {choice('activation', (activation) => controller.updateForm({ activation }), (a) => a)}
        {choice('optimizer', changeOptimizer, (o) => OPTIMIZER_LABELS[o])}
      </div>
      <div className="field-row">
        {text('lr')}
        {choice('schedule', (schedule) => controller.updateForm({ schedule }), (v) => v)}
        {text('warmup')}
        {text('momentum', form.optimizer !== 'momentum')}
      </div>
      <div className="field-row">
        {text('batchSize')}
        {text('l2')}
        {text('dropout')}
        {text('labelSmoothing')}
      </div>
      <div className="field-row">
        {text('epochs')}
        {text('seed')}
        {text('trainPercent')}
      </div>
    </Panel>
  );
}
