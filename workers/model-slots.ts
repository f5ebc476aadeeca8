/**
 * The current model of each network (the page's slots 'mlp', 'cnn', 'rnn') and its copy in
 * IndexedDB: restore at start, replace after training or import, checkpoints during a run.
 */
import { PAIR_CLASSES } from '../src/data/pairs';
import { QUICKDRAW_ANIMALS } from '../src/data/quickdraw';
import { loadBlob, saveBlob } from '../src/data/store';
import { decodeWeights, encodeWeights, type WeightFile } from '../src/io/weights';
import type { Backend } from '../src/kernels/backend';
import {
  classCountOf, describeArchitecture, isModelKind, MODEL_KIND_NAMES, MODEL_KINDS, modelFromWeights, modelInputSize,
} from '../src/nn/models';
import { weightFileOf } from '../src/train/weights';
import type { Model } from '../src/nn/types';
import type { ModelSummary, NetworkSlot } from './api';

/** IndexedDB blob key of the saved MLP (safetensors bytes). */
export const SAVED_MODEL_KEY = 'model/mlp';
/** IndexedDB blob key of each network's saved model. */
export const SAVED_MODEL_KEYS: Record<NetworkSlot, string> = { mlp: SAVED_MODEL_KEY, cnn: 'model/cnn', rnn: 'model/rnn' };
export const SLOTS: readonly NetworkSlot[] = ['mlp', 'cnn', 'rnn'];
const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const UNNAMED_CLASSES: Record<NetworkSlot, readonly string[]> = { mlp: DIGIT_CLASSES, cnn: PAIR_CLASSES, rnn: QUICKDRAW_ANIMALS };

/** What a network trains and runs, as its messages say (e.g. '"cnn" and "cnn2head" models'), from the registry. */
export function kindsOfSlot(slot: NetworkSlot): string {
  return `${MODEL_KIND_NAMES.filter((kind) => MODEL_KINDS[kind].network === slot).map((kind) => `"${kind}"`).join(' and ')} models`;
}

/** A network's model with what the page shows about it. */
export interface CurrentModel {
  model: Model;
  classes: string[];
  metrics: Record<string, unknown>;
  origin: ModelSummary['origin'];
}

/** The network a model kind belongs to (its page and its saved slot). */
export function slotOfKind(kind: string): NetworkSlot | null {
  return isModelKind(kind) ? MODEL_KINDS[kind].network : null;
}

export class ModelSlots {
  /** Read by the backend switch, which moves every model onto new kernels. */
  readonly models = new Map<NetworkSlot, CurrentModel>();

  constructor(private readonly backend: () => Backend) {}

  get(slot: NetworkSlot): CurrentModel | undefined {
    return this.models.get(slot);
  }

  require(slot: NetworkSlot): CurrentModel {
    const current = this.models.get(slot);
    if (!current) throw new Error('No model yet: train one or import a weight file first');
    return current;
  }

  /** Restores every saved model; returns the MLP's problem, if any (a broken CNN or RNN file just starts fresh). */
  async restoreAll(): Promise<string | null> {
    let warning: string | null = null;
    for (const slot of SLOTS) {
      try {
        const bytes = await loadBlob(SAVED_MODEL_KEYS[slot]);
        if (bytes) await this.adopt(await decodeWeights(bytes), 'restored', slot);
      } catch (err) {
        if (slot === 'mlp') warning = `The saved model could not be restored (${err instanceof Error ? err.message : String(err)}); train a new one.`;
      }
    }
    return warning;
  }

  summary(slot: NetworkSlot): ModelSummary | null {
    const c = this.models.get(slot);
    if (!c) return null;
    return {
      kind: c.model.kind,
      config: c.model.configJson(),
      architecture: describeArchitecture(c.model, modelInputSize(c.model) ?? 784, c.classes.length),
      classes: [...c.classes],
      parameterCount: c.model.parameterCount(),
      metrics: { ...c.metrics },
      origin: c.origin,
    };
  }

  /** Builds a model from a decoded file; throws (keeping the current model) when it does not fit. */
  async adopt(file: WeightFile, origin: ModelSummary['origin'], slot: NetworkSlot): Promise<void> {
    if (slotOfKind(file.model) !== slot) {
      throw new Error(`This file holds a "${file.model}" model; this page trains and runs ${kindsOfSlot(slot)}`);
    }
    const model = modelFromWeights(this.backend(), file);
    const classes = file.classes.length > 0 ? [...file.classes] : [...UNNAMED_CLASSES[slot]];
    if (classes.length !== classCountOf(model)) {
      model.dispose();
      throw new Error(`The file lists ${classes.length} classes but the model has ${classCountOf(model)} outputs`);
    }
    this.replace(slot, { model, classes, metrics: { ...file.metrics }, origin });
  }

  replace(slot: NetworkSlot, next: CurrentModel): void {
    const previous = this.models.get(slot);
    if (previous && previous.model !== next.model) previous.model.dispose();
    this.models.set(slot, next);
  }

  /** Saves `file` as the network's model (a kept checkpoint); a failure comes back as a message. */
  saveFile(slot: NetworkSlot, file: WeightFile): Promise<string | null> {
    return this.saveBytes(slot, encodeWeights(file, 'safetensors'));
  }

  weightFile(c: CurrentModel): Promise<WeightFile> {
    return weightFileOf(c.model, c.classes, c.metrics);
  }

  /**
   * Saving must not fail the training run that just finished (the model stays the page's current
   * one): a failure comes back as a message for the status line, null when saved.
   */
  async persist(slot: NetworkSlot): Promise<string | null> {
    const current = this.models.get(slot);
    return current ? this.saveBytes(slot, encodeWeights(await this.weightFile(current), 'safetensors')) : null;
  }

  private async saveBytes(slot: NetworkSlot, bytes: Uint8Array): Promise<string | null> {
    try {
      await saveBlob(SAVED_MODEL_KEYS[slot], bytes);
      return null;
    } catch (err) {
      console.warn('scratchnet: could not save the model', err);
      return `The model could not be saved in this browser (${err instanceof Error ? err.message : String(err)}): export it to keep it`;
    }
  }
}
