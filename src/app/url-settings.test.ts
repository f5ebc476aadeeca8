import { describe, expect, it, vi } from 'vitest';
import type { DatasetInfo } from '../../workers/api';
import { LINES_ID } from '../data/lines';
import type { TrainerRemote } from './controller';
import { DEFAULT_FORM, type HyperForm } from './hyperparams';
import { PlaygroundController } from './playground-controller';
import { createAppStore } from './store';
import { parseSettingsHash, settingsHash, splitHash } from './url-settings';
import { UrlSync, type UrlWindow } from './url-sync';

const FORM: HyperForm = {
  ...DEFAULT_FORM, hidden: '256,128,64', activation: 'leaky_relu', optimizer: 'momentum', lr: '0.05', momentum: '0.8',
  batchSize: '64', l2: '0.0005', epochs: '3', seed: '9', trainPercent: '85', schedule: 'constant', dropout: '0.2',
};

describe('settings in the URL hash', () => {
  it('round-trips every form field and the dataset', () => {
    const hash = settingsHash('mlp', FORM, 'mnist-full');
    expect(hash).toMatch(/^#\/mlp\?/);
    expect(hash).toContain('hidden=256,128,64');
    expect(hash).toContain('act=leaky_relu');
    const back = parseSettingsHash(hash);
    expect(back).toEqual({ route: 'mlp', patch: FORM, dataset: 'mnist-full', ignored: [] });
  });

  it('reads hand-written links, ignoring bad values and unknown keys with the reason', () => {
    const s = parseSettingsHash('#/mlp?lr=0.001&batch=abc&hidden=10&act=swish&foo=1');
    expect(s.patch).toEqual({ lr: '0.001', hidden: '10' });
    expect(s.ignored).toHaveLength(3);
    expect(s.ignored[0]).toMatch(/^batch=abc: Batch size/);
    expect(s.ignored[1]).toMatch(/^act=swish: Unknown activation/);
    expect(s.ignored[2]).toBe('ignored 1 unknown link key: foo');
  });

  it('splits route and query', () => {
    expect(splitHash('#/mlp?lr=1')).toEqual({ route: 'mlp', query: 'lr=1' });
    expect(splitHash('#/runs')).toEqual({ route: 'runs', query: '' });
    expect(splitHash('')).toEqual({ route: '', query: '' });
  });
});

const MNIST: DatasetInfo = { id: 'mnist-bundled', name: 'MNIST', source: '', classes: [], trainCount: 1, testCount: 1, complete: true };

function fakeWindow(hash: string) {
  let onHash: () => void = () => undefined;
  const win: UrlWindow & { fire(hash: string): void } = {
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
  const api = { selectDataset: vi.fn(async () => MNIST), listDatasets: vi.fn(async () => [MNIST]) };
  const controller = new PlaygroundController(api as unknown as TrainerRemote, store, { pageBase: '', download: vi.fn() });
  const win = fakeWindow(hash);
  return { store, controller, win, api, sync: new UrlSync(controller, store, win) };
}

describe('UrlSync', () => {
  it('fills the form from the opened link and reports what it ignored once the page is ready', async () => {
    const { store, win, sync } = setup('#/mlp?lr=0.003&hidden=32,16&batch=0');
    sync.start(Promise.resolve());
    expect(store.getState().form).toMatchObject({ lr: '0.003', hidden: '32,16', batchSize: DEFAULT_FORM.batchSize });
    await vi.waitFor(() => expect(store.getState().status.text).toMatch(/Ignored from the link: batch=0/));
    expect(store.getState().status.kind).toBe('error');
    // The hash now holds the full settings (the bad batch replaced by the form's value).
    expect(parseSettingsHash(win.location.hash).patch).toMatchObject({ lr: '0.003', hidden: '32,16', batchSize: DEFAULT_FORM.batchSize });
  });

  it('rewrites the hash in place when the form changes, and only on the MLP page', async () => {
    const { controller, win, sync } = setup('#/mlp');
    sync.start(Promise.resolve());
    await vi.waitFor(() => expect(win.location.hash).toContain('lr='));
    controller.updateForm({ lr: '0.42' });
    expect(parseSettingsHash(win.location.hash).patch.lr).toBe('0.42');
    win.fire('#/runs');
    controller.updateForm({ lr: '0.5' });
    expect(win.location.hash).toBe('#/runs');
  });

  it('applies a link pasted into the address bar (hashchange)', async () => {
    const { store, win, sync } = setup('#/mlp');
    sync.start(Promise.resolve());
    await vi.waitFor(() => expect(win.location.hash).toContain('lr='));
    win.fire('#/mlp?epochs=7&act=tanh');
    await vi.waitFor(() => expect(store.getState().form).toMatchObject({ epochs: '7', activation: 'tanh' }));
    expect(store.getState().status.kind).not.toBe('error');
  });

  it('reports a dataset the browser does not have', async () => {
    const { store, api, sync } = setup(`#/mlp?data=mnist-full`);
    sync.start(Promise.resolve());
    await vi.waitFor(() => expect(store.getState().status.text).toMatch(/data=mnist-full: not stored/));
    expect(api.selectDataset).not.toHaveBeenCalled();
    expect(LINES_ID).toBe('lines-16');
  });
});
