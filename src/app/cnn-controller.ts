/**
 * The CNN page's controller: paired MNIST (following the MLP page's digits), the CNN form, the
 * hyperparameter search, drawn pairs and a look inside the CNN. The run / pause / stop / evaluate /
 * export flow is every network's (network-controller.ts).
 */
import * as Comlink from 'comlink';
import { LINES_ID } from '../data/lines';
import type { TrialResult } from '../train/autotune';
import type { CnnFeatures, DatasetInfo, ModelSummary } from '../../workers/api';
import { cnnRecipeForm, parseCnnForm, withCnnVariant, type CnnForm, type CnnVariant } from './cnn-hyperparams';
import type { CnnRecipe } from '../train/presets';
import { BUNDLED_ID } from './mlp-controller';
import { messageOf } from './format';
import { NetworkController, type RunPlan } from './network-controller';
import { formatCount, formatPercent } from './format';
import type { ParseResult } from './mlp-hyperparams';
import { pagePatch, setStatus, type AppStore, type CnnPageState } from './page-state';

/** Pairs per auto-tune trial (fewer when the form's subset is smaller) and random trials after the sweep. */
const TUNE_SUBSET = 3000;
const TUNE_TRIALS = 3;
/** Stored digits the pairs can be made of (the lines toy is stored beside them, but is no MNIST). */
const isDigitSource = (d: DatasetInfo) => d.complete && d.id !== LINES_ID;
const VARIANT_NAMES = { cnn: 'the one-head CNN (100 classes)', cnn2head: 'the two-head CNN (tens + ones)' } as const;

export class CnnController extends NetworkController {
  readonly network = 'cnn' as const;
  protected readonly examples = 'pairs';

  /** The MLP page's store: its digit source is the one the pairs follow. */
  private mlpStore: AppStore | null = null;
  /** The MLP's digit source the pairs last followed; when the MLP moves on (full MNIST loaded), the pairs follow once. */
  private followed: string | null = null;

  /** This page's own slice of its store (form, pairs, auto-tune). */
  private page(): CnnPageState {
    return this.store.getState().pages.cnn;
  }

  /**
   * Runs after the MLP page's boot (which stores the bundled MNIST on a first visit): picks the digit
   * source the MLP uses and loads its pairs, building them when none are stored (a first visit).
   */
  async bootAfter(ready: Promise<void>, mlpStore: AppStore): Promise<void> {
    setStatus(this.store, 'Starting the trainer…', 'busy');
    this.mlpStore = mlpStore;
    // Until then the MLP's boot (storing the bundled MNIST on a first visit) is the news here too.
    const mirror = mlpStore.subscribe((s) => this.store.setState({ status: s.status, load: s.load }));
    await ready;
    mirror();
    this.store.setState({ load: null });
    try {
      const mlp = mlpStore.getState();
      const datasets = await this.api.digits.list();
      const model = await this.api.cnn.modelSummary();
      this.store.setState({ datasets, model, kernels: mlp.kernels });
      const usable = datasets.filter(isDigitSource);
      const source = usable.find((d) => d.id === mlp.datasetId) ?? usable.find((d) => d.id === BUNDLED_ID) ?? usable[0];
      if (!source) {
        setStatus(this.store, 'No MNIST stored yet: load it on the MLP page first', 'error');
        return;
      }
      this.followed = mlp.datasetId;
      if (await this.usePairSource(source.id)) this.greetCnn(model);
      await this.offerResume();
    } catch (err) {
      setStatus(this.store, `The trainer could not start: ${messageOf(err)}`, 'error');
    }
  }

  /** Makes `sourceId` the digit source and loads its stored pairs, or builds them; false when that failed. */
  private async usePairSource(sourceId: string): Promise<boolean> {
    const stored = await this.api.cnn.loadStoredPairs(sourceId);
    if (stored) {
      this.store.setState((s) => ({ ...pagePatch(s, 'cnn', { pairSource: sourceId, pairs: stored }), datasetId: stored.id, evalResult: null }));
      return true;
    }
    // buildPairs marks the page busy before its first await: "Build pairs" is never enabled in between.
    this.store.setState((s) => ({ ...pagePatch(s, 'cnn', { pairSource: sourceId, pairs: null }), datasetId: null }));
    return this.buildPairs();
  }

  private greetCnn(model: ModelSummary | null): void {
    const { pairs } = this.page();
    const dataText = pairs ? `${formatCount(pairs.trainCount)} training pairs ready` : 'Press "Build pairs" to make paired MNIST';
    this.greet(dataText, pairs !== null, model, 'CNN');
  }

  /**
   * Re-reads the stored digit datasets on arrival (full MNIST may have been loaded on the MLP page
   * since) and, when the MLP has moved to other digits, pairs those.
   */
  async refreshSources(): Promise<void> {
    try {
      const datasets = await this.api.digits.list();
      this.store.setState({ datasets });
      const current = this.mlpStore?.getState().datasetId ?? null;
      const state = this.store.getState();
      if (!current || current === this.followed || state.phase !== 'idle' || state.load) return;
      if (!datasets.some((d) => d.id === current && isDigitSource(d))) return;
      this.followed = current;
      if (current !== state.pages.cnn.pairSource) await this.usePairSource(current);
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    }
  }

  setPairSource(sourceId: string): void {
    if (this.store.getState().phase !== 'idle') return;
    const { pairs } = this.page();
    this.store.setState((s) => pagePatch(s, 'cnn', { pairSource: sourceId }));
    if (pairs && pairs.sourceId !== sourceId) {
      this.store.setState((s) => ({ ...pagePatch(s, 'cnn', { pairs: null }), datasetId: null }));
      setStatus(this.store, 'Press "Build pairs" to pair the digits of the chosen MNIST', 'info');
    }
  }

  /** Builds (or reuses) the pairs of the chosen digits; false when nothing was built. */
  async buildPairs(): Promise<boolean> {
    const state = this.store.getState();
    if (state.load || state.phase !== 'idle') return false;
    const { pairSource } = state.pages.cnn;
    if (!pairSource) {
      setStatus(this.store, 'No MNIST stored yet: load it on the MLP page first', 'error');
      return false;
    }
    this.store.setState({ load: { phase: 'Building paired MNIST…', fraction: 0 } });
    try {
      const pairs = await this.api.cnn.preparePairs(pairSource, this.progressProxy());
      this.store.setState((s) => ({ ...pagePatch(s, 'cnn', { pairs }), datasetId: pairs.id, evalResult: null }));
      setStatus(this.store, `Paired MNIST: ${formatCount(pairs.trainCount)} train / ${formatCount(pairs.testCount)} test pairs ready`, 'success');
      return true;
    } catch (err) {
      setStatus(this.store, `Could not build the pairs: ${messageOf(err)}`, 'error');
      return false;
    } finally {
      this.endLoad();
    }
  }

  /**
   * A short search of (lr, λ): an lr sweep then random pairs, one epoch each on a few thousand pairs;
   * the best pair goes into the form and, unless the user turned it off, a full run retrains with it.
   */
  async autotune(): Promise<void> {
    const state = this.store.getState();
    if (state.phase !== 'idle' || !state.datasetId) return;
    const parsed = parseCnnForm(state.pages.cnn.form);
    if (!parsed.ok) {
      setStatus(this.store, parsed.error, 'error');
      return;
    }
    const subset = Math.min(parsed.value.options.trainLimit ?? TUNE_SUBSET, TUNE_SUBSET);
    this.store.setState((s) => ({ ...pagePatch(s, 'cnn', { trials: [] }), phase: 'tuning' }));
    let retrain = false;
    setStatus(this.store, `Auto-tune: ${TUNE_TRIALS + 3} one-epoch trials on ${formatCount(subset)} pairs…`, 'busy');
    const onTrial = Comlink.proxy((t: TrialResult) => {
      if (this.store.getState().phase === 'tuning') this.store.setState((s) => pagePatch(s, 'cnn', { trials: [...s.pages.cnn.trials, t] }));
    });
    try {
      const request = { base: parsed.value.config, subset, epochs: 1, trials: TUNE_TRIALS, lrSweep: [3e-4, 1e-3, 3e-3] };
      const result = await this.api.cnn.autotune(request, onTrial);
      this.store.setState((s) => pagePatch(s, 'cnn', { trials: result.trials }));
      if (!result.best) {
        setStatus(this.store, 'Auto-tune ended before any trial finished an epoch', 'info');
        return;
      }
      const { lr, weightDecay, devAccuracy } = result.best;
      this.updateCnnForm({ lr: lr.toPrecision(2), l2: weightDecay.toPrecision(2) });
      const verb = result.aborted ? 'Auto-tune stopped' : 'Auto-tune finished';
      const found = `${verb}: best lr ${lr.toPrecision(2)}, L2 λ ${weightDecay.toPrecision(2)} (dev ${formatPercent(devAccuracy)})`;
      retrain = !result.aborted && this.page().autotuneRetrain;
      setStatus(this.store, retrain ? `${found}; retraining with it…` : `${found}, now in the form. Press Train.`, 'success');
    } catch (err) {
      setStatus(this.store, `Auto-tune failed: ${messageOf(err)}`, 'error');
    } finally {
      this.store.setState({ phase: 'idle' });
    }
    // The seed's pipeline ends with a full run on the best pair; train() saves the model as any run does.
    if (retrain) await this.train();
  }

  setAutotuneRetrain(on: boolean): void {
    this.store.setState((s) => pagePatch(s, 'cnn', { autotuneRetrain: on }));
  }

  stopTuning(): void {
    if (this.store.getState().phase !== 'tuning') return;
    void this.api.cnn.stop();
    setStatus(this.store, 'Stopping the search after the current step…', 'busy');
  }

  /**
   * The CNN's filters and, for the input it last saw (`prediction.input`, 28×56), its feature maps;
   * null without a CNN or on failure (said in the status line).
   */
  async cnnFeatures(pixels: Uint8Array | null): Promise<CnnFeatures | null> {
    try {
      return await this.api.cnn.features(pixels);
    } catch (err) {
      setStatus(this.store, `Could not look inside the CNN: ${messageOf(err)}`, 'error');
      return null;
    }
  }

  updateCnnForm(patch: Partial<CnnForm>): void {
    this.store.setState((s) => pagePatch(s, 'cnn', { form: { ...s.pages.cnn.form, ...patch } }));
  }

  /** Another network variant; a form still at a recipe takes that recipe's numbers for it. */
  setCnnVariant(variant: CnnVariant): void {
    this.store.setState((s) => pagePatch(s, 'cnn', { form: withCnnVariant(s.pages.cnn.form, variant) }));
  }

  /** Fills the form with a recipe, for the variant the form has. */
  applyCnnRecipe(recipe: CnnRecipe): void {
    this.updateCnnForm(cnnRecipeForm(recipe, this.page().form.variant));
  }

  protected planRun(): ParseResult<RunPlan> {
    const parsed = parseCnnForm(this.page().form);
    if (!parsed.ok) return parsed;
    const { config, options } = parsed.value;
    const subset = options.trainLimit ? ` on the first ${formatCount(options.trainLimit)} pairs` : '';
    return { ok: true, value: { config, options, label: `Training ${VARIANT_NAMES[config.model]}${subset}…` } };
  }

  /** A fresh worker (Stop replaced a stuck one) gets the stored pairs back. */
  async reloadData(): Promise<void> {
    const source = this.page().pairSource;
    if (source) await this.api.cnn.loadStoredPairs(source);
  }

  protected noDataMessage(): string {
    return 'No paired MNIST yet: press "Build pairs" first';
  }

  /** ink: 0 = background … 255 = ink, width × height (transferred); `isCurrent` drops a stale answer. */
  predictInk(ink: Uint8ClampedArray, width: number, height: number, isCurrent = () => true): Promise<void> {
    return this.showInkPrediction(this.api.cnn.predictInk(Comlink.transfer(ink, [ink.buffer as ArrayBuffer]), width, height), isCurrent);
  }
}
