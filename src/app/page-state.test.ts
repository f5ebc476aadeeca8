import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../train/types';
import { appendLossPoints, createAppStore, pagePatch, setStatus } from './page-state';

function points(from: number, count: number): StepPoint[] {
  return Array.from({ length: count }, (_, i) => ({ step: from + i, epoch: 1, loss: from + i }));
}

describe('appendLossPoints', () => {
  it('appends while under the limit', () => {
    const out = appendLossPoints(points(1, 3), points(4, 2), 10);
    expect(out.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
  });

  it('merges pairs once over the limit, keeping the last step and the mean loss', () => {
    const out = appendLossPoints(points(1, 8), points(9, 3), 10);
    expect(out.length).toBeLessThanOrEqual(10);
    expect(out[0]).toEqual({ step: 2, epoch: 1, loss: 1.5 });
    expect(out[out.length - 1].step).toBe(11);
  });

  it('stays bounded over a very long run', () => {
    let series: StepPoint[] = [];
    for (let i = 0; i < 500; i++) series = appendLossPoints(series, points(i * 20 + 1, 20), 2000);
    expect(series.length).toBeLessThanOrEqual(2000);
    expect(series.length).toBeGreaterThan(1000);
    expect(series[series.length - 1].step).toBe(10000);
    for (let i = 1; i < series.length; i++) expect(series[i].step).toBeGreaterThan(series[i - 1].step);
  });
});

describe('createAppStore', () => {
  it('starts idle with the default form and records status messages', () => {
    const store = createAppStore('http://localhost:9/mnist/');
    expect(store.getState().phase).toBe('idle');
    expect(store.getState().pages.mlp.form.hidden).toBe('256,128,64');
    expect(store.getState().mnistBase).toBe('http://localhost:9/mnist/');
    setStatus(store, 'Bad file', 'error');
    expect(store.getState().status).toEqual({ text: 'Bad file', kind: 'error' });
  });
});

describe('pagePatch', () => {
  it("changes only the named page's slice, in the same update as shared fields", () => {
    const store = createAppStore();
    const before = store.getState();
    store.setState((s) => ({ ...pagePatch(s, 'cnn', { pairSource: 'mnist-full', trials: [] }), datasetId: 'pairs-1' }));
    const after = store.getState();
    expect(after.pages.cnn).toMatchObject({ pairSource: 'mnist-full', pairs: null, autotuneRetrain: true });
    expect(after.pages.cnn.form).toBe(before.pages.cnn.form);
    expect(after.pages.mlp).toBe(before.pages.mlp);
    expect(after.datasetId).toBe('pairs-1');
  });
});
