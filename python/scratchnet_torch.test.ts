/**
 * python/scratchnet_torch.py against PyTorch's own logits (the fixtures) and against this repo's
 * forward pass on the same weight files: raw pixels through the file's standardization, and Quick
 * Draw drawings through the stroke-3 encoding. Runs when a python3 can import torch and numpy; the
 * "[python]" tag lets scripts/test-summary.mjs say when it did not.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeStroke3, type Drawing } from '../src/data/strokes';
import { decodeWeights } from '../src/io/weights';
import { CpuBackend } from '../src/kernels/cpu';
import { modelFromWeights, type RnnModel } from '../src/nn/models';
import { predictProbs } from '../src/train/evaluate';
import { predictDrawing } from '../src/train/sequence-eval';
import {
  HAS_FULL_DATA, PYTORCH_FIXTURES, readBundledMnistSplit, readQuickDrawSampleDrawings, REPO_PYTORCH_FIXTURES, REPO_ROOT,
} from '../src/train/testing/shared-data';

const CHECK = path.join(REPO_ROOT, 'python', 'check_scratchnet_torch.py');
// SCRATCHNET_PYTHON names the interpreter; else python3, then Debian's /usr/bin/python3 (where
// python3-torch lives), which another python3 on PATH may hide.
const CANDIDATES = process.env.SCRATCHNET_PYTHON ? [process.env.SCRATCHNET_PYTHON] : ['python3', '/usr/bin/python3'];
const python = CANDIDATES.find((exe) => spawnSync(exe, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0);

function runCheck<T>(args: string[], input?: unknown): T {
  const r = spawnSync(python!, [CHECK, ...args], { input: input === undefined ? undefined : JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${CHECK} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

async function jsModel(file: string) {
  return modelFromWeights(new CpuBackend(), await decodeWeights(new Uint8Array(readFileSync(path.join(REPO_PYTORCH_FIXTURES, file)))));
}

function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Bundled test digits side by side: [count, 28, 56] pairs, as the paired datasets lay them out. */
function digitPairs(digits: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count * 28 * 56);
  for (let n = 0; n < count; n++) {
    for (let row = 0; row < 28; row++) {
      out.set(digits.subarray((2 * n) * 784 + row * 28, (2 * n) * 784 + row * 28 + 28), n * 1568 + row * 56);
      out.set(digits.subarray((2 * n + 1) * 784 + row * 28, (2 * n + 1) * 784 + row * 28 + 28), n * 1568 + row * 56 + 28);
    }
  }
  return out;
}

/** Hand-made drawings: a dot, two strokes, and 3 strokes of 20 points (longer than max_len = 40). */
function madeDrawings(): Drawing[] {
  const wave = (phase: number): [number[], number[]] => [
    Array.from({ length: 20 }, (_, i) => Math.round(127 + 120 * Math.cos(i / 3 + phase))),
    Array.from({ length: 20 }, (_, i) => Math.round(127 + 100 * Math.sin(i / 2 + phase))),
  ];
  return [
    [[[10], [20]]],
    [[[0, 255, 128], [255, 0, 7]], [[30, 31], [200, 199]]],
    [wave(0), wave(1), wave(2)],
  ];
}

interface FixtureResult { name: string; format: string; kind: string; norm: boolean; worst: number }

describe.runIf(python !== undefined)('python/scratchnet_torch.py [python]', () => {
  it('reproduces every fixture\'s torch64 logits within 1e-4 from .safetensors and .npz (pixels through predict)', () => {
    const dirs = HAS_FULL_DATA ? [REPO_PYTORCH_FIXTURES, PYTORCH_FIXTURES] : [REPO_PYTORCH_FIXTURES];
    const results = runCheck<FixtureResult[]>(['fixtures', ...dirs]);
    expect(results.length).toBe(HAS_FULL_DATA ? 22 : 7);
    for (const r of results) expect(r.worst, `${r.name}.${r.format}`).toBeLessThan(1e-4);
    expect(new Set(results.map((r) => r.kind))).toEqual(new Set(HAS_FULL_DATA ? ['mlp', 'cnn', 'cnn2head', 'rnn'] : ['mlp', 'cnn2head', 'rnn']));
    expect(results.some((r) => r.norm)).toBe(true);
  });

  it('agrees with the JS forward on real digits: mlp probabilities, and cnn2head (standardized) per head', async () => {
    const digits = readBundledMnistSplit('test', 48);
    const mlp = await jsModel('mlp_leaky_32.safetensors');
    const js = predictProbs(mlp, digits.pixels, 48);
    const py = runCheck<{ logits: number[][] }>(['predict', path.join(REPO_PYTORCH_FIXTURES, 'mlp_leaky_32.safetensors')],
      { pixels: { shape: [48, 28, 28], data: Array.from(digits.pixels) } });
    expect(maxAbsDiff(js, py.logits.flatMap(softmax))).toBeLessThan(1e-5);

    const pairs = digitPairs(digits.pixels, 24);
    const cnn = await jsModel('cnn2head_pad1_8_16_64.safetensors');
    expect(cnn.norm).toBeTruthy();
    const joint = predictProbs(cnn, pairs, 24);
    const heads = runCheck<{ tens: number[][]; ones: number[][] }>(['predict', path.join(REPO_PYTORCH_FIXTURES, 'cnn2head_pad1_8_16_64.safetensors')],
      { pixels: { shape: [24, 28, 56], data: Array.from(pairs) } });
    const fromHeads = heads.tens.flatMap((t, n) => {
      const pt = softmax(t), po = softmax(heads.ones[n]);
      return Array.from({ length: 100 }, (_, k) => pt[Math.floor(k / 10)] * po[k % 10]);
    });
    expect(maxAbsDiff(joint, fromHeads)).toBeLessThan(1e-5);
  });

  it('encodes drawings step for step like the JS encoder (max_len truncation included) and agrees on the probabilities', async () => {
    const model = (await jsModel('rnn_h8_l1.safetensors')) as RnnModel;
    const { max_len, delta_scale } = model.config;
    const drawings = [...madeDrawings(), ...['cat', 'fish', 'snake', 'owl'].flatMap((c) => readQuickDrawSampleDrawings(c, 3))];
    expect(drawings.some((d) => d.reduce((n, [xs]) => n + xs.length, 0) > max_len)).toBe(true);
    const py = runCheck<{ logits: number[][]; seqs: number[][]; lengths: number[] }>(
      ['predict', path.join(REPO_PYTORCH_FIXTURES, 'rnn_h8_l1.safetensors')], { drawings });
    for (let i = 0; i < drawings.length; i++) {
      const { data, length } = encodeStroke3(drawings[i], max_len, delta_scale);
      expect(py.lengths[i]).toBe(length);
      expect(Float32Array.from(py.seqs[i])).toEqual(data);
      const probs = await predictDrawing(model, drawings[i]);
      expect(maxAbsDiff(probs, softmax(py.logits[i]))).toBeLessThan(1e-5);
    }
  });
});
