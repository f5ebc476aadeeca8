/**
 * Sweeps: one or two hyperparameters, a list of values each, the cartesian product queued and run
 * one after another through the page's normal Train path (so each lands in the Runs view).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunSweepTag } from '../train/runs';
import { MLP_SETTINGS } from '../train/settings/mlp-settings';
import { labelOf } from '../train/settings/schema';
import { ACTIVATIONS, parseHyperForm, type HyperForm, type ParseResult } from './mlp-hyperparams';
import type { AppStore } from './page-state';

export type SweepParam = 'lr' | 'batch' | 'momentum' | 'activation' | 'hidden' | 'l2' | 'dropout';

/** The form field each sweep parameter varies: its label is the settings schema's. */
const SWEPT_FIELD: Record<SweepParam, keyof typeof MLP_SETTINGS.fields> = {
  lr: 'lr', batch: 'batchSize', momentum: 'momentum', activation: 'activation', hidden: 'hidden', l2: 'l2', dropout: 'dropout',
};
const EXAMPLES: Record<SweepParam, string> = {
  lr: '0.1, 0.01, 0.001', batch: '32, 64, 128', momentum: '0, 0.5, 0.9', activation: ACTIVATIONS.join(', '),
  hidden: '10, 128, 256-128', l2: '0, 0.0001, 0.001', dropout: '0, 0.2, 0.5',
};

export const SWEEP_PARAMS: readonly { param: SweepParam; label: string; example: string }[] = (Object.keys(SWEPT_FIELD) as SweepParam[])
  .map((param) => ({ param, label: labelOf(MLP_SETTINGS.fields[SWEPT_FIELD[param]]), example: EXAMPLES[param] }));

/** More would tie the machine up for long; a sweep is for a quick comparison. */
export const MAX_SWEEP_RUNS = 12;

export interface SweepAxis {
  param: SweepParam;
  /** Comma-separated values as typed. */
  values: string;
}

/** One queued run: the form fields it changes and what varied. */
export interface SweepStep {
  patch: Partial<HyperForm>;
  label: string;
}

/** The form change for one value; hidden "256-128" means two layers (commas separate values). */
export function patchFor(param: SweepParam, value: string): Partial<HyperForm> {
  switch (param) {
    case 'lr': return { lr: value };
    case 'batch': return { batchSize: value };
    // Momentum only acts with the momentum optimizer: sweeping it means using that optimizer.
    case 'momentum': return { momentum: value, optimizer: 'momentum' };
    case 'activation': return { activation: value as HyperForm['activation'] };
    case 'hidden': return { hidden: value.replace(/[-x×]/g, ',') };
    case 'l2': return { l2: value };
    case 'dropout': return { dropout: value };
  }
}

/** The values of one axis, each checked against the form it would run with. */
export function parseSweepValues(form: HyperForm, axis: SweepAxis): ParseResult<string[]> {
  const label = SWEEP_PARAMS.find((p) => p.param === axis.param)?.label ?? axis.param;
  const values = [...new Set(axis.values.split(/[\s,;]+/).filter((v) => v !== ''))];
  if (values.length === 0) return { ok: false, error: `Sweep: give at least one value for ${label}` };
  for (const value of values) {
    const parsed = parseHyperForm({ ...form, ...patchFor(axis.param, value) });
    if (!parsed.ok) return { ok: false, error: `Sweep: ${label} "${value}" does not work: ${parsed.error}` };
  }
  return { ok: true, value: values };
}

/** The cartesian product of the axes (first axis outermost), refused above `max` runs. */
export function planSweep(form: HyperForm, axes: readonly SweepAxis[], max = MAX_SWEEP_RUNS): ParseResult<SweepStep[]> {
  if (axes.length === 0) return { ok: false, error: 'Sweep: choose a hyperparameter to vary' };
  if (axes.length === 2 && axes[0].param === axes[1].param) return { ok: false, error: 'Sweep: choose two different hyperparameters' };
  let steps: SweepStep[] = [{ patch: {}, label: '' }];
  for (const axis of axes) {
    const values = parseSweepValues(form, axis);
    if (!values.ok) return values;
    steps = steps.flatMap((s) => values.value.map((v) => ({
      patch: { ...s.patch, ...patchFor(axis.param, v) },
      label: s.label ? `${s.label} · ${axis.param}=${v}` : `${axis.param}=${v}`,
    })));
  }
  if (steps.length > max) return { ok: false, error: `Sweep: at most ${max} runs at a time; these values make ${steps.length}` };
  for (const step of steps) {
    const parsed = parseHyperForm({ ...form, ...step.patch });
    if (!parsed.ok) return { ok: false, error: `Sweep: ${step.label} does not work: ${parsed.error}` };
  }
  return { ok: true, value: steps };
}

export interface SweepState {
  phase: 'idle' | 'running' | 'stopping';
  /** 1-based number of the run in progress (or last run). */
  index: number;
  total: number;
  label: string;
  message: { text: string; kind: 'info' | 'error' | 'success' } | null;
}

export type SweepStore = StoreApi<SweepState>;

/** What the sweep drives: the page's controller (its store is passed beside it). */
export interface SweepTarget {
  updateForm(patch: Partial<HyperForm>): void;
  train(): Promise<void>;
  stop(): void;
  /** Examples of the train split each run uses (undefined = all). */
  trainLimit: number | undefined;
}

export interface SweepLog {
  sweepTag: RunSweepTag | null;
  /** How many runs are recorded so far (to see that a run really happened). */
  count(): number;
}

export class SweepRunner {
  readonly store: SweepStore = createStore<SweepState>()(() => ({ phase: 'idle', index: 0, total: 0, label: '', message: null }));
  private stopRequested = false;

  constructor(
    private readonly target: SweepTarget,
    private readonly page: AppStore,
    private readonly log: SweepLog,
  ) {}

  /** Runs the sweep to its end (or Stop); the form is put back as it was afterwards. */
  async run(axes: readonly SweepAxis[], trainLimit?: number): Promise<void> {
    if (this.store.getState().phase !== 'idle' || this.page.getState().phase !== 'idle') return;
    const form = this.page.getState().pages.mlp.form;
    const plan = planSweep(form, axes);
    if (!plan.ok) {
      this.store.setState({ message: { text: plan.error, kind: 'error' } });
      return;
    }
    const steps = plan.value;
    const id = `s-${Date.now().toString(36)}`;
    this.stopRequested = false;
    this.store.setState({ phase: 'running', index: 0, total: steps.length, label: '', message: null });
    const previousLimit = this.target.trainLimit;
    this.target.trainLimit = trainLimit;
    let done = 0;
    try {
      for (const [i, step] of steps.entries()) {
        if (this.stopRequested) break;
        this.store.setState({ index: i + 1, label: step.label });
        this.target.updateForm(step.patch);
        this.log.sweepTag = { id, index: i + 1, total: steps.length, label: step.label };
        const before = this.log.count();
        await this.target.train();
        if (this.log.count() === before) {
          if (this.stopRequested) break;
          const status = this.page.getState().status.text;
          throw new Error(`run ${i + 1} did not start: ${status}`);
        }
        done++;
      }
      const stopped = done < steps.length;
      const text = stopped ? `Sweep stopped after ${done} of ${steps.length} runs` : `Sweep done: ${steps.length} runs`;
      this.store.setState({ message: { text: `${text}. Compare them in the Runs view.`, kind: stopped ? 'info' : 'success' } });
    } catch (err) {
      this.store.setState({ message: { text: `Sweep ended: ${err instanceof Error ? err.message : String(err)}`, kind: 'error' } });
    } finally {
      this.log.sweepTag = null;
      this.target.trainLimit = previousLimit;
      this.target.updateForm(form);
      this.store.setState({ phase: 'idle' });
    }
  }

  /** Stops the run in progress and the queue behind it. */
  stop(): void {
    if (this.store.getState().phase !== 'running') return;
    this.stopRequested = true;
    this.store.setState({ phase: 'stopping' });
    this.target.stop();
  }
}

/** "1,000" / "" → number | undefined; anything else is an error message. */
export function parseTrainLimit(text: string): ParseResult<number | undefined> {
  const t = text.trim().replace(/[,_\s]/g, '');
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isInteger(n) || n < 100) return { ok: false, error: `Examples per run: "${text}" is not a whole number of at least 100 (empty = all)` };
  return { ok: true, value: n };
}
