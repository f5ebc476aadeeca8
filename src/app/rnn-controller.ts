/**
 * The RNN page's controller: loading (and resuming) Quick, Draw! classes, the preview grid, the
 * BiGRU form and reading strokes drawn on the canvas; page-only state lives in `rnn`, a store of its
 * own. The run / pause / stop / evaluate / export flow is every network's (network-controller.ts).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { QUICKDRAW_SAMPLE_ID } from '../data/quickdraw-sample';
import type { Drawing } from '../data/strokes';
import type {
  DoodlePreview, ModelSummary, RnnStepPredictions, SequenceDatasetInfo, SequencePredictOptions, StrokePrediction,
} from '../../workers/api';
import { messageOf } from './format';
import { NetworkController, type RunPlan } from './network-controller';
import { formatCount } from './format';
import type { ParseResult } from './mlp-hyperparams';
import {
  DEFAULT_QUICKDRAW_FORM, DEFAULT_RNN_FORM, parsePerClass, parseQuickDrawForm, parseRnnForm, type QuickDrawForm, type RnnForm,
} from './rnn-hyperparams';
import { setStatus, type AppStore } from './page-state';

export const PREVIEWS_PER_CLASS = 6;
const URL_SOURCE = /^Quick Draw ndjson from (.+)$/;

/** The strokes as the network reads them (after Quick Draw's simplification and truncation). */
export interface SeenSequence {
  sequence: number[];
  steps: number;
  points: number;
  deltaScale: number;
}

export interface RnnState {
  /** Stored Quick Draw datasets, interrupted loads included. */
  datasets: SequenceDatasetInfo[];
  /** The one loaded in the worker for training and evaluation. */
  selected: SequenceDatasetInfo | null;
  previews: DoodlePreview[];
  quickDraw: QuickDrawForm;
  form: RnnForm;
  seen: SeenSequence | null;
  /** Read drawings twice, as drawn and mirrored, and average the two (canvas and test evaluation). */
  mirrorAverage: boolean;
}

export type RnnStore = StoreApi<RnnState>;

export function createRnnStore(): RnnStore {
  return createStore<RnnState>()(() => ({
    datasets: [], selected: null, previews: [], quickDraw: { ...DEFAULT_QUICKDRAW_FORM }, form: { ...DEFAULT_RNN_FORM }, seen: null,
    mirrorAverage: false,
  }));
}

/** The load form that would continue (or repeat) a stored dataset's load. */
export function formOfDataset(d: SequenceDatasetInfo, current: QuickDrawForm): QuickDrawForm {
  const base = URL_SOURCE.exec(d.source)?.[1] ?? current.base;
  return { base, classes: d.classes.join(', '), perClass: d.perClassLimit === null ? current.perClass : String(d.perClassLimit) };
}

/** "600 drawings of 10 classes (480 train / 60 dev / 60 test); 3 unusable lines skipped (first: cat line 2: …)". */
export function describeSequences(d: SequenceDatasetInfo): string {
  const total = d.perClass.reduce((a, c) => a + c.count, 0);
  const { train, dev, test } = d.counts;
  const classes = `${d.classes.length} class${d.classes.length === 1 ? '' : 'es'}`;
  let text = `${formatCount(total)} drawings of ${classes} (${formatCount(train)} train / ${formatCount(dev)} dev / ${formatCount(test)} test)`;
  const skipped = d.perClass.reduce((a, c) => a + c.skipped, 0);
  const first = d.perClass.find((c) => c.firstProblem);
  if (skipped > 0) text += `; ${formatCount(skipped)} unusable lines skipped (first: ${first?.name} ${first?.firstProblem})`;
  return text;
}

/** "3 of 10 classes stored": how far an interrupted load got. */
export function describeInterrupted(d: SequenceDatasetInfo): string {
  const done = d.perClass.filter((c) => c.done).length;
  return `${d.name}: ${done} of ${d.classes.length} classes stored before the download stopped`;
}

export class RnnController extends NetworkController {
  readonly network = 'rnn' as const;
  protected readonly examples = 'drawings';
  readonly rnn: RnnStore = createRnnStore();

  /** Runs after the worker restored the saved models: offers stored drawings and the last BiGRU. */
  async bootAfter(ready: Promise<void>, mlpStore: AppStore): Promise<void> {
    setStatus(this.store, 'Starting the trainer…', 'busy');
    // Stored while the MLP page boots (storage only, no model needed): on a first visit the sample is
    // the slowest part of this page's start.
    const firstVisit = this.storeSampleOnFirstVisit();
    await ready;
    await firstVisit;
    try {
      const model = await this.api.rnn.modelSummary();
      this.store.setState({ model, kernels: mlpStore.getState().kernels });
      const datasets = await this.refreshDatasets();
      const interrupted = datasets.find((d) => !d.complete);
      const loaded = datasets.find((d) => d.complete && d.id !== QUICKDRAW_SAMPLE_ID);
      const pick = loaded ?? interrupted;
      if (pick) this.rnn.setState((s) => ({ quickDraw: formOfDataset(pick, s.quickDraw) }));
      const usable = loaded ?? datasets.find((d) => d.complete);
      if (usable) await this.selectSequences(usable.id, false);
      if (interrupted) {
        setStatus(this.store, `${describeInterrupted(interrupted)}. Press "Load" to resume.`, 'info');
      } else if (usable) {
        this.greetRnn(model);
      }
      await this.offerResume();
    } catch (err) {
      setStatus(this.store, `The trainer could not start: ${messageOf(err)}`, 'error');
    }
  }

  /**
   * Without a complete dataset stored (a first visit), stores the bundled sample so Train works offline
   * without pressing "Load"; a failure is said in the status line.
   */
  private async storeSampleOnFirstVisit(): Promise<void> {
    try {
      const datasets = await this.api.rnn.listDatasets();
      if (datasets.some((d) => d.complete)) return;
      this.store.setState({ load: { phase: 'Storing the bundled Quick Draw sample…', fraction: 0 } });
      await this.api.rnn.ensureSample(this.deps.pageBase, this.progressProxy());
      this.endLoad();
    } catch (err) {
      this.endLoad();
      setStatus(this.store, `Could not store the bundled Quick Draw sample: ${messageOf(err)}. Press "Load" to fetch drawings.`, 'error');
    }
  }

  private greetRnn(model: ModelSummary | null): void {
    const selected = this.rnn.getState().selected;
    const dataText = selected ? `Quick Draw: ${describeSequences(selected)} ready` : 'Press "Load" to fetch Quick Draw drawings';
    this.greet(dataText, selected !== null, model, 'RNN');
  }

  private async refreshDatasets(): Promise<SequenceDatasetInfo[]> {
    const datasets = await this.api.rnn.listDatasets();
    this.rnn.setState({ datasets });
    return datasets;
  }

  updateQuickDraw(patch: Partial<QuickDrawForm>): void {
    this.rnn.setState((s) => ({ quickDraw: { ...s.quickDraw, ...patch } }));
  }

  updateRnnForm(patch: Partial<RnnForm>): void {
    this.rnn.setState((s) => ({ form: { ...s.form, ...patch } }));
  }

  /** Streams `<base>/<class>.ndjson` per class; an interrupted earlier load of the same request resumes. */
  async loadRemote(): Promise<void> {
    const parsed = parseQuickDrawForm(this.rnn.getState().quickDraw);
    if (!parsed.ok) {
      setStatus(this.store, parsed.error, 'error');
      return;
    }
    const { base, classes, perClass } = parsed.value;
    await this.loadSequences(
      () => this.api.rnn.loadRemote(base, classes, perClass, this.progressProxy()),
      `Downloading ${classes.length} Quick Draw classes from ${base}…`,
    );
  }

  async loadFiles(files: File[]): Promise<void> {
    const perClass = parsePerClass(this.rnn.getState().quickDraw.perClass);
    if (!perClass.ok) {
      setStatus(this.store, perClass.error, 'error');
      return;
    }
    const bad = files.find((f) => !/\.ndjson$/i.test(f.name));
    if (files.length === 0 || bad) {
      setStatus(this.store, bad ? `${bad.name} is not a Quick Draw .ndjson file (expected <class>.ndjson)` : 'Drop one .ndjson file per class', 'error');
      return;
    }
    const n = perClass.value;
    await this.loadSequences(() => this.api.rnn.loadFiles(files, n, this.progressProxy()), `Reading ${files.length} .ndjson files…`);
  }

  private async loadSequences(load: () => Promise<SequenceDatasetInfo>, startText: string): Promise<void> {
    const state = this.store.getState();
    if (state.load || state.phase !== 'idle') return;
    this.store.setState({ load: { phase: startText, fraction: 0 } });
    setStatus(this.store, startText, 'busy');
    try {
      const info = await load();
      this.endLoad();
      await this.refreshDatasets();
      await this.selectSequences(info.id, true);
    } catch (err) {
      // Retire the progress callback first: a late progress event must not overwrite the error.
      this.endLoad();
      setStatus(this.store, messageOf(err), 'error');
      // Whatever was stored before the failure (finished classes) shows in the data panel.
      await this.refreshDatasets().catch(() => undefined);
    } finally {
      this.endLoad();
    }
  }

  /** Loads a stored dataset into the worker and shows its previews; `announce` puts it in the status. */
  async selectSequences(id: string, announce = true): Promise<void> {
    if (this.store.getState().phase !== 'idle') {
      setStatus(this.store, 'Stop training before switching datasets', 'error');
      return;
    }
    try {
      const selected = await this.api.rnn.selectDataset(id, this.progressProxy());
      this.store.setState({ datasetId: selected.id, evalResult: null });
      this.rnn.setState({ selected, previews: await this.api.rnn.previews(id, PREVIEWS_PER_CLASS) });
      if (announce) setStatus(this.store, `Quick Draw: ${describeSequences(selected)} ready`, 'success');
    } catch (err) {
      this.endLoad();
      setStatus(this.store, messageOf(err), 'error');
    } finally {
      this.endLoad();
    }
  }

  /** `isCurrent` drops an answer that arrives after the drawing changed (e.g. was cleared). */
  async predictStrokes(strokes: Drawing, isCurrent = () => true): Promise<void> {
    try {
      const r: StrokePrediction = await this.api.rnn.predictStrokes(strokes, { mirrorAverage: this.rnn.getState().mirrorAverage });
      if (!isCurrent()) return;
      this.store.setState({ prediction: { input: null, probs: r.probs ? Array.from(r.probs) : null } });
      const seen = r.sequence ? { sequence: Array.from(r.sequence), steps: r.steps, points: r.points, deltaScale: r.deltaScale } : null;
      this.rnn.setState({ seen });
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    }
  }

  /** The BiGRU's probabilities after each step of the strokes; null without a model, strokes, or on failure (said in the status line). */
  async rnnSteps(strokes: Drawing): Promise<RnnStepPredictions | null> {
    try {
      return await this.api.rnn.stepPredictions(strokes);
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
      return null;
    }
  }

  /** The canvas re-reads its drawing when this changes (RnnDrawPanel); a later evaluation uses it too. */
  setMirrorAverage(on: boolean): void {
    this.rnn.setState({ mirrorAverage: on });
  }

  override clearPrediction(): void {
    super.clearPrediction();
    this.rnn.setState({ seen: null });
  }

  protected planRun(): ParseResult<RunPlan> {
    const parsed = parseRnnForm(this.rnn.getState().form);
    if (!parsed.ok) return parsed;
    const { config, options } = parsed.value;
    const subset = options.trainLimit ? ` on ${formatCount(options.trainLimit)} drawings` : '';
    return { ok: true, value: { config, options, label: `Training a ${config.net.layers}-layer BiGRU (hidden ${config.net.hidden})${subset}…` } };
  }

  /** A fresh worker (Stop replaced a stuck one) gets the selected drawings back. */
  async reloadData(): Promise<void> {
    const selected = this.rnn.getState().selected;
    if (selected) await this.api.rnn.selectDataset(selected.id);
  }

  protected noDataMessage(): string {
    return 'No Quick Draw drawings loaded yet: press "Load" first';
  }

  /** The test evaluation reads each drawing as the canvas does (mirror-averaged when asked). */
  protected override evaluateOptions(): SequencePredictOptions {
    return { mirrorAverage: this.rnn.getState().mirrorAverage };
  }
}
