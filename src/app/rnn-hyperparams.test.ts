import { describe, expect, it } from 'vitest';
import { RnnModel } from '../nn/models/rnn';
import { CpuBackend } from '../kernels/cpu';
import { defaultRnnTrainConfig, fullRnnTrainConfig, quickRnnTrainConfig } from '../train/presets';
import {
  DEFAULT_QUICKDRAW_FORM, DEFAULT_RNN_FORM, parseClassList, parseQuickDrawForm, parseRnnForm, quickDrawBaseWithoutProxy, rnnParameterCount,
  rnnRecipeForm,
} from './rnn-hyperparams';

describe('RNN form', () => {
  it('parses the defaults into the default recipe', () => {
    const parsed = parseRnnForm(DEFAULT_RNN_FORM);
    expect(parsed).toEqual({ ok: true, value: { config: defaultRnnTrainConfig(), options: {} } });
  });

  it('fills in each recipe, keeping the seed and the subset, and parses it back into that recipe', () => {
    const typed = { ...DEFAULT_RNN_FORM, seed: '7', trainLimit: '500' };
    const quick = { ...typed, ...rnnRecipeForm('quick') };
    expect(quick).toMatchObject({ hidden: '80', epochs: '14', batchSize: '64', lr: '0.006', warmup: '0.5', dropout: '0.1', headDropout: '0.1', average: '0.998', seed: '7', trainLimit: '500' });
    expect(parseRnnForm(quick)).toEqual({ ok: true, value: { config: quickRnnTrainConfig({ seed: 7 }), options: { trainLimit: 500 } } });
    const full = { ...quick, ...rnnRecipeForm('full') };
    expect(full).toMatchObject({ hidden: '128', epochs: '16', lr: '0.003', warmup: '0', dropout: '0.3', seed: '7' });
    expect(parseRnnForm(full)).toEqual({ ok: true, value: { config: fullRnnTrainConfig({ seed: 7 }), options: { trainLimit: 500 } } });
  });

  it('turns 0 into "off" for clipping and augmentation and reads a subset', () => {
    const parsed = parseRnnForm({
      ...DEFAULT_RNN_FORM, hidden: '16', layers: '1', clip: '0', scaleAugment: '0', stretchAugment: '0', rotateAugment: '0', mirrorAugment: false,
      swapStrokesAugment: '0', average: '0',
      trainLimit: '300',
    });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.config.net).toMatchObject({ hidden: 16, layers: 1, max_len: 100 });
    expect(parsed.value.config.clipNorm).toBeUndefined();
    expect(parsed.value.config.augment).toBeUndefined();
    expect(parsed.value.config.weightAverage).toBeUndefined();
    expect(parsed.value.options).toEqual({ trainLimit: 300 });
  });

  it('reads weight decay, weight averaging and the stroke augmentations', () => {
    const parsed = parseRnnForm({
      ...DEFAULT_RNN_FORM, weightDecay: '0.05', average: '0.999', scaleAugment: '0', stretchAugment: '0.2', rotateAugment: '10',
      mirrorAugment: true, swapStrokesAugment: '0',
    });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.config.optimizer.weightDecay).toBe(0.05);
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, headDropout: '0.3' })).toMatchObject({ ok: true, value: { config: { net: { head_dropout: 0.3 } } } });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, headDropout: '0' })).toMatchObject({ ok: true, value: { config: { net: { head_dropout: 0 } } } });
    expect(parsed.value.config.weightAverage).toBe(0.999);
    expect(parsed.value.config.augment).toEqual({ scale: 0, stretch: 0.2, rotate: 10, mirror: true });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, rotateAugment: '90' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Stroke rotation/) });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, dropPointsAugment: '0.15' })).toMatchObject({ ok: true, value: { config: { augment: { dropPoints: 0.15 } } } });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, dropPointsAugment: '0.6' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Point dropping/) });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, swapStrokesAugment: '0.3' })).toMatchObject({ ok: true, value: { config: { augment: { swapStrokes: 0.3 } } } });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, swapStrokesAugment: '1.5' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Stroke swapping/) });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, average: '1' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Weight averaging/) });
  });

  it('says what to fix', () => {
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, hidden: '0' })).toEqual({ ok: false, error: 'Hidden size: "0" is not a whole number from 1 to 512' });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, dropout: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Dropout/) });
    expect(parseRnnForm({ ...DEFAULT_RNN_FORM, trainLimit: '5' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Training subset/) });
  });

  it('counts parameters as the model does', () => {
    const backend = new CpuBackend();
    for (const [hidden, layers, classes] of [[64, 2, 10], [8, 1, 3], [5, 3, 4]]) {
      const model = new RnnModel(backend, { hidden, layers, max_len: 10, delta_scale: 20, outputSize: classes }, 1);
      expect(rnnParameterCount(hidden, layers, classes)).toBe(model.parameterCount());
      model.dispose();
    }
  });
});

describe('Quick Draw load form', () => {
  it('defaults to the 10 animals through the proxy path', () => {
    expect(parseQuickDrawForm(DEFAULT_QUICKDRAW_FORM)).toEqual({
      ok: true,
      value: { base: '/quickdraw/', classes: ['bird', 'cat', 'dog', 'elephant', 'fish', 'horse', 'owl', 'pig', 'rabbit', 'snake'], perClass: 3000 },
    });
    expect(parseClassList(' cat,\n dog ,, ')).toEqual(['cat', 'dog']);
  });

  it('without the proxy (a static host) defaults to Quick Draw\'s public folder, keeping a folder someone chose', () => {
    expect(quickDrawBaseWithoutProxy(DEFAULT_QUICKDRAW_FORM.base)).toBe('https://storage.googleapis.com/quickdraw_dataset/full/simplified/');
    expect(quickDrawBaseWithoutProxy('https://mirror.example/qd/')).toBe('https://mirror.example/qd/');
  });

  it('refuses a base that is no URL, no classes, duplicates and a bad count', () => {
    const form = { ...DEFAULT_QUICKDRAW_FORM };
    expect(parseQuickDrawForm({ ...form, base: 'quickdraw' })).toMatchObject({ ok: false, error: expect.stringMatching(/not a folder URL/) });
    expect(parseQuickDrawForm({ ...form, classes: ' , ' })).toMatchObject({ ok: false, error: expect.stringMatching(/at least one/) });
    expect(parseQuickDrawForm({ ...form, classes: 'cat, cat' })).toEqual({ ok: false, error: 'The class "cat" is listed twice' });
    expect(parseQuickDrawForm({ ...form, perClass: '0' })).toMatchObject({ ok: false, error: expect.stringMatching(/^Drawings per class/) });
  });
});
