import { describe, expect, it, vi } from 'vitest';
import type { DatasetInfo } from '../../workers/api';
import { LINES_ID } from '../data/lines';
import { FormUrlSync, formHash, readFormHash, splitHash, type LinkWindow } from './form-link';
import { CNN_SETTINGS } from '../train/settings/cnn-settings';
import { MLP_SETTINGS } from '../train/settings/mlp-settings';
import { RNN_SETTINGS } from '../train/settings/rnn-settings';
import { formFields, formOf, formValueOf, parseForm, type FormValue, type SettingField, type SettingsSchema } from '../train/settings/schema';
import type { AnyTrainConfig } from '../train/memory-estimate';
import { sampleValue } from '../train/testing/setting-samples';
import { DEFAULT_FORM, type HyperForm } from './mlp-hyperparams';
import {
  CNN_URL_KEYS, RNN_URL_KEYS, URL_KEYS, checkCnnForm, checkMlpForm, checkRnnForm, datasetExtra, mlpLink, type MlpLinkTarget,
} from './page-links';
import { createAppStore, pagePatch, type AppStore } from './page-state';

const FORM: HyperForm = {
  ...DEFAULT_FORM, hidden: '256,128,64', activation: 'leaky_relu', optimizer: 'momentum', lr: '0.05', momentum: '0.8',
  batchSize: '64', l2: '0.0005', epochs: '3', seed: '9', trainPercent: '85', schedule: 'constant', dropout: '0.2',
};

const MNIST: DatasetInfo = { id: 'mnist-bundled', name: 'MNIST', source: '', classes: [], trainCount: 1, testCount: 1, complete: true };

/** A stand-in for the MLP page's controller: the form and dataset in the store, nothing else. */
function fakeTarget(store: AppStore): MlpLinkTarget & { selected: string[] } {
  const selected: string[] = [];
  return {
    selected,
    updateForm: (patch) => store.setState((s) => pagePatch(s, 'mlp', { form: { ...s.pages.mlp.form, ...patch } })),
    ensureLines: async () => undefined,
    selectDataset: async (id) => {
      selected.push(id);
      store.setState({ datasetId: id });
    },
  };
}

function fakeWindow(hash: string) {
  let onHash: () => void = () => undefined;
  const win: LinkWindow & { fire(hash: string): void } = {
    location: { hash },
    history: { replaceState: vi.fn((_d: unknown, _u: string, url: string) => void (win.location.hash = url)) },
    addEventListener: (_type, listener) => void (onHash = listener),
    fire: (next) => {
      win.location.hash = next;
      onHash();
    },
  };
  return win;
}

function setup(hash: string) {
  const store = createAppStore();
  store.setState({ datasets: [MNIST], datasetId: 'mnist-bundled' });
  const target = fakeTarget(store);
  const win = fakeWindow(hash);
  return { store, target, win, sync: new FormUrlSync(mlpLink(target, store), win) };
}

const readMlp = (hash: string, store = createAppStore()) =>
  readFormHash(hash, URL_KEYS, DEFAULT_FORM, checkMlpForm, [datasetExtra(fakeTarget(store), store)]);

describe('the MLP settings in the URL hash', () => {
  it('round-trips every form field and the dataset', () => {
    const store = createAppStore();
    store.setState({ datasetId: 'mnist-full' });
    const hash = formHash('mlp', URL_KEYS, FORM, [datasetExtra(fakeTarget(store), store)]);
    expect(hash).toMatch(/^#\/mlp\?hidden=256,128,64&act=leaky_relu&.*&data=mnist-full$/);
    expect(readMlp(hash)).toEqual({ patch: FORM, extras: { data: 'mnist-full' }, ignored: [] });
  });

  it('reads hand-written links, ignoring bad values, a bad dataset id and unknown keys with the reason', () => {
    const s = readMlp('#/mlp?lr=0.001&batch=abc&hidden=10&act=swish&data=../x&foo=1');
    expect(s.patch).toEqual({ lr: '0.001', hidden: '10' });
    expect(s.ignored).toHaveLength(4);
    expect(s.ignored[0]).toBe('data=../x: not a dataset id');
    expect(s.ignored[1]).toMatch(/^batch=abc: Batch size/);
    expect(s.ignored[2]).toMatch(/^act=swish: Unknown activation/);
    expect(s.ignored[3]).toBe('ignored 1 unknown link key: foo');
  });

  it('splits route and query', () => {
    expect(splitHash('#/mlp?lr=1')).toEqual({ route: 'mlp', query: 'lr=1' });
    expect(splitHash('#/runs')).toEqual({ route: 'runs', query: '' });
    expect(splitHash('')).toEqual({ route: '', query: '' });
  });
});

describe('the MLP page link', () => {
  it('fills the form from the opened link and reports what it ignored once the page is ready', async () => {
    const { store, win, sync } = setup('#/mlp?lr=0.003&hidden=32,16&batch=0');
    sync.start(Promise.resolve());
    expect(store.getState().pages.mlp.form).toMatchObject({ lr: '0.003', hidden: '32,16', batchSize: DEFAULT_FORM.batchSize });
    await vi.waitFor(() => expect(store.getState().status.text).toMatch(/Ignored from the link: batch=0/));
    expect(store.getState().status.kind).toBe('error');
    // The hash now holds the full settings (the bad batch replaced by the form's value) and the dataset.
    expect(readMlp(win.location.hash).patch).toMatchObject({ lr: '0.003', hidden: '32,16', batchSize: DEFAULT_FORM.batchSize });
    expect(win.location.hash).toContain('data=mnist-bundled');
  });

  it('writes the hash of a page opened without one (the MLP page is the default route)', async () => {
    const { win, sync } = setup('');
    sync.start(Promise.resolve());
    await vi.waitFor(() => expect(win.location.hash).toMatch(/^#\/mlp\?hidden=/));
  });

  it('rewrites the hash in place when the form changes, and only on the MLP page', async () => {
    const { target, win, sync } = setup('#/mlp');
    sync.start(Promise.resolve());
    await vi.waitFor(() => expect(win.location.hash).toContain('lr='));
    target.updateForm({ lr: '0.42' });
    expect(readMlp(win.location.hash).patch.lr).toBe('0.42');
    win.fire('#/runs');
    target.updateForm({ lr: '0.5' });
    expect(win.location.hash).toBe('#/runs');
  });

  it('applies a link pasted into the address bar (hashchange), its dataset included', async () => {
    const { store, win, sync, target } = setup('#/mlp');
    store.setState({ datasets: [MNIST, { ...MNIST, id: 'mnist-full' }] });
    sync.start(Promise.resolve());
    await vi.waitFor(() => expect(win.location.hash).toContain('lr='));
    win.fire('#/mlp?epochs=7&act=tanh&data=mnist-full');
    await vi.waitFor(() => expect(store.getState().pages.mlp.form).toMatchObject({ epochs: '7', activation: 'tanh' }));
    await vi.waitFor(() => expect(target.selected).toEqual(['mnist-full']));
    expect(store.getState().status.kind).not.toBe('error');
  });

  it('reports a dataset the browser does not have', async () => {
    const { store, target, sync } = setup(`#/mlp?data=mnist-full`);
    sync.start(Promise.resolve());
    await vi.waitFor(() => expect(store.getState().status.text).toMatch(/data=mnist-full: not stored/));
    expect(target.selected).toEqual([]);
    expect(LINES_ID).toBe('lines-16');
  });

  it('applies nothing while training runs, and says so', async () => {
    const { store, sync } = setup('#/mlp?lr=0.003');
    store.setState({ phase: 'running' });
    sync.start(Promise.resolve());
    await vi.waitFor(() => expect(store.getState().status.text).toBe('Ignored from the link: training is running'));
    expect(store.getState().pages.mlp.form.lr).toBe(DEFAULT_FORM.lr);
  });
});

type AnyForm = Record<string, FormValue>;
type AnySchema = SettingsSchema<AnyTrainConfig, Record<string, SettingField<AnyTrainConfig>>>;
const PAGES = [
  { route: 'mlp', schema: MLP_SETTINGS, keys: URL_KEYS, check: checkMlpForm },
  { route: 'cnn', schema: CNN_SETTINGS, keys: CNN_URL_KEYS, check: checkCnnForm },
  { route: 'rnn', schema: RNN_SETTINGS, keys: RNN_URL_KEYS, check: checkRnnForm },
] as unknown as { route: string; schema: AnySchema; keys: Record<string, string>; check: (f: AnyForm) => string | null }[];
/**
 * Fields that act only beside another one. A BiGRU as wide, deep, long or batched as the samples (hidden 190,
 * 4 layers, 370 steps) fits a worker only when the rest is smaller: it keeps a buffer set per padded
 * length (13 up to 100 steps, 6 up to 50).
 */
const SMALL_BIGRU: AnyForm = { hidden: '32', maxLen: '50' };
const CONTEXT: Record<string, AnyForm> = {
  momentum: { optimizer: 'momentum' }, hidden: { maxLen: '50' }, layers: SMALL_BIGRU, batchSize: SMALL_BIGRU, maxLen: { hidden: '16', layers: '1' },
};

describe('every settings field round-trips through its page link', () => {
  for (const { route, schema, keys, check } of PAGES) {
    it(`${route}: a value written into the link is read back into the form and the run`, () => {
      const defaults = formOf(schema) as AnyForm;
      for (const [name, field] of formFields(schema)) {
        const value = sampleValue(field, schema.base());
        const form = { ...defaults, ...CONTEXT[name], [name]: value };
        const reading = readFormHash(formHash(route, keys, form), keys, defaults, check);
        expect(reading.ignored, name).toEqual([]);
        expect(reading.patch[name], name).toEqual(value);
        const run = parseForm(schema, { ...defaults, ...reading.patch } as never);
        if (!run.ok) throw new Error(`${name}: ${run.error}`);
        const read = field.kind === 'number' && field.runOption ? String(run.value.trainLimit) : formValueOf(field, run.value.config);
        expect(read, name).toEqual(value);
      }
    });
  }

  it('keeps every link key of the links already shared (renaming one breaks them)', () => {
    expect(URL_KEYS).toEqual({
      hidden: 'hidden', activation: 'act', optimizer: 'opt', lr: 'lr', schedule: 'sched', warmup: 'warm', momentum: 'mom', batchSize: 'batch', l2: 'l2',
      epochs: 'epochs', seed: 'seed', trainPercent: 'split', dropout: 'drop', labelSmoothing: 'smooth',
    });
    expect(CNN_URL_KEYS).toEqual({
      variant: 'net', lr: 'lr', cosine: 'cos', warmup: 'warm', l2: 'l2', dropout: 'drop', digitLoss: 'dloss', batchSize: 'batch', epochs: 'epochs', augment: 'aug', remix: 'remix',
      warpRotate: 'rot', warpScale: 'scale', plainEpochs: 'plain', average: 'avg', patience: 'patience', seed: 'seed', trainLimit: 'limit', standardize: 'std',
    });
    expect(RNN_URL_KEYS).toEqual({
      hidden: 'hidden', layers: 'layers', maxLen: 'maxlen', epochs: 'epochs', batchSize: 'batch', lr: 'lr', warmup: 'warm', weightDecay: 'wd', average: 'avg',
      dropout: 'drop', headDropout: 'hdrop', labelSmoothing: 'smooth', clip: 'clip', scaleAugment: 'aug', stretchAugment: 'stretch',
      rotateAugment: 'rotate', mirrorAugment: 'mirror', dropPointsAugment: 'dropp', swapStrokesAugment: 'swap', seed: 'seed', trainLimit: 'limit',
    });
  });
});
