/**
 * The MLP page's controller with the playground around it: the presets of the first steps (the
 * lines toy, 784-16-10) and a train-split limit for quick sweep runs. Everything else is the
 * page's MlpController.
 */
import { ensureLinesDataset, LINES_ID } from '../data/lines';
import type { FirstLayerWeights } from '../../workers/api';
import { BUNDLED_ID, MlpController } from './mlp-controller';
import { messageOf } from './format';
import type { RunPlan } from './network-controller';
import { formatLayers } from './format';
import type { ParseResult } from './mlp-hyperparams';
import { PRESETS, type PresetId } from './first-steps-presets';
import { saveDatasetId, savedDatasetId } from './preferences';
import { setStatus } from './page-state';

export class PlaygroundController extends MlpController {
  /** Train on only the first N examples of the train split (set by sweeps); undefined = all. */
  trainLimit: number | undefined = undefined;

  protected override planRun(): ParseResult<RunPlan> {
    const plan = super.planRun();
    if (!plan.ok) return plan;
    let value = plan.value;
    if (this.store.getState().datasetId === LINES_ID && value.config.model === 'mlp') {
      value = { ...value, label: `Training ${formatLayers(value.config.net.hidden, 256, 2)} on the lines toy…` };
    }
    if (this.trainLimit !== undefined) value = { ...value, options: { ...value.options, trainLimit: this.trainLimit } };
    return { ok: true, value };
  }

  /** The toy is a detour: the next visit still starts on the MNIST the user picked. */
  override async selectDataset(id: string): Promise<void> {
    const preferred = savedDatasetId();
    await super.selectDataset(id);
    if (id === LINES_ID) saveDatasetId(preferred && preferred !== LINES_ID ? preferred : BUNDLED_ID);
  }

  /** Generates and stores the lines toy once (in this page), then lists it with the datasets. */
  async ensureLines(): Promise<boolean> {
    try {
      await ensureLinesDataset();
      this.store.setState({ datasets: await this.api.digits.list() });
      return true;
    } catch (err) {
      setStatus(this.store, `Could not make the lines toy: ${messageOf(err)}`, 'error');
      return false;
    }
  }

  /** Fills the form with a preset (switching to its dataset); `train` starts the run at once. */
  async applyPreset(id: PresetId, train = false): Promise<void> {
    if (this.store.getState().phase !== 'idle') {
      setStatus(this.store, 'Stop training before choosing a preset', 'error');
      return;
    }
    const preset = PRESETS[id];
    if (preset.dataset === LINES_ID) {
      if (!(await this.ensureLines())) return;
      await this.selectDataset(LINES_ID);
    } else if (this.store.getState().datasetId === LINES_ID) {
      await this.selectDataset(this.mnistToReturnTo());
    }
    if (preset.dataset && this.store.getState().datasetId !== preset.dataset) return;
    this.updateForm(preset.form);
    if (train) await this.train();
    else setStatus(this.store, `${preset.label}: ${preset.description} Press Train.`, 'success');
  }

  /** The current MLP's first-layer weights for drawing; null (with the reason on the status line) when unavailable. */
  async firstLayerWeights(): Promise<FirstLayerWeights | null> {
    try {
      return await this.api.mlp.firstLayerWeights();
    } catch (err) {
      setStatus(this.store, `Could not read the first layer: ${messageOf(err)}`, 'error');
      return null;
    }
  }

  private mnistToReturnTo(): string {
    const usable = this.store.getState().datasets.filter((d) => d.complete && d.id !== LINES_ID);
    const preferred = savedDatasetId();
    return (usable.find((d) => d.id === preferred) ?? usable.find((d) => d.id === BUNDLED_ID) ?? usable[0])?.id ?? BUNDLED_ID;
  }
}
