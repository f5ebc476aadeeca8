/** The CNN and RNN pages' forms as shareable links (form-link.ts has the mechanics). */
import type { CnnController } from './cnn-controller';
import { parseCnnForm, type CnnForm } from './cnn-hyperparams';
import type { FormLink } from './form-link';
import type { RnnController } from './rnn-controller';
import { parseRnnForm, type RnnForm } from './rnn-hyperparams';
import { setStatus, type AppStore } from './store';

export const CNN_URL_KEYS: Record<keyof CnnForm, string> = {
  variant: 'net', lr: 'lr', cosine: 'cos', l2: 'l2', dropout: 'drop', batchSize: 'batch', epochs: 'epochs', augment: 'aug', remix: 'remix', warpRotate: 'rot', warpScale: 'scale',
  average: 'avg', patience: 'patience', seed: 'seed', trainLimit: 'limit',
};

export const RNN_URL_KEYS: Record<keyof RnnForm, string> = {
  hidden: 'hidden', layers: 'layers', maxLen: 'maxlen', epochs: 'epochs', batchSize: 'batch', lr: 'lr', weightDecay: 'wd', average: 'avg',
  dropout: 'drop', headDropout: 'hdrop', labelSmoothing: 'smooth', clip: 'clip', scaleAugment: 'aug', stretchAugment: 'stretch', rotateAugment: 'rotate',
  mirrorAugment: 'mirror', seed: 'seed', trainLimit: 'limit',
};

const problemOf = (r: { ok: true } | { ok: false; error: string }): string | null => (r.ok ? null : r.error);

export function cnnLink(controller: CnnController, store: AppStore): FormLink<CnnForm> {
  return {
    route: 'cnn',
    keys: CNN_URL_KEYS,
    check: (form) => problemOf(parseCnnForm(form)),
    form: () => store.getState().cnnForm,
    update: (patch) => controller.updateCnnForm(patch),
    onFormChange: (listener) => void store.subscribe((s, prev) => s.cnnForm !== prev.cnnForm && listener()),
    idle: () => store.getState().phase === 'idle',
    report: (text) => setStatus(store, text, 'error'),
  };
}

export function rnnLink(controller: RnnController, store: AppStore): FormLink<RnnForm> {
  return {
    route: 'rnn',
    keys: RNN_URL_KEYS,
    check: (form) => problemOf(parseRnnForm(form)),
    form: () => controller.rnn.getState().form,
    update: (patch) => controller.updateRnnForm(patch),
    onFormChange: (listener) => void controller.rnn.subscribe((s, prev) => s.form !== prev.form && listener()),
    idle: () => store.getState().phase === 'idle',
    report: (text) => setStatus(store, text, 'error'),
  };
}
