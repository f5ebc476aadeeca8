import { describe, expect, it } from 'vitest';
import { generateLines, LINES_TEST, LINES_TRAIN } from '../data/lines';
import { CpuBackend } from '../kernels/cpu';
import { evaluate } from '../train/evaluate';
import { Trainer } from '../train/trainer';
import { parseHyperForm } from './mlp-hyperparams';
import { PRESETS } from './first-steps-presets';

describe('presets', () => {
  it('every preset form parses', () => {
    for (const preset of Object.values(PRESETS)) expect(parseHyperForm(preset.form).ok).toBe(true);
  });

  it('the lines toy trains a 256-16-2 network to 100% test accuracy', async () => {
    const parsed = parseHyperForm(PRESETS.lines.form);
    if (!parsed.ok) throw new Error(parsed.error);
    const train = generateLines(LINES_TRAIN, 2024);
    const test = generateLines(LINES_TEST, 2025);
    const trainer = new Trainer(new CpuBackend(), parsed.value, { train, test }, {});
    const started = Date.now();
    expect(await trainer.run()).toBe('completed');
    const elapsed = Date.now() - started;
    expect(trainer.model.parameterCount()).toBe(256 * 16 + 16 + 16 * 2 + 2);
    const report = evaluate(trainer.model, test, 'test');
    expect(report.accuracy).toBe(1);
    expect(trainer.lastEpoch?.devAccuracy).toBe(1);
    console.log(`lines toy: ${elapsed} ms, dev per epoch ${JSON.stringify(trainer.lastEpoch)}`);
  });
});
