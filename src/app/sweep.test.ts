import { describe, expect, it, vi } from 'vitest';
import type { RunSweepTag } from '../train/runs';
import { DEFAULT_FORM, type HyperForm } from './mlp-hyperparams';
import { createAppStore, pagePatch } from './page-state';
import { parseTrainLimit, planSweep, SweepRunner, type SweepLog, type SweepTarget } from './sweep';

describe('planSweep', () => {
  it('makes the cartesian product, first axis outermost, with labels', () => {
    const plan = planSweep(DEFAULT_FORM, [{ param: 'lr', values: '0.1, 0.01' }, { param: 'batch', values: '32 64 128' }]);
    if (!plan.ok) throw new Error(plan.error);
    expect(plan.value).toHaveLength(6);
    expect(plan.value[0]).toEqual({ patch: { lr: '0.1', batchSize: '32' }, label: 'lr=0.1 · batch=32' });
    expect(plan.value[5].label).toBe('lr=0.01 · batch=128');
  });

  it('reads hidden sizes with dashes joining layers, and turns momentum on with its optimizer', () => {
    const hidden = planSweep(DEFAULT_FORM, [{ param: 'hidden', values: '10, 128, 256-128' }]);
    expect(hidden.ok && hidden.value.map((s) => s.patch.hidden)).toEqual(['10', '128', '256,128']);
    const momentum = planSweep(DEFAULT_FORM, [{ param: 'momentum', values: '0.5,0.9' }]);
    expect(momentum.ok && momentum.value[0].patch).toEqual({ momentum: '0.5', optimizer: 'momentum' });
    const act = planSweep(DEFAULT_FORM, [{ param: 'activation', values: 'relu, leaky_relu' }]);
    expect(act.ok && act.value.map((s) => s.patch.activation)).toEqual(['relu', 'leaky_relu']);
    const drop = planSweep(DEFAULT_FORM, [{ param: 'dropout', values: '0, 0.3' }]);
    expect(drop.ok && drop.value.map((s) => s.patch.dropout)).toEqual(['0', '0.3']);
  });

  it('refuses bad values, empty lists, the same parameter twice and more than the cap', () => {
    const bad = planSweep(DEFAULT_FORM, [{ param: 'lr', values: '0.1, fast' }]);
    expect(bad.ok ? '' : bad.error).toMatch(/Learning rate "fast" does not work/);
    const swish = planSweep(DEFAULT_FORM, [{ param: 'activation', values: 'swish' }]);
    expect(swish.ok ? '' : swish.error).toMatch(/Unknown activation/);
    expect(planSweep(DEFAULT_FORM, [{ param: 'l2', values: ' , ' }]).ok).toBe(false);
    expect(planSweep(DEFAULT_FORM, [{ param: 'lr', values: '1' }, { param: 'lr', values: '2' }]).ok).toBe(false);
    const big = planSweep(DEFAULT_FORM, [{ param: 'lr', values: '1,2,3,4' }, { param: 'batch', values: '1,2,3,4' }]);
    expect(big.ok ? '' : big.error).toMatch(/at most 12 runs at a time; these values make 16/);
  });

  it('parses the examples-per-run limit', () => {
    expect(parseTrainLimit('')).toEqual({ ok: true, value: undefined });
    expect(parseTrainLimit('1,000')).toEqual({ ok: true, value: 1000 });
    expect(parseTrainLimit('50').ok).toBe(false);
    expect(parseTrainLimit('1.5k').ok).toBe(false);
  });
});

/** A page whose Train records a run (or not, when `failAt` says so) with the form it had. */
function fakePage(failAt = -1) {
  const store = createAppStore();
  const trained: { form: HyperForm; limit: number | undefined; tag: RunSweepTag | null }[] = [];
  const log: SweepLog & { runs: number } = { sweepTag: null, runs: 0, count: () => log.runs };
  const target: SweepTarget = {
    trainLimit: undefined,
    updateForm: (patch) => store.setState((s) => pagePatch(s, 'mlp', { form: { ...s.pages.mlp.form, ...patch } })),
    train: vi.fn(async () => {
      if (trained.length === failAt) {
        store.setState({ status: { text: 'No dataset is loaded yet', kind: 'error' } });
        trained.push({ form: store.getState().pages.mlp.form, limit: target.trainLimit, tag: log.sweepTag });
        return;
      }
      trained.push({ form: store.getState().pages.mlp.form, limit: target.trainLimit, tag: log.sweepTag });
      log.runs++;
    }),
    stop: vi.fn(),
  };
  return { store, target, log, trained, runner: new SweepRunner(target, store, log) };
}

describe('SweepRunner', () => {
  it('runs every combination through Train with the limit and tags, then puts the form back', async () => {
    const { store, target, log, trained, runner } = fakePage();
    store.setState((s) => pagePatch(s, 'mlp', { form: { ...s.pages.mlp.form, lr: '0.5' } }));
    await runner.run([{ param: 'lr', values: '0.01,0.001' }, { param: 'hidden', values: '16,32' }], 500);
    expect(trained.map((t) => [t.form.lr, t.form.hidden])).toEqual([['0.01', '16'], ['0.01', '32'], ['0.001', '16'], ['0.001', '32']]);
    expect(trained.every((t) => t.limit === 500)).toBe(true);
    expect(trained.map((t) => t.tag?.index)).toEqual([1, 2, 3, 4]);
    expect(new Set(trained.map((t) => t.tag?.id)).size).toBe(1);
    expect(trained[3].tag).toMatchObject({ total: 4, label: 'lr=0.001 · hidden=32' });
    expect(store.getState().pages.mlp.form.lr).toBe('0.5');
    expect(target.trainLimit).toBeUndefined();
    expect(log.sweepTag).toBeNull();
    expect(runner.store.getState()).toMatchObject({ phase: 'idle', index: 4, total: 4 });
    expect(runner.store.getState().message?.text).toMatch(/Sweep done: 4 runs/);
  });

  it('stops after the run in progress', async () => {
    const { target, trained, runner, log } = fakePage();
    (target.train as ReturnType<typeof vi.fn>).mockImplementationOnce(async () => {
      trained.push({ form: DEFAULT_FORM, limit: undefined, tag: null });
      runner.stop();
      log.runs++; // the stopped run is still recorded
    });
    await runner.run([{ param: 'lr', values: '0.1,0.2,0.3' }]);
    expect(trained).toHaveLength(1);
    expect(target.stop).toHaveBeenCalled();
    expect(runner.store.getState().message?.text).toMatch(/stopped after 1 of 3/);
  });

  it('ends with the reason when a run does not start', async () => {
    const { trained, runner } = fakePage(1);
    await runner.run([{ param: 'lr', values: '0.1,0.2,0.3' }]);
    expect(trained).toHaveLength(2);
    expect(runner.store.getState().message).toEqual({ text: 'Sweep ended: run 2 did not start: No dataset is loaded yet', kind: 'error' });
  });

  it('refuses a bad plan without touching the page', async () => {
    const { trained, runner } = fakePage();
    await runner.run([{ param: 'batch', values: 'big' }]);
    expect(trained).toHaveLength(0);
    expect(runner.store.getState().message?.kind).toBe('error');
  });
});
