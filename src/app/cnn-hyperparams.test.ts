import { describe, expect, it } from 'vitest';
import { DEFAULT_CNN_FORM, cnnRecipeForm, parseCnnForm, withCnnVariant } from './cnn-hyperparams';
import { FAST_CNN_EPOCHS, fastCnnTrainConfig, seedCnnTrainConfig, tunedCnnTrainConfig } from '../train/presets';

describe('parseCnnForm', () => {
  it('turns the defaults into the fast CNN recipe', () => {
    const parsed = parseCnnForm(DEFAULT_CNN_FORM);
    if (!parsed.ok) throw new Error(parsed.error);
    const { config, options } = parsed.value;
    expect(config).toEqual(fastCnnTrainConfig());
    expect(config).toMatchObject({
      model: 'cnn', batchSize: 256, epochs: FAST_CNN_EPOCHS.cnn, standardize: false, restoreBest: true,
      net: { padding: 1, channels: [16, 32], fc: 256, dropout: 0 },
      optimizer: { kind: 'adam', lr: 7e-3, weightDecay: 1e-4 },
      lrSchedule: { kind: 'cosine', minFactor: 0.01, warmupEpochs: 0.5 },
      augment: { maxShift: 2, jitter: 0.1, remixHalves: true, plainLastEpochs: 1 },
    });
    expect(config.earlyStopping).toBeUndefined();
    expect(options).toEqual({});
  });

  it('standardizes the pixels with the seed recipe, and only when asked', () => {
    const seed = parseCnnForm({ ...DEFAULT_CNN_FORM, ...cnnRecipeForm('seed') });
    expect(seed.ok && seed.value.config.standardize).toBe(true);
    const off = parseCnnForm({ ...DEFAULT_CNN_FORM, ...cnnRecipeForm('seed'), standardize: false });
    expect(off.ok && off.value.config.standardize).toBe(false);
  });

  it('applies the variant, a subset, no augmentation and no early stopping', () => {
    const parsed = parseCnnForm({
      ...DEFAULT_CNN_FORM, variant: 'cnn2head', trainLimit: '3000', augment: false, patience: '0', lr: '0.003', dropout: '0.25', cosine: false,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.config.net.dropout).toBe(0.25);
    expect(parsed.value.config.lrSchedule).toEqual({ kind: 'constant', warmupEpochs: 0.5 });
    expect(parsed.value.config.model).toBe('cnn2head');
    expect(parsed.value.config.augment).toBeUndefined();
    expect(parsed.value.config.earlyStopping).toBeUndefined();
    expect(parsed.value.config.optimizer.lr).toBe(0.003);
    expect(parsed.value.options).toEqual({ trainLimit: 3000 });
  });

  it('reads the warmup, which stays when the cosine decay is turned off', () => {
    const parsed = parseCnnForm({ ...DEFAULT_CNN_FORM, warmup: '1.5', cosine: false });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.config.lrSchedule).toEqual({ kind: 'constant', warmupEpochs: 1.5 });
    const none = parseCnnForm({ ...DEFAULT_CNN_FORM, warmup: '0' });
    expect(none.ok && none.value.config.lrSchedule).toEqual({ kind: 'cosine', minFactor: 0.01 });
    const bad = parseCnnForm({ ...DEFAULT_CNN_FORM, warmup: '-1' });
    expect(bad.ok ? 'parsed' : bad.error).toMatch(/Warmup epochs/);
  });

  it('re-pairs digits only with augmentation on', () => {
    const on = parseCnnForm({ ...DEFAULT_CNN_FORM, remix: true });
    const off = parseCnnForm({ ...DEFAULT_CNN_FORM, remix: false });
    if (!on.ok || !off.ok) throw new Error('the form should parse');
    expect(on.value.config.augment?.remixHalves).toBe(true);
    expect(off.value.config.augment?.remixHalves).toBeUndefined();
    const none = parseCnnForm({ ...DEFAULT_CNN_FORM, augment: false, remix: true });
    expect(none.ok && none.value.config.augment).toBeUndefined();
  });

  it('fills in each recipe, keeping the variant, seed and subset', () => {
    const mine = { ...DEFAULT_CNN_FORM, variant: 'cnn2head' as const, seed: '7', trainLimit: '2000' };
    const recipes = [['tuned', tunedCnnTrainConfig()], ['seed', seedCnnTrainConfig()], ['fast', fastCnnTrainConfig()]] as const;
    for (const [recipe, expected] of recipes) {
      const parsed = parseCnnForm({ ...mine, ...cnnRecipeForm(recipe, 'cnn') });
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parsed.value.config).toEqual({ ...expected, model: 'cnn2head', seed: 7, lrSchedule: expected.lrSchedule ?? { kind: 'constant' } });
      expect(parsed.value.options).toEqual({ trainLimit: 2000 });
    }
  });

  it('gives each variant the fast recipe\'s own epochs, switching with the variant while the form holds a recipe', () => {
    expect(FAST_CNN_EPOCHS.cnn).toBeGreaterThan(FAST_CNN_EPOCHS.cnn2head);
    const twoHeads = withCnnVariant(DEFAULT_CNN_FORM, 'cnn2head');
    expect(twoHeads).toMatchObject({ variant: 'cnn2head', epochs: String(FAST_CNN_EPOCHS.cnn2head) });
    const parsed = parseCnnForm(twoHeads);
    expect(parsed.ok && parsed.value.config).toEqual(fastCnnTrainConfig({ model: 'cnn2head' }));
    expect(withCnnVariant(twoHeads, 'cnn')).toEqual(DEFAULT_CNN_FORM);
    // The tuned recipe has one count for both; a recipe picked for the two heads stays theirs.
    const tuned = { ...DEFAULT_CNN_FORM, ...cnnRecipeForm('tuned') };
    expect(withCnnVariant(tuned, 'cnn2head')).toEqual({ ...tuned, variant: 'cnn2head' });
    expect({ ...twoHeads, ...cnnRecipeForm('fast', 'cnn2head') }).toEqual(twoHeads);
    // A form the user changed keeps what they typed, whatever the variant.
    const typed = { ...DEFAULT_CNN_FORM, epochs: '3' };
    expect(withCnnVariant(typed, 'cnn2head')).toEqual({ ...typed, variant: 'cnn2head' });
    const typedLr = { ...DEFAULT_CNN_FORM, lr: '0.002' };
    expect(withCnnVariant(typedLr, 'cnn2head').epochs).toBe(DEFAULT_CNN_FORM.epochs);
  });

  it('averages the weights only with a decay above 0', () => {
    const on = parseCnnForm({ ...DEFAULT_CNN_FORM, average: '0.999' });
    expect(on.ok && on.value.config.weightAverage).toBe(0.999);
    const off = parseCnnForm({ ...DEFAULT_CNN_FORM, average: '0' });
    expect(off.ok && off.value.config.weightAverage).toBeUndefined();
  });

  it('says what to fix', () => {
    const bad = (patch: Partial<typeof DEFAULT_CNN_FORM>) => {
      const r = parseCnnForm({ ...DEFAULT_CNN_FORM, ...patch });
      return r.ok ? 'ok' : r.error;
    };
    expect(bad({ epochs: '51' })).toMatch(/Epochs: "51" is not a whole number from 1 to 50/);
    expect(bad({ dropout: '1' })).toMatch(/Dropout/);
    expect(bad({ warpRotate: '60' })).toMatch(/^Digit rotation/);
    expect(bad({ warpScale: 'x' })).toMatch(/^Digit scaling/);
    expect(bad({ average: '1' })).toMatch(/^Weight averaging/);
    expect(bad({ lr: 'fast' })).toMatch(/Learning rate/);
    expect(bad({ trainLimit: '50' })).toMatch(/Training subset: "50"/);
    expect(bad({ batchSize: '2.5' })).toMatch(/Batch size/);
    expect(bad({ variant: 'rnn' as never })).toMatch(/Unknown network "rnn"/);
  });
});
