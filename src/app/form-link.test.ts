import { describe, expect, it } from 'vitest';
import { DEFAULT_CNN_FORM, parseCnnForm, type CnnForm } from './cnn-hyperparams';
import { FormUrlSync, formHash, readFormHash, type FormLink, type LinkWindow } from './form-link';
import { CNN_URL_KEYS, RNN_URL_KEYS } from './page-links';
import { DEFAULT_RNN_FORM, parseRnnForm } from './rnn-hyperparams';

const checkCnn = (f: CnnForm) => { const r = parseCnnForm(f); return r.ok ? null : r.error; };

function fakeWindow(hash: string): LinkWindow & { listeners: (() => void)[]; replaced: string[] } {
  const win = {
    location: { hash },
    listeners: [] as (() => void)[],
    replaced: [] as string[],
    history: { replaceState: (_d: unknown, _u: string, url: string) => { win.location.hash = url; win.replaced.push(url); } },
    addEventListener: (_t: 'hashchange', l: () => void) => void win.listeners.push(l),
  };
  return win;
}

function fakeCnnLink(form: CnnForm, reports: string[]): FormLink<CnnForm> & { listeners: (() => void)[] } {
  const link = {
    route: 'cnn', keys: CNN_URL_KEYS, listeners: [] as (() => void)[],
    check: checkCnn,
    form: () => form,
    update: (patch: Partial<CnnForm>) => { form = { ...form, ...patch }; link.listeners.forEach((l) => l()); },
    onFormChange: (l: () => void) => void link.listeners.push(l),
    idle: () => true,
    report: (text: string) => void reports.push(text),
  };
  return link;
}

describe('shareable CNN and RNN settings', () => {
  it('round-trips every field of both forms, booleans as 1/0', () => {
    const cnn: CnnForm = { ...DEFAULT_CNN_FORM, variant: 'cnn2head', lr: '0.003', augment: false, trainLimit: '2000' };
    const hash = formHash('cnn', CNN_URL_KEYS, cnn);
    expect(hash).toMatch(/^#\/cnn\?net=cnn2head&lr=0\.003&.*aug=0/);
    expect(readFormHash(hash, CNN_URL_KEYS, DEFAULT_CNN_FORM, checkCnn)).toEqual({ patch: cnn, ignored: [] });
    const rnn = { ...DEFAULT_RNN_FORM, hidden: '128', epochs: '12', dropout: '0.2', mirrorAugment: true };
    const checkRnn = (f: typeof rnn) => { const r = parseRnnForm(f); return r.ok ? null : r.error; };
    expect(readFormHash(formHash('rnn', RNN_URL_KEYS, rnn), RNN_URL_KEYS, DEFAULT_RNN_FORM, checkRnn).patch).toEqual(rnn);
  });

  it('ignores bad or unknown values one by one, naming them', () => {
    const { patch, ignored } = readFormHash('#/cnn?lr=abc&epochs=3&aug=maybe&colour=red', CNN_URL_KEYS, DEFAULT_CNN_FORM, checkCnn);
    expect(patch).toEqual({ epochs: '3' });
    expect(ignored).toHaveLength(3);
    expect(ignored.join('; ')).toMatch(/lr=abc: .*Learning rate.*aug=maybe: expected 1 or 0; ignored 1 unknown link key: colour$/);
  });

  it('fills the form from an opened link, reports what it ignored, then keeps the hash in step without history entries', async () => {
    const reports: string[] = [];
    const link = fakeCnnLink({ ...DEFAULT_CNN_FORM }, reports);
    const win = fakeWindow('#/cnn?net=cnn2head&lr=0.002&epochs=oops');
    new FormUrlSync(link, win).start(Promise.resolve());
    expect(link.form()).toMatchObject({ variant: 'cnn2head', lr: '0.002', epochs: DEFAULT_CNN_FORM.epochs });
    await Promise.resolve();
    await Promise.resolve();
    expect(reports).toEqual([expect.stringMatching(/^Ignored from the link: epochs=oops/)]);
    expect(win.location.hash).toContain('epochs=' + DEFAULT_CNN_FORM.epochs);
    link.update({ batchSize: '64' });
    expect(win.location.hash).toContain('batch=64');
    expect(win.location.hash).toContain('net=cnn2head');
  });

  it('leaves other pages\' hashes alone', () => {
    const link = fakeCnnLink({ ...DEFAULT_CNN_FORM }, []);
    const win = fakeWindow('#/mlp?lr=0.5');
    new FormUrlSync(link, win).start(Promise.resolve());
    link.update({ lr: '0.01' });
    expect(link.form().lr).toBe('0.01');
    expect(win.replaced).toEqual([]);
  });
});
