import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../kernels/cpu';
import type { Param } from '../types';
import { ColumnBlocks } from './gru-columns';
import { batchFirstToTimeMajor, SequencePacker } from './gru-input';
import { tiledBiGruCheck } from './gru-tiling-check';
import { DropsRowsPast16 } from '../../kernels/webgl2/testing/tiling-check';

describe('SequencePacker', () => {
  it('packs batch-first [B,T,3] into time-major rows t·B + b, zeroing steps past each length', () => {
    const backend = new CpuBackend({ precision: 'f64' });
    const packer = new SequencePacker(backend);
    // Sequence b, step t, feature f holds 100b + 10t + f.
    const seqs = Float64Array.from({ length: 2 * 3 * 3 }, (_, i) => 100 * Math.floor(i / 9) + 10 * Math.floor((i % 9) / 3) + (i % 3));
    const packed = packer.packBatchFirst(seqs, BigInt64Array.from([3n, 2n]), 2, 3);
    expect(packed.input.shape).toEqual([6, 3]);
    expect(Array.from(backend.readSync(packed.input))).toEqual([
      0, 1, 2, 100, 101, 102,
      10, 11, 12, 110, 111, 112,
      20, 21, 22, 0, 0, 0,
    ]);
    expect(Array.from(backend.readSync(packed.lengths))).toEqual([3, 2]);
    const raw = new Float64Array(18);
    batchFirstToTimeMajor(seqs, 2, 3, 3, null, raw);
    expect(raw[15]).toBe(120);
  });

  it('packs a list of variable-length sequences, truncating to `steps`, and reuses tensors per shape', () => {
    const backend = new CpuBackend();
    const packer = new SequencePacker(backend);
    const a = packer.packList([[1, 2, 3, 4, 5, 6, 7, 8, 9], [9, 8, 7]], 2);
    expect(Array.from(backend.readSync(a.input))).toEqual([1, 2, 3, 9, 8, 7, 4, 5, 6, 0, 0, 0]);
    expect(Array.from(backend.readSync(a.lengths))).toEqual([2, 1]);
    const live = backend.liveTensors();
    const b = packer.packList([[1, 1, 1], [2, 2, 2, 3, 3, 3]]);
    expect(b.input).toBe(a.input);
    expect(Array.from(backend.readSync(b.input))).toEqual([1, 1, 1, 2, 2, 2, 0, 0, 0, 3, 3, 3]);
    expect(backend.liveTensors()).toBe(live);
    packer.dispose();
    expect(backend.liveTensors()).toBe(0);
  });

  it('refuses empty drawings, ragged steps and lengths outside 1..T', () => {
    const packer = new SequencePacker(new CpuBackend());
    expect(() => packer.packList([[1, 2, 3], []])).toThrow('sequence 1 is empty');
    expect(() => packer.packList([[1, 2]])).toThrow('sequence 0: 2 values is not a whole number of 3-value steps');
    expect(() => packer.packList([])).toThrow('at least one sequence');
    expect(() => packer.packBatchFirst(new Float64Array(6), [2, 0], 2, 1)).toThrow('sequence 0: length 2 must be an integer from 1 to 1');
    expect(() => packer.packBatchFirst(new Float64Array(6), [1, 0], 2, 1)).toThrow('sequence 1: length 0');
    expect(() => packer.packBatchFirst(new Float64Array(5), [1, 1], 2, 1)).toThrow('expected 2×1×3 = 6 values, got 5');
  });
});

describe('ColumnBlocks', () => {
  it('cuts W [2,4] into two [2,2] blocks and scatters block gradients back into W.grad', () => {
    const backend = new CpuBackend({ precision: 'f64' });
    const param: Param = {
      name: 'w', decay: true,
      value: backend.tensor([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]),
      grad: backend.tensor([2, 4], [0, 0, 0, 0, 0, 0, 0, 100]),
    };
    const blocks = new ColumnBlocks(backend, param, 2);
    blocks.refresh();
    expect(Array.from(backend.readSync(blocks.blocks[0]))).toEqual([1, 2, 5, 6]);
    expect(Array.from(backend.readSync(blocks.blocks[1]))).toEqual([3, 4, 7, 8]);
    // dy [1,2] = (1, 2), x [1,2] = (3, 4): block gradient dyᵀx = [[3,4],[6,8]] lands in columns 2..3.
    blocks.accumulateGrad(1, backend.tensor([1, 2], [1, 2]), backend.tensor([1, 2], [3, 4]));
    expect(Array.from(backend.readSync(param.grad))).toEqual([0, 0, 3, 4, 0, 0, 6, 108]);
    expect(() => new ColumnBlocks(backend, { ...param, name: 'odd' }, 3)).toThrow('odd: [2,4] cannot be cut into 3 equal column blocks');
  });
});

describe('tiledBiGruCheck (the BiGRU part of the WebGL2 tiling check)', () => {
  it('finds logits, loss and every gradient equal on two CPU backends, and shows a matmul that loses rows', async () => {
    const results = await tiledBiGruCheck(new CpuBackend(), new CpuBackend());
    expect(results.map((r) => r.name)).toContain('bigru grad gru.weight_ih_l1_reverse');
    expect(results).toHaveLength(2 + 2 * 2 * 4 + 2);
    for (const r of results) {
      expect(r.maxDiff, r.name).toBe(0);
      expect(r.maxAbs, r.name).toBeGreaterThan(0);
    }
    const broken = await tiledBiGruCheck(new DropsRowsPast16(), new CpuBackend());
    expect(broken.find((r) => r.name === 'bigru logits')!.maxDiff).toBeGreaterThan(1e-4);
  });
});
