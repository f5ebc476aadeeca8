import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeWeights, encodeWeights } from '../../io/weights';
import { readNpz } from '../../io/npz';
import { CpuBackend } from '../../kernels/cpu';
import { Rng } from '../../kernels/rng';
import { itWithFixtures } from '../../train/testing/full-data-tests';
import { pytorchFixturePath } from '../../train/testing/shared-data';
import { batchFirstToTimeMajor, SequencePacker } from '../layers/gru-input';
import { loadStateDict, modelFromWeights, stateDictOf } from '.';
import { RnnModel, rnnConfigFromWeights } from './rnn';

const RNN_FIXTURES = ['rnn_h8_l1', 'rnn_h16_l2', 'rnn_h64_l2', 'rnn_h8_l3'];

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(pytorchFixturePath(name)));
}

async function loadIo(name: string) {
  const io = await readNpz(fixture(`${name}.io.npz`));
  const seqs = io.get('seqs')!, lengths = io.get('lengths')!, torch64 = io.get('torch64')!;
  const [count, steps] = seqs.shape;
  return {
    seqs: seqs.data as Float64Array, lengths: lengths.data as BigInt64Array,
    torch64: torch64.data as Float64Array, count, steps, classes: torch64.shape[1],
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('PyTorch cross-check (docs/weights.md, rnn fixtures)', () => {
  for (const name of RNN_FIXTURES) {
    for (const format of ['safetensors', 'npz'] as const) {
      itWithFixtures([`${name}.${format}`, `${name}.io.npz`], `${name}.${format}: float32 logits match torch64 within 1e-4`, async () => {
        const weights = await decodeWeights(fixture(`${name}.${format}`));
        const io = await loadIo(name);
        const backend = new CpuBackend({ precision: 'f32' });
        const model = new RnnModel(backend, rnnConfigFromWeights(weights), 0);
        loadStateDict(model, weights.tensors);
        const packer = new SequencePacker(backend);
        const packed = packer.packBatchFirst(io.seqs, io.lengths, io.count, io.steps);
        const logits = model.forward(packed, false);
        expect(logits.shape).toEqual([io.count, io.classes]);
        expect(maxAbsDiff(backend.readSync(logits), io.torch64)).toBeLessThan(1e-4);
        model.dispose();
        packer.dispose();
        expect(backend.liveTensors()).toBe(0);
      });
    }

    itWithFixtures([`${name}.safetensors`, `${name}.io.npz`], `${name}: garbage beyond each length changes nothing`, async () => {
      const weights = await decodeWeights(fixture(`${name}.safetensors`));
      const io = await loadIo(name);
      const backend = new CpuBackend({ precision: 'f32' });
      const model = modelFromWeights(backend, weights) as RnnModel;
      const clean = new SequencePacker(backend).packBatchFirst(io.seqs, io.lengths, io.count, io.steps);
      const expected = Float64Array.from(backend.readSync(model.forward(clean, false)));
      const noisy = Float64Array.from(io.seqs);
      const rng = new Rng(5);
      for (let n = 0; n < io.count; n++) {
        for (let t = Number(io.lengths[n]); t < io.steps; t++) {
          for (let f = 0; f < 3; f++) noisy[(n * io.steps + t) * 3 + f] = (rng.next() - 0.5) * 1e4;
        }
      }
      const host = new Float64Array(noisy.length);
      batchFirstToTimeMajor(noisy, io.count, io.steps, 3, null, host);
      const x = backend.tensor([io.steps * io.count, 3], host);
      expect(backend.readSync(x).some((v, i) => v !== backend.readSync(clean.input)[i])).toBe(true);
      const got = backend.readSync(model.forward({ input: x, lengths: clean.lengths }, false));
      expect(Array.from(got)).toEqual(Array.from(expected));
      expect(maxAbsDiff(got, io.torch64)).toBeLessThan(1e-4);
    });
  }

  itWithFixtures(['rnn_h16_l2.npz', 'rnn_h16_l2.io.npz'], 'rnn_h16_l2: float64 logits match torch64 to 1e-10', async () => {
    const weights = await decodeWeights(fixture('rnn_h16_l2.npz'));
    const io = await loadIo('rnn_h16_l2');
    const backend = new CpuBackend({ precision: 'f64' });
    const model = modelFromWeights(backend, weights) as RnnModel;
    const packed = new SequencePacker(backend).packBatchFirst(io.seqs, io.lengths, io.count, io.steps);
    expect(maxAbsDiff(backend.readSync(model.forward(packed, false)), io.torch64)).toBeLessThan(1e-10);
  });
});

describe('rnn weight files', () => {
  itWithFixtures(['rnn_h8_l3.safetensors', 'rnn_h8_l3.io.npz'], 'state dict round trip: A1 names, values, and logits survive export → import', async () => {
    const original = await decodeWeights(fixture('rnn_h8_l3.safetensors'));
    const io = await loadIo('rnn_h8_l3');
    const backend = new CpuBackend();
    const model = modelFromWeights(backend, original) as RnnModel;
    const sd = stateDictOf(model);
    expect([...sd.keys()].sort()).toEqual([...original.tensors.keys()].sort());
    for (const [key, t] of original.tensors) {
      expect(sd.get(key)!.shape).toEqual(t.shape);
      expect(sd.get(key)!.data).toEqual(t.data);
    }
    expect(model.configJson()).toEqual(original.config);
    for (const format of ['safetensors', 'npz'] as const) {
      const bytes = encodeWeights({ model: 'rnn', config: model.configJson(), classes: original.classes, metrics: {}, tensors: sd }, format);
      const again = modelFromWeights(backend, await decodeWeights(bytes)) as RnnModel;
      const packed = new SequencePacker(backend).packBatchFirst(io.seqs, io.lengths, io.count, io.steps);
      expect(maxAbsDiff(backend.readSync(again.forward(packed, false)), io.torch64)).toBeLessThan(1e-4);
    }
  });

  it('a fresh model exports the A1 names in PyTorch order, with fc.bias last', () => {
    const model = new RnnModel(new CpuBackend(), { hidden: 4, layers: 2, max_len: 10, delta_scale: 5, outputSize: 3 }, 1);
    expect(model.params.map((p) => `${p.name}[${p.value.shape.join(',')}]`)).toEqual([
      'gru.weight_ih_l0[12,3]', 'gru.weight_hh_l0[12,4]', 'gru.bias_ih_l0[12]', 'gru.bias_hh_l0[12]',
      'gru.weight_ih_l0_reverse[12,3]', 'gru.weight_hh_l0_reverse[12,4]', 'gru.bias_ih_l0_reverse[12]', 'gru.bias_hh_l0_reverse[12]',
      'gru.weight_ih_l1[12,8]', 'gru.weight_hh_l1[12,4]', 'gru.bias_ih_l1[12]', 'gru.bias_hh_l1[12]',
      'gru.weight_ih_l1_reverse[12,8]', 'gru.weight_hh_l1_reverse[12,4]', 'gru.bias_ih_l1_reverse[12]', 'gru.bias_hh_l1_reverse[12]',
      'fc.weight[3,8]', 'fc.bias[3]',
    ]);
    // nn.GRU's init: everything inside ±1/√H, and not all zero.
    const values = model.params.slice(0, 16).flatMap((p) => Array.from(model.backend.readSync!(p.value)));
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.4);
  });

  itWithFixtures(['rnn_h16_l2.safetensors'], 'a file whose tensors do not fit its config is refused with the tensor named', async () => {
    const backend = new CpuBackend();
    const w = await decodeWeights(fixture('rnn_h16_l2.safetensors'));
    expect(() => modelFromWeights(backend, { ...w, config: { ...w.config, hidden: 8 } }))
      .toThrow('gru.weight_ih_l0: expected shape [24,3], file has [48,3]');
    expect(() => modelFromWeights(backend, { ...w, config: { ...w.config, layers: 3 } }))
      .toThrow('gru.weight_ih_l2: missing from the weight file');
    expect(() => modelFromWeights(backend, { ...w, config: { ...w.config, hidden: 'big' } }))
      .toThrow('rnn config: "hidden" must be a positive integer, got "big"');
    expect(backend.liveTensors()).toBe(0);
  });
});
