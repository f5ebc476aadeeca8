import { describe, expect, it } from 'vitest';
import { defaultMlpTrainConfig } from '../train/presets';
import { DEFAULT_FORM, mlpParameterCount, parseHidden, parseHyperForm } from './mlp-hyperparams';

describe('mlpParameterCount', () => {
  it('counts weights and biases of 784-256-128-64-10', () => {
    const expected = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10;
    expect(mlpParameterCount([256, 128, 64])).toBe(expected);
    expect(expected).toBe(242762);
  });

  it('counts a linear classifier when there is no hidden layer', () => {
    expect(mlpParameterCount([])).toBe(7850);
  });
});

describe('parseHidden', () => {
  it('accepts commas and spaces', () => {
    expect(parseHidden(' 256, 128  64 ')).toEqual({ ok: true, value: [256, 128, 64] });
    expect(parseHidden('')).toEqual({ ok: true, value: [] });
  });

  it('names the bad entry', () => {
    const r = parseHidden('256,12.5');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/"12\.5" is not a whole number/);
    expect(parseHidden('0').ok).toBe(false);
    expect(parseHidden('abc').ok).toBe(false);
  });
});

describe('parseHyperForm', () => {
  it('turns the defaults into the shared default recipe (the one the CLI trains)', () => {
    const r = parseHyperForm(DEFAULT_FORM);
    expect(r).toEqual({ ok: true, value: defaultMlpTrainConfig() });
    expect(r.ok && r.value).toMatchObject({
      net: { hidden: [256, 128, 64], activation: 'relu' },
      optimizer: { kind: 'adam', lr: 0.006, weightDecay: 0.0001 },
      lrSchedule: { kind: 'cosine', minFactor: 0.01 },
      labelSmoothing: 0.1,
      batchSize: 256,
      epochs: 4,
      trainFraction: 0.9,
    });
  });

  it('reads label smoothing: 0 turns it off, out of range is refused', () => {
    const off = parseHyperForm({ ...DEFAULT_FORM, labelSmoothing: '0' });
    expect(off.ok && off.value.labelSmoothing).toBeUndefined();
    const on = parseHyperForm({ ...DEFAULT_FORM, labelSmoothing: '0.2' });
    expect(on.ok && on.value.labelSmoothing).toBe(0.2);
    const bad = parseHyperForm({ ...DEFAULT_FORM, labelSmoothing: '0.7' });
    expect(bad).toEqual({ ok: false, error: expect.stringContaining('Label smoothing') });
  });

  it('turns a constant schedule into a constant learning rate', () => {
    const r = parseHyperForm({ ...DEFAULT_FORM, schedule: 'constant' });
    expect(r.ok && r.value.lrSchedule).toEqual({ kind: 'constant' });
  });

  it('passes momentum only to the momentum optimizer', () => {
    const r = parseHyperForm({ ...DEFAULT_FORM, optimizer: 'momentum', lr: '0.05', momentum: '0.8' });
    expect(r.ok && r.value.optimizer).toEqual({ kind: 'momentum', lr: 0.05, momentum: 0.8, weightDecay: 0.0001 });
  });

  it('reports the first invalid field with a readable message', () => {
    const cases: [Partial<typeof DEFAULT_FORM>, RegExp][] = [
      [{ lr: '0' }, /Learning rate: "0" is not a number above 0/],
      [{ lr: 'fast' }, /Learning rate/],
      [{ batchSize: '12.5' }, /Batch size: "12.5" is not a whole number/],
      [{ epochs: '' }, /Epochs/],
      [{ trainPercent: '100' }, /Train\/dev split/],
      [{ l2: '-1' }, /L2/],
      [{ hidden: '256,-3' }, /Hidden sizes/],
    ];
    for (const [patch, message] of cases) {
      const r = parseHyperForm({ ...DEFAULT_FORM, ...patch });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatch(message);
    }
  });
});

describe('dropout in the form', () => {
  it('adds net.dropout only when above 0 and rejects values out of range', () => {
    const none = parseHyperForm({ ...DEFAULT_FORM, dropout: '0' });
    expect(none.ok && 'dropout' in none.value.net).toBe(false);
    const some = parseHyperForm({ ...DEFAULT_FORM, dropout: '0.25' });
    expect(some.ok && some.value.net.dropout).toBe(0.25);
    const bad = parseHyperForm({ ...DEFAULT_FORM, dropout: '1.5' });
    expect(bad.ok ? '' : bad.error).toMatch(/Dropout: "1.5"/);
    const { dropout: _omitted, ...older } = DEFAULT_FORM;
    expect(parseHyperForm(older).ok).toBe(true);
  });
});
