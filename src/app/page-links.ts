/** Each page's form as a shareable link (form-link.ts has the mechanics; the keys are the settings schemas'). */
import { LINES_ID } from '../data/lines';
import { CNN_SETTINGS } from '../train/settings/cnn-settings';
import { MLP_SETTINGS } from '../train/settings/mlp-settings';
import { RNN_SETTINGS } from '../train/settings/rnn-settings';
import { linkKeys } from '../train/settings/schema';
import type { CnnController } from './cnn-controller';
import { parseCnnForm, type CnnForm } from './cnn-hyperparams';
import type { FormLink, LinkExtra } from './form-link';
import { parseHyperForm, type HyperForm } from './mlp-hyperparams';
import type { RnnController } from './rnn-controller';
import { parseRnnForm, type RnnForm } from './rnn-hyperparams';
import { setStatus, type AppStore } from './page-state';

export const URL_KEYS = linkKeys(MLP_SETTINGS);
export const CNN_URL_KEYS = linkKeys(CNN_SETTINGS);
export const RNN_URL_KEYS = linkKeys(RNN_SETTINGS);
/** The MLP page's link also names its dataset. */
export const DATASET_KEY = 'data';

const problemOf = (r: { ok: true } | { ok: false; error: string }): string | null => (r.ok ? null : r.error);

export const checkMlpForm = (form: HyperForm): string | null => problemOf(parseHyperForm(form));
export const checkCnnForm = (form: CnnForm): string | null => problemOf(parseCnnForm(form));
export const checkRnnForm = (form: RnnForm): string | null => problemOf(parseRnnForm(form));

/** What the MLP page's link drives (the page's controller). */
export interface MlpLinkTarget {
  updateForm(patch: Partial<HyperForm>): void;
  ensureLines(): Promise<unknown>;
  selectDataset(id: string): Promise<void>;
}

/** The dataset a link names: the lines toy is made on the spot; MNIST must be stored in this browser already. */
export function datasetExtra(target: MlpLinkTarget, store: AppStore): LinkExtra {
  return {
    key: DATASET_KEY,
    current: () => store.getState().datasetId,
    check: (value) => (/^[\w.-]{1,64}$/.test(value) ? null : 'not a dataset id'),
    apply: async (id) => {
      if (id === LINES_ID) await target.ensureLines();
      const known = store.getState().datasets.some((d) => d.id === id && d.complete);
      if (!known) return 'not stored in this browser (load it first)';
      await target.selectDataset(id);
      return null;
    },
  };
}

export function mlpLink(target: MlpLinkTarget, store: AppStore): FormLink<HyperForm> {
  return {
    route: 'mlp',
    keys: URL_KEYS,
    check: checkMlpForm,
    form: () => store.getState().pages.mlp.form,
    update: (patch) => target.updateForm(patch),
    onFormChange: (listener) => void store.subscribe((s, prev) => (s.pages.mlp.form !== prev.pages.mlp.form || s.datasetId !== prev.datasetId) && listener()),
    idle: () => store.getState().phase === 'idle',
    report: (text) => setStatus(store, text, 'error'),
    extras: [datasetExtra(target, store)],
  };
}

export function cnnLink(controller: CnnController, store: AppStore): FormLink<CnnForm> {
  return {
    route: 'cnn',
    keys: CNN_URL_KEYS,
    check: checkCnnForm,
    form: () => store.getState().pages.cnn.form,
    // A variant first, as the page's select does (a form at a recipe takes its count for that
    // variant); what else the link says is written over it.
    update: ({ variant, ...rest }) => {
      if (variant !== undefined) controller.setCnnVariant(variant);
      controller.updateCnnForm(rest);
    },
    onFormChange: (listener) => void store.subscribe((s, prev) => s.pages.cnn.form !== prev.pages.cnn.form && listener()),
    idle: () => store.getState().phase === 'idle',
    report: (text) => setStatus(store, text, 'error'),
  };
}

export function rnnLink(controller: RnnController, store: AppStore): FormLink<RnnForm> {
  return {
    route: 'rnn',
    keys: RNN_URL_KEYS,
    check: checkRnnForm,
    form: () => controller.rnn.getState().form,
    update: (patch) => controller.updateRnnForm(patch),
    onFormChange: (listener) => void controller.rnn.subscribe((s, prev) => s.form !== prev.form && listener()),
    idle: () => store.getState().phase === 'idle',
    report: (text) => setStatus(store, text, 'error'),
  };
}
