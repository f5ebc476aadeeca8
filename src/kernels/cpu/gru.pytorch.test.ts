/**
 * Cross-check of the GRU kernels against PyTorch (docs/weights.md, `rnn` fixtures): a bidirectional
 * GRU stack + classifier assembled here from gruForward, matmul and addRowVector reproduces
 * PyTorch's logits on packed variable-length sequences.
 *
 * Layer k > 0 reads concat(forward_t, backward_t) and the classifier reads concat(hLast_fwd,
 * hLast_bwd). There is no concat op: the weight is split by input columns instead and the two
 * halves accumulate (x·Wᵀ = x_f·W_fᵀ + x_b·W_bᵀ), which is how a layer can do it too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { readNpz } from '../../io/npz';
import { decodeWeights } from '../../io/weights';
import type { StateDict } from '../../nn/types';
import { gruCacheShape, type Tensor } from '../backend';
import { itWithFixtures } from '../../train/testing/full-data-tests';
import { pytorchFixturePath } from '../../train/testing/shared-data';
import { CpuBackend } from './index';

const fixtureFiles = (name: string) => [`${name}.safetensors`, `${name}.io.npz`];

/** Columns [from, from + count) of a row-major [rows, cols] matrix. */
function columns(data: Float32Array, rows: number, cols: number, from: number, count: number): Float32Array {
  const out = new Float32Array(rows * count);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols + from, r * cols + from + count), r * count);
  return out;
}

class BiGruRunner {
  private readonly owned: Tensor[] = [];

  constructor(
    private readonly b: CpuBackend, private readonly w: StateDict,
    private readonly hidden: number, private readonly steps: number, private readonly batch: number,
  ) {}

  tensor(shape: number[], data?: ArrayLike<number>): Tensor {
    const t = this.b.tensor(shape, data);
    this.owned.push(t);
    return t;
  }

  param(name: string): Float32Array {
    const p = this.w.get(name);
    if (!p) throw new Error(`missing ${name}`);
    return p.data;
  }

  /** xProj [T·B, 3H] = Σ_parts part · W[:, cols]ᵀ + b_ih, the weight split to match the parts. */
  project(parts: Tensor[], suffix: string): Tensor {
    const W = this.param(`gru.weight_ih_${suffix}`), H = this.hidden;
    const inputWidth = W.length / (3 * H);
    const xProj = this.tensor([this.steps * this.batch, 3 * H]);
    let from = 0;
    parts.forEach((part, i) => {
      const width = part.size / (this.steps * this.batch);
      const Wpart = this.tensor([3 * H, width], columns(W, 3 * H, inputWidth, from, width));
      this.b.matmul(part, Wpart, xProj, { transB: true, accumulate: i > 0 });
      from += width;
    });
    this.b.addRowVector(xProj, this.tensor([3 * H], this.param(`gru.bias_ih_${suffix}`)), xProj);
    return xProj;
  }

  direction(input: Tensor[], layer: number, reverse: boolean, lengths: Tensor): { hAll: Tensor; hLast: Tensor } {
    const suffix = `l${layer}${reverse ? '_reverse' : ''}`, H = this.hidden;
    const hAll = this.tensor([this.steps * this.batch, H]), hLast = this.tensor([this.batch, H]);
    this.b.gruForward({
      xProj: this.project(input, suffix),
      whh: this.tensor([3 * H, H], this.param(`gru.weight_hh_${suffix}`)),
      bhh: this.tensor([3 * H], this.param(`gru.bias_hh_${suffix}`)),
      lengths, reverse, hAll, hLast,
      cache: this.tensor(gruCacheShape(this.steps, this.batch, H)),
    });
    return { hAll, hLast };
  }

  logits(x: Tensor, lengths: Tensor, layers: number, classes: number): Float64Array {
    let input = [x];
    let last: Tensor[] = [];
    for (let k = 0; k < layers; k++) {
      const fwd = this.direction(input, k, false, lengths), bwd = this.direction(input, k, true, lengths);
      input = [fwd.hAll, bwd.hAll];
      last = [fwd.hLast, bwd.hLast];
    }
    const fcW = this.param('fc.weight'), H = this.hidden;
    const out = this.tensor([this.batch, classes]);
    last.forEach((h, i) => {
      const Wpart = this.tensor([classes, H], columns(fcW, classes, 2 * H, i * H, H));
      this.b.matmul(h, Wpart, out, { transB: true, accumulate: i > 0 });
    });
    this.b.addRowVector(out, this.tensor([classes], this.param('fc.bias')), out);
    const result = Float64Array.from(this.b.readSync(out));
    for (const t of this.owned.splice(0)) this.b.dispose(t);
    return result;
  }
}

async function runFixture(name: string, precision: 'f32' | 'f64') {
  const weights = await decodeWeights(readFileSync(pytorchFixturePath(`${name}.safetensors`)));
  const io = await readNpz(readFileSync(pytorchFixturePath(`${name}.io.npz`)));
  const seqs = io.get('seqs')!, lengthsArr = io.get('lengths')!, torch64 = io.get('torch64')!;
  const [batch, steps, features] = seqs.shape;
  const config = weights.config as { hidden: number; layers: number };
  // Batch-first [N,T,3] → time-major rows t·N + n.
  const timeMajor = new Float64Array(steps * batch * features);
  for (let n = 0; n < batch; n++) {
    for (let t = 0; t < steps; t++) {
      for (let f = 0; f < features; f++) timeMajor[(t * batch + n) * features + f] = Number(seqs.data[(n * steps + t) * features + f]);
    }
  }
  const b = new CpuBackend({ precision });
  const x = b.tensor([steps * batch, features], timeMajor);
  const lengths = b.tensor([batch], Array.from(lengthsArr.data as BigInt64Array, Number));
  const runner = new BiGruRunner(b, weights.tensors, config.hidden, steps, batch);
  const got = runner.logits(x, lengths, config.layers, torch64.shape[1]);
  b.dispose(x);
  b.dispose(lengths);
  expect(b.liveTensors()).toBe(0);
  let maxErr = 0;
  for (let i = 0; i < got.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - Number(torch64.data[i])));
  return maxErr;
}

describe('GRU kernels vs PyTorch nn.GRU (bidirectional, packed sequences)', () => {
  itWithFixtures(fixtureFiles('rnn_h8_l1'), 'rnn_h8_l1: float32 logits match torch64 within 1e-4', async () => {
    expect(await runFixture('rnn_h8_l1', 'f32')).toBeLessThan(1e-4);
  });

  itWithFixtures(fixtureFiles('rnn_h8_l1'), 'rnn_h8_l1: float64 logits match torch64 to 1e-12', async () => {
    expect(await runFixture('rnn_h8_l1', 'f64')).toBeLessThan(1e-12);
  });

  for (const name of ['rnn_h16_l2', 'rnn_h64_l2', 'rnn_h8_l3']) {
    itWithFixtures(fixtureFiles(name), `${name} (stacked layers): float32 logits match torch64 within 1e-4`, async () => {
      expect(await runFixture(name, 'f32')).toBeLessThan(1e-4);
    });
  }
});
