/**
 * The MLP page's controller: the stored MNIST digits (bundled on a first visit, full download, dropped
 * IDX files), the dataset the MLP trains on, its form and drawn digits. The run / pause / stop /
 * evaluate / export flow is every network's (network-controller.ts).
 */
import * as Comlink from 'comlink';
import { formatCount, formatLayers } from './format';
import { parseHyperForm, type HyperForm, type ParseResult } from './mlp-hyperparams';
import { messageOf } from './format';
import { NetworkController, type RunPlan } from './network-controller';
import { saveDatasetId, saveMnistBase, savedDatasetId } from './preferences';
import { pagePatch, setStatus } from './page-state';
import type { ModelSummary } from '../../workers/api';

export const BUNDLED_ID = 'mnist-bundled';

export class MlpController extends NetworkController {
  readonly network = 'mlp' as const;
  protected readonly examples = 'digits';

  /** Restores the saved model, stores the bundled MNIST on first visit, loads the preferred dataset. */
  async boot(): Promise<void> {
    setStatus(this.store, 'Starting the trainer…', 'busy');
    try {
      const startup = await this.api.init();
      this.store.setState({ datasets: startup.datasets, model: startup.model, kernels: startup.kernels });
      if (startup.warning) setStatus(this.store, startup.warning, 'error');
      const bundledError = await this.ensureBundled();
      const datasets = await this.api.digits.list();
      this.store.setState({ datasets });
      const preferred = savedDatasetId();
      const usable = datasets.filter((d) => d.complete);
      const pick = usable.find((d) => d.id === preferred) ?? usable.find((d) => d.id === BUNDLED_ID) ?? usable[0];
      if (!pick) {
        setStatus(this.store, bundledError ?? 'No dataset available: load MNIST from a URL or drop its IDX files', 'error');
        return;
      }
      await this.selectDataset(pick.id);
      if (bundledError) setStatus(this.store, bundledError, 'error');
      else if (!startup.warning) this.greetMlp(startup.model);
      await this.offerResume();
    } catch (err) {
      setStatus(this.store, `The trainer could not start: ${messageOf(err)}`, 'error');
    }
  }

  private greetMlp(model: ModelSummary | null): void {
    const data = this.store.getState().datasets.find((d) => d.id === this.store.getState().datasetId);
    this.greet(data ? `${formatCount(data.trainCount)} training digits ready` : 'Ready', true, model, 'model');
  }

  /** Returns an error message instead of throwing: other stored datasets may still work. */
  private async ensureBundled(): Promise<string | null> {
    try {
      await this.api.digits.ensureBundled(this.deps.pageBase, this.progressProxy());
      return null;
    } catch (err) {
      return `Could not store the bundled MNIST subset: ${messageOf(err)}`;
    } finally {
      this.endLoad();
    }
  }

  async selectDataset(id: string): Promise<void> {
    if (this.store.getState().phase !== 'idle') {
      setStatus(this.store, 'Stop training before switching datasets', 'error');
      return;
    }
    try {
      const info = await this.api.mlp.selectDataset(id, this.progressProxy());
      this.store.setState({ datasetId: info.id, evalResult: null });
      saveDatasetId(info.id);
      setStatus(this.store, `${info.name}: ${formatCount(info.trainCount)} train / ${formatCount(info.testCount)} test digits ready`, 'success');
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    } finally {
      this.endLoad();
    }
  }

  setMnistBase(url: string): void {
    this.store.setState({ mnistBase: url });
    saveMnistBase(url);
  }

  async loadFullMnist(): Promise<void> {
    const base = this.store.getState().mnistBase.trim();
    if (!/^https?:\/\//i.test(base) && !base.startsWith('/') && !base.startsWith('.')) {
      setStatus(this.store, `"${base}" is not a URL: use something like https://example.org/mnist/`, 'error');
      return;
    }
    // A link's ?mnistBase= is remembered only now, when the user loads from it (settings.ts).
    saveMnistBase(base);
    await this.loadDataset(() => this.api.digits.loadRemote(base, this.progressProxy()), `Downloading MNIST from ${base}…`);
  }

  async loadIdxFiles(files: File[]): Promise<void> {
    if (files.length !== 4) {
      setStatus(this.store, `Drop all 4 MNIST IDX files at once (train/t10k images and labels); got ${files.length}`, 'error');
      return;
    }
    await this.loadDataset(() => this.api.digits.loadFiles(files, this.progressProxy()), 'Reading the IDX files…');
  }

  private async loadDataset(load: () => Promise<{ id: string }>, startText: string): Promise<void> {
    if (this.store.getState().load) return;
    this.store.setState({ load: { phase: startText, fraction: 0 } });
    setStatus(this.store, startText, 'busy');
    try {
      const info = await load();
      this.store.setState({ datasets: await this.api.digits.list() });
      await this.selectDataset(info.id);
    } catch (err) {
      setStatus(this.store, messageOf(err), 'error');
    } finally {
      this.endLoad();
    }
  }

  updateForm(patch: Partial<HyperForm>): void {
    this.store.setState((s) => pagePatch(s, 'mlp', { form: { ...s.pages.mlp.form, ...patch } }));
  }

  /** The run the form describes, or what to fix. */
  protected planRun(): ParseResult<RunPlan> {
    const parsed = parseHyperForm(this.store.getState().pages.mlp.form);
    if (!parsed.ok) return parsed;
    const label = `Training ${formatLayers(parsed.value.net.hidden)} with ${parsed.value.optimizer.kind}…`;
    return { ok: true, value: { config: parsed.value, label } };
  }

  protected noDataMessage(): string {
    return 'No dataset is loaded yet: wait for MNIST to finish loading';
  }

  /** A fresh worker (Stop replaced a stuck one) gets the selected digits back. */
  async reloadData(): Promise<void> {
    const id = this.store.getState().datasetId;
    if (id) await this.api.mlp.selectDataset(id);
  }

  /**
   * ink: 0 = background … 255 = ink, width × height (transferred to the worker). `isCurrent` drops
   * an answer that arrives after the drawing changed (e.g. was cleared).
   */
  predictInk(ink: Uint8ClampedArray, width: number, height: number, isCurrent = () => true): Promise<void> {
    return this.showInkPrediction(this.api.mlp.predictInk(Comlink.transfer(ink, [ink.buffer as ArrayBuffer]), width, height), isCurrent);
  }
}
