import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Drawing } from '../data/strokes';
import { CpuBackend } from '../kernels/cpu';
import { CnnModel, MlpModel, RnnModel, stateDictOf } from '../nn/models';
import { predictDrawing } from '../train/sequence-eval';
import { describeWithFullData } from '../train/testing/full-data-tests';
import { MNIST_DIR, QUICKDRAW_DIR } from '../train/testing/shared-data';
import { exportWeights } from '../train/weights';
import { inspectImageText, inspectStepsText, sideBySide } from './inspect';
import { runCli } from './testing/run-cli';

const backend = new CpuBackend();
/** A thick vertical bar, like a "1". */
const DIGIT = Uint8Array.from({ length: 784 }, (_, i) => (i % 28 >= 12 && i % 28 < 16 && i >= 4 * 28 && i < 24 * 28 ? 255 : 0));
const RNN_CONFIG = { hidden: 6, layers: 1, max_len: 12, delta_scale: 20, outputSize: 3 };
const DRAWING: Drawing = [
  [[10, 60, 120, 90, 20], [30, 10, 40, 100, 80]],
  [[130, 200, 250, 140], [50, 20, 90, 60]],
];

describe('sideBySide', () => {
  it('puts tiles in columns under their captions, the largest value full ink', () => {
    const text = sideBySide([
      { caption: 'a', values: [0, 1, 2, 4], width: 2, height: 2 },
      { caption: 'bee', values: [-1, 0, 0, 3], width: 2, height: 2 },
    ]);
    expect(text.split('\n')).toEqual(['a    bee', ' :', '+@    @']);
  });
});

describe('inspectImageText', () => {
  it('shows the MLP units the input drives hardest, most first, as 28×28 pictures', async () => {
    const model = new MlpModel(backend, { hidden: [16], activation: 'relu' }, 3);
    const text = await inspectImageText(model, DIGIT);
    const lines = text.split('\n');
    expect(lines[0]).toBe('first layer: the 3 of 16 hidden units this input drives hardest (weights · ink), drawn as their positive weights:');
    expect(lines).toHaveLength(2 + 28);
    const w = stateDictOf(model).get('fc1.weight')!.data;
    const drive = Array.from({ length: 16 }, (_, u) => DIGIT.reduce((s, p, i) => s + (w[u * 784 + i] * p) / 255, 0));
    const expected = drive.map((d, u) => ({ d, u })).sort((a, b) => b.d - a.d).slice(0, 3);
    const captions = [...lines[1].matchAll(/unit (\d+) \(([+-]\d+\.\d\d)\)/g)];
    expect(captions.map((m) => Number(m[1]) - 1)).toEqual(expected.map((e) => e.u));
    captions.forEach((m, i) => expect(Number(m[2])).toBeCloseTo(expected[i].d, 2));
  });

  it('shows the CNN’s most active feature maps of each block', async () => {
    const model = new CnnModel(backend, 'cnn2head', { padding: 1, channels: [4, 6], fc: 8 }, 2);
    const pair = new Uint8Array(28 * 56);
    pair.fill(255, 10 * 56, 14 * 56);
    const text = await inspectImageText(model, pair);
    expect(text).toContain('block1: 4 feature maps of 14×28; the 3 most active (mean after ReLU):');
    expect(text).toContain('block2: 6 feature maps of 7×14; the 3 most active (mean after ReLU):');
    expect(text.split('\n')).toHaveLength(2 * 2 + 14 + 7);
  });

  it('says when there is nothing inside to show', async () => {
    const linear = new MlpModel(backend, { hidden: [], activation: 'relu' }, 1);
    expect(await inspectImageText(linear, DIGIT)).toMatch(/without a hidden layer has nothing inside to show/);
  });
});

describe('inspectStepsText', () => {
  it('gives the answer after each stroke, the final one as prediction gives it', async () => {
    const model = new RnnModel(backend, RNN_CONFIG, 5);
    const classes = ['cat', 'fish', 'owl'];
    const text = await inspectStepsText(model, DRAWING, classes);
    const final = await predictDrawing(model, DRAWING);
    const best = final.indexOf(Math.max(...final));
    expect(text).toMatch(/^step by step \(what it would answer if the drawing stopped there\):\n {2}after stroke 1 \(step 5 of 9\): (cat|fish|owl) \d\.\d\d\n/);
    expect(text).toContain(`  after the last step (9): ${classes[best]} ${final[best].toFixed(2)}\n`);
    expect(text).toMatch(/its final answer leads from step [1-9] of 9 on$/);
    await expect(inspectStepsText(new MlpModel(backend, { hidden: [4], activation: 'relu' }, 1), DRAWING, classes))
      .rejects.toThrow(/for rnn models, not mlp/);
  });
});

describeWithFullData('predict --inspect on (the CLI, contract A2 output kept)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'scratchnet-inspect-'));

  it('adds the MLP’s first-layer units to the digit and its probabilities', async () => {
    const file = path.join(work, 'mlp.safetensors');
    const model = new MlpModel(backend, { hidden: [32], activation: 'relu' }, 4);
    writeFileSync(file, await exportWeights(model, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], {}, 'safetensors'));
    const r = await runCli('predict', file, '--data', MNIST_DIR, '--index', '0', '--inspect', 'on');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('test example 0: label 7');
    expect(r.stdout.split('\n').filter((l) => /^\s*\d  \d\.\d{4}/.test(l))).toHaveLength(10);
    expect(r.stdout).toContain('first layer: the 3 of 32 hidden units this input drives hardest');
    const plain = await runCli('predict', file, '--data', MNIST_DIR, '--index', '0');
    expect(plain.stdout).not.toContain('first layer');
    const bad = await runCli('predict', file, '--data', MNIST_DIR, '--inspect', 'yes');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--inspect/);
  }, 120_000);

  it('adds the BiGRU’s answer after each stroke to the doodle and its probabilities', async () => {
    const file = path.join(work, 'rnn.safetensors');
    const classes = ['bird', 'cat', 'dog', 'elephant', 'fish', 'horse', 'owl', 'pig', 'rabbit', 'snake'];
    const model = new RnnModel(backend, { ...RNN_CONFIG, max_len: 100, outputSize: 10 }, 6);
    writeFileSync(file, await exportWeights(model, classes, {}, 'safetensors'));
    const r = await runCli('predict', file, '--data', QUICKDRAW_DIR, '--index', '3', '--inspect', 'on');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test example 3: label \w+, predicted \w+\n/);
    expect(r.stdout).toMatch(/step by step[^\n]*\n {2}after stroke 1 \(step \d+ of \d+\): \w+ \d\.\d\d\n/);
    expect(r.stdout).toMatch(/its final answer leads from step \d+ of \d+ on\n$/);
  }, 300_000);
});
