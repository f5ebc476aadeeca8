import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithFullData } from '../train/testing/full-data-tests';
import { MNIST_DIR, QUICKDRAW_DIR } from '../train/testing/shared-data';
import { runCli as cli } from './testing/run-cli';

const mnistDir = MNIST_DIR;
const quickdrawDir = QUICKDRAW_DIR;
const QUICKDRAW_CLASSES = ['bird', 'cat', 'dog', 'elephant', 'fish', 'horse', 'owl', 'pig', 'rabbit', 'snake'];
const work = mkdtempSync(path.join(tmpdir(), 'scratchnet-cli-'));

describeWithFullData('cli (contract A2)', () => {
  const weights = path.join(work, 'mlp.safetensors');

  it('trains an mlp on a slice of MNIST and writes a weight file', async () => {
    const r = await cli('train', 'mlp', '--data', mnistDir, '--epochs', '2', '--limit', '3000', '--seed', '3', '--out', weights);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test accuracy (\d+\.\d+)%/);
    const acc = Number(/test accuracy (\d+\.\d+)%/.exec(r.stdout)![1]);
    expect(acc).toBeGreaterThan(80);
    expect(r.stdout).toContain(`wrote ${weights}`);
  });

  it('evaluates the file as JSON with per-class accuracy', async () => {
    const r = await cli('eval', weights, '--data', mnistDir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.test_accuracy).toBeGreaterThan(0.8);
    expect(Object.keys(report.per_class)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(report.hardest).toHaveLength(5);
  });

  it('prints a test digit as ASCII art with the 10 probabilities', async () => {
    const r = await cli('predict', weights, '--data', mnistDir, '--index', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('test example 0: label 7');
    expect(r.stdout.split('\n').filter((l) => /^\s*\d  \d\.\d{4}/.test(l))).toHaveLength(10);
    expect(r.stdout).toMatch(/[#%@]/);
  });

  it('exits 1 with a one-line error for a malformed weight file', async () => {
    const bad = path.join(work, 'bad.safetensors');
    writeFileSync(bad, new Uint8Array([1, 2, 3]));
    const r = await cli('eval', bad, '--data', mnistDir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: bad\.safetensors: /);
  });

  const pairWeights = path.join(work, 'cnn2head.npz');

  it('trains a cnn2head on 3,000 digit pairs for one epoch: far above the 1% chance of 100 classes', async () => {
    const r = await cli('train', 'cnn2head', '--data', mnistDir, '--epochs', '1', '--limit', '3000', '--out', pairWeights);
    expect(r.code, r.stderr).toBe(0);
    const m = /test accuracy (\d+\.\d+)% \(3000 pairs\) · per digit: tens (\d+\.\d+)%, ones (\d+\.\d+)%/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const [whole, tens, ones] = m!.slice(1).map(Number);
    expect(whole).toBeGreaterThan(6);
    expect(tens).toBeGreaterThan(25);
    expect(ones).toBeGreaterThan(25);
    expect(r.stdout).toContain(`wrote ${pairWeights}`);
  });

  it('trains the tuned CNN recipe: re-paired digits, no dropout, cosine decay, weight averaging, no early stopping', async () => {
    const r = await cli('train', 'cnn', '--data', mnistDir, '--recipe', 'tuned', '--epochs', '1', '--limit', '1000');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(early stopping: off\), cosine lr 0\.001, dropout 0, re-paired digits on, weight averaging 0\.999/);
    expect(r.stdout).toMatch(/test accuracy \d+\.\d+% \(1000 pairs\)/);
    const bad = await cli('train', 'cnn', '--data', mnistDir, '--recipe', 'best');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--recipe must be one of fast, seed, tuned/);
  });

  it('evaluates the cnn2head file on 10,000 test pairs, per class in label order 00..99', async () => {
    const r = await cli('eval', pairWeights, '--data', mnistDir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.model).toBe('cnn2head');
    expect(report.count).toBe(10000);
    expect(report.test_accuracy).toBeGreaterThan(0.06);
    expect(r.stdout).toMatch(/"per_class":\{"00":[^,]+,"01":/);
    expect(Object.keys(report.per_class)).toHaveLength(100);
    expect(report.digit_accuracy.tens).toBeGreaterThan(0.25);
  });

  it('prints a test pair as 28×56 ASCII art with the top classes', async () => {
    const r = await cli('predict', pairWeights, '--data', mnistDir, '--index', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test example 3: label \d\d, predicted \d\d/);
    expect(r.stdout).toContain('top 5 of 100 classes:');
    expect(r.stdout.split('\n').filter((l) => /^\d\d  \d\.\d{4}/.test(l))).toHaveLength(5);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(28);
  });

  const rnnWeights = path.join(work, 'rnn.safetensors');

  it('trains the BiGRU on 200 doodles per class: well above the 10% chance of 10 classes', async () => {
    const r = await cli('train', 'rnn', '--data', quickdrawDir, '--limit', '200', '--epochs', '6', '--batch', '16', '--hidden', '32', '--out', rnnWeights);
    expect(r.code, r.stderr).toBe(0);
    const m = /test accuracy (\d+\.\d+)% \((\d+) drawings; (\d+\.\d+)% averaged with mirror images\)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(20);
    expect(r.stdout).toMatch(/most confused: \w+\/\w+ \(\d+\)/);
    expect(r.stdout).toContain(`wrote ${rnnWeights}`);
  }, 400_000);

  it('evaluates the rnn file on the Quick Draw test split as JSON', async () => {
    const r = await cli('eval', rnnWeights, '--data', quickdrawDir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.model).toBe('rnn');
    expect(report.count).toBeGreaterThan(3000);
    expect(report.test_accuracy).toBeGreaterThan(0.15);
    expect(Object.keys(report.per_class)).toEqual(QUICKDRAW_CLASSES);
    expect(report.hardest).toHaveLength(5);
    expect(report.most_confused[0]).toEqual({ a: expect.any(String), b: expect.any(String), count: expect.any(Number) });
    const averaged = await cli('eval', rnnWeights, '--data', quickdrawDir, '--json', '--mirror-average', 'on');
    expect(averaged.code, averaged.stderr).toBe(0);
    const mirrored = JSON.parse(averaged.stdout.trim().split('\n').pop()!);
    expect(mirrored.mirror_average).toBe(true);
    expect(mirrored.count).toBe(report.count);
    // Other probabilities, so another loss (accuracy may tie on a weak model).
    expect(Math.abs(mirrored.test_loss - report.test_loss)).toBeGreaterThan(1e-4);
  }, 400_000);

  it('refuses --mirror-average for a weight file that does not read drawings', async () => {
    const r = await cli('eval', pairWeights, '--data', mnistDir, '--mirror-average', 'on');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--mirror-average is for rnn weight files');
  });

  it('prints a test doodle as ASCII art with the 10 class probabilities', async () => {
    const r = await cli('predict', rnnWeights, '--data', quickdrawDir, '--index', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test example 3: label \w+, predicted \w+\n/);
    expect(r.stdout.split('\n').filter((l) => /^\s*\w+  \d\.\d{4}/.test(l))).toHaveLength(10);
    const averaged = await cli('predict', rnnWeights, '--data', quickdrawDir, '--index', '3', '--mirror-average', 'on');
    expect(averaged.stdout).toMatch(/test example 3: label \w+, predicted \w+ \(averaged with its mirror image\)/);
    const art = r.stdout.split('\n').filter((l) => l.includes('#'));
    expect(art.length).toBeGreaterThan(5);
    expect(Math.max(...art.map((l) => l.length))).toBeLessThanOrEqual(32);
  }, 400_000);

  it('names what is missing', async () => {
    const r = await cli('train', 'mlp');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--data <dir> is required');
  });
});

// The bundled Quick Draw sample is in the repository: these run on a bare clone too.
describe('cli on the bundled Quick Draw sample', () => {
  it('trains the BiGRU with --data sample and reports the test split', async () => {
    const r = await cli('train', 'rnn', '--data', 'sample', '--limit', '40', '--epochs', '1', '--batch', '16', '--hidden', '8');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/on \d+ drawings of 10 classes \(dev \d+, test \d+\), 1 epochs/);
    expect(r.stdout).toMatch(/test accuracy \d+\.\d\d% \(\d+ drawings;/);
  }, 400_000);

  it('trains the BiGRU recipes picked with --recipe (quick, the default, and full), and refuses one it does not have', async () => {
    const r = await cli('train', 'rnn', '--data', 'sample', '--limit', '40', '--epochs', '1', '--batch', '16', '--hidden', '8');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /1 epochs, cosine lr 0\.006 after 0\.5 warmup epochs, dropout 0\.1 \/ head 0\.1, augmentation scale ±0\.1, stretch ±0\.15, rotate ±15°, mirror, swap strokes 0\.2, weight averaging 0\.998, batch 16/,
    );
    const dropping = await cli('train', 'rnn', '--data', 'sample', '--limit', '40', '--epochs', '1', '--batch', '16', '--hidden', '8',
      '--augment-scale', '0', '--augment-stretch', '0', '--augment-rotate', '0', '--augment-mirror', 'off', '--augment-drop', '0.2', '--augment-swap', '0.5');
    expect(dropping.code, dropping.stderr).toBe(0);
    expect(dropping.stdout).toContain('augmentation drop points 0.2, swap strokes 0.5, weight averaging');
    const full = await cli('train', 'rnn', '--data', 'sample', '--recipe', 'full', '--limit', '40', '--epochs', '1', '--batch', '16', '--hidden', '8');
    expect(full.stdout).toMatch(/cosine lr 0\.003, dropout 0\.3 \/ head 0\.3, augmentation [^,]+(, [^,]+)*, weight averaging 0\.999/);
    const bad = await cli('train', 'rnn', '--data', 'sample', '--recipe', 'fast');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--recipe must be one of quick, full/);
  }, 400_000);

  it('refuses the sample for a model that reads digits, and a damaged sample file, naming it', async () => {
    const digits = await cli('train', 'mlp', '--data', 'sample');
    expect(digits.code).toBe(1);
    expect(digits.stderr).toContain('--data sample is the Quick Draw sample, for rnn only');
    const damaged = path.join(work, 'damaged.snqd');
    writeFileSync(damaged, 'SNQD-not-really');
    const r = await cli('train', 'rnn', '--data', damaged);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${damaged} is damaged`);
  }, 400_000);

  it('refuses a run that cannot fit in memory before reading any data, with the estimate', async () => {
    const r = await cli('train', 'rnn', '--data', 'sample', '--hidden', '512', '--layers', '4', '--batch', '1024');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Memory: this run needs about [\d.]+ GB per worker, more than the 2 GB a worker can use/);
    expect(r.stdout).not.toContain('training rnn');
  }, 400_000);
});
