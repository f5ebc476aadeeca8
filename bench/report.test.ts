import { describe, expect, it } from 'vitest';
import {
  bestPeer, buildReport, compareAll, formatReport, matmulResult, trainResult, type MachineInfo,
} from './report';
import { NOT_IMPLEMENTED } from './protocol';

const machine: MachineInfo = {
  cores: 8, cpuModel: 'Test CPU', platform: 'linux x64', userAgent: 'HeadlessChrome/1', browserCores: 8,
  crossOriginIsolated: true, date: '2025-01-01T00:00:00.000Z',
};
const ok = (steps: number, seconds: number, detail?: string) => ({ ok: true as const, measurement: { steps, seconds }, detail });

describe('trainResult', () => {
  it('turns steps and seconds into examples per second', () => {
    expect(trainResult('mlp', 'tfjs-cpu', 128, ok(100, 4))).toEqual({
      model: 'mlp', impl: 'tfjs-cpu', batch: 128, examples_per_sec: 3200, steps: 100, seconds: 4,
    });
  });

  it('carries an error instead of a figure', () => {
    const r = trainResult('cnn', 'tfjs-wasm', 256, { ok: false, error: NOT_IMPLEMENTED });
    expect(r).toEqual({ model: 'cnn', impl: 'tfjs-wasm', batch: 256, error: NOT_IMPLEMENTED });
    expect('examples_per_sec' in r).toBe(false);
  });

  it('refuses an empty measurement', () => {
    expect(trainResult('mlp', 'tfjs-cpu', 128, ok(0, 0))).toMatchObject({ error: 'no steps were timed' });
  });
});

describe('comparisons', () => {
  const results = [
    trainResult('mlp', 'scratchnet-cpu', 128, ok(300, 2)), // 19200/s
    trainResult('mlp', 'scratchnet-wasm', 128, ok(600, 2)), // 38400/s
    trainResult('mlp', 'tfjs-cpu', 128, ok(100, 2)), // 6400/s
    trainResult('mlp', 'tfjs-wasm', 128, ok(200, 2)), // 12800/s
    trainResult('mlp', 'tfjs-webgl', 128, { ok: false, error: 'no WebGL' }),
    trainResult('cnn', 'scratchnet-webgl2', 256, ok(4, 1)), // 1024/s
    trainResult('cnn', 'tfjs-cpu', 256, ok(2, 1)), // 512/s
    trainResult('cnn', 'tfjs-webgl', 256, ok(8, 1)), // 2048/s
    trainResult('rnn', 'scratchnet-cpu', 64, ok(3, 15)),
    trainResult('rnn', 'tfjs-wasm', 64, { ok: false, error: 'Kernel not registered' }),
  ];
  const cmp = compareAll(results, []);
  const find = (model: string, impl: string, basis: string) => cmp.find((c) => c.model === model && c.impl === impl && c.basis === basis);

  it('divides each scratchnet impl by the fastest peer of the same model', () => {
    expect(find('mlp', 'scratchnet-cpu', 'best-peer')).toEqual({
      model: 'mlp', impl: 'scratchnet-cpu', versus: 'tfjs-wasm', basis: 'best-peer', ratio: 1.5,
    });
    expect(find('mlp', 'scratchnet-wasm', 'best-peer')?.ratio).toBe(3);
    expect(find('cnn', 'scratchnet-webgl2', 'best-peer')).toMatchObject({ versus: 'tfjs-webgl', ratio: 0.5 });
  });

  it('also divides by tfjs-cpu on the MLP only', () => {
    expect(find('mlp', 'scratchnet-cpu', 'baseline')).toMatchObject({ versus: 'tfjs-cpu', ratio: 3 });
    expect(find('mlp', 'scratchnet-wasm', 'baseline')).toMatchObject({ versus: 'tfjs-cpu', ratio: 6 });
    expect(find('cnn', 'scratchnet-webgl2', 'baseline')).toBeUndefined();
  });

  it('compares nothing when no peer has a figure, and never a peer with a peer', () => {
    expect(cmp.filter((c) => c.model === 'rnn')).toEqual([]);
    expect(cmp.every((c) => c.impl.startsWith('scratchnet-') && c.versus.startsWith('tfjs-'))).toBe(true);
  });

  it('picks the best peer among peers only', () => {
    expect(bestPeer([{ impl: 'scratchnet-wasm', value: 99 }, { impl: 'tfjs-cpu', value: 2 }, { impl: 'tfjs-wasm', value: 5 }]))
      .toEqual({ impl: 'tfjs-wasm', value: 5 });
    expect(bestPeer([{ impl: 'scratchnet-cpu', value: 1 }])).toBeUndefined();
  });

  it('computes matmul GFLOP/s and compares it with the best peer', () => {
    const mm = [
      matmulResult('scratchnet-cpu', 512, ok(40, 1)),
      matmulResult('scratchnet-webgl2', 512, ok(80, 1)),
      matmulResult('tfjs-cpu', 512, ok(10, 1)),
      matmulResult('tfjs-wasm', 512, ok(20, 1)),
    ];
    expect(mm[0]).toMatchObject({ impl: 'scratchnet-cpu', n: 512, gflops: 10.74, reps: 40 });
    const m = compareAll([], mm);
    expect(m.map((c) => [c.impl, c.versus])).toEqual([['scratchnet-cpu', 'tfjs-wasm'], ['scratchnet-webgl2', 'tfjs-wasm']]);
    expect(m[0].ratio).toBeCloseTo(2, 2);
    expect(m[1].ratio).toBeCloseTo(4, 2);
    expect(m.every((c) => c.model === 'matmul' && c.basis === 'best-peer')).toBe(true);
  });
});

describe('report', () => {
  const report = buildReport(machine, [
    trainResult('mlp', 'scratchnet-cpu', 128, ok(300, 2, 'CpuBackend f32')),
    trainResult('mlp', 'tfjs-cpu', 128, ok(100, 2)),
    trainResult('mlp', 'tfjs-wasm', 128, ok(200, 2)),
    trainResult('rnn', 'scratchnet-wasm', 64, ok(3, 6)),
    trainResult('rnn', 'tfjs-cpu', 64, ok(2, 8)),
    trainResult('cnn', 'tfjs-wasm', 256, { ok: false, error: 'Kernel Conv2DBackpropFilter not registered' }),
  ], [matmulResult('tfjs-wasm', 512, { ok: false, error: 'wasm failed' }), matmulResult('scratchnet-wasm', 512, ok(50, 1))]);

  it('serializes to the A2 JSON shape with the comparisons beside it', () => {
    const json = JSON.parse(JSON.stringify(report));
    expect(Object.keys(json.machine)).toEqual(expect.arrayContaining(['cores', 'userAgent', 'date']));
    expect(json.results[0]).toMatchObject({ model: 'mlp', impl: 'scratchnet-cpu', batch: 128, examples_per_sec: 19200 });
    expect(json.results[5]).toEqual({ model: 'cnn', impl: 'tfjs-wasm', batch: 256, error: 'Kernel Conv2DBackpropFilter not registered' });
    expect(json.matmul[0]).toEqual({ impl: 'tfjs-wasm', n: 512, error: 'wasm failed' });
    expect(json.comparisons).toContainEqual({ model: 'rnn', impl: 'scratchnet-wasm', versus: 'tfjs-cpu', basis: 'best-peer', ratio: 2 });
  });

  it('prints figures, ratios against the best peer and tfjs-cpu, and errors in the table', () => {
    const text = formatReport(report);
    expect(text).toMatch(/mlp\s+scratchnet-cpu\s+128\s+19200\.0\s+1\.50× tfjs-wasm\s+3\.00×/);
    expect(text).toMatch(/rnn\s+scratchnet-wasm\s+64\s+32\.0\s+2\.00× tfjs-cpu\n/);
    expect(text).toMatch(/mlp\s+tfjs-cpu\s+128\s+6400\.0\n/);
    expect(text).toMatch(/cnn\s+tfjs-wasm\s+256\s+error \[1\]\n/);
    expect(text).toContain('[1] cnn on tfjs-wasm: Kernel Conv2DBackpropFilter not registered');
    expect(text).toMatch(/512³\s+scratchnet-wasm\s+13\.42\s+—/);
    expect(text).toContain('[1] matmul on tfjs-wasm: wasm failed');
    expect(text).toContain('scratchnet-cpu: CpuBackend f32');
    expect(text).toContain('Test CPU');
  });
});

describe('worker rows', () => {
  const rows = [
    trainResult('mlp', 'scratchnet-wasm', 128, ok(100, 1), 1),
    trainResult('mlp', 'scratchnet-wasm', 128, ok(150, 1), 2),
    trainResult('mlp', 'tfjs-wasm', 128, ok(50, 1)),
  ];

  it('carry their worker count into the JSON and compare each with the best peer', () => {
    expect(rows[1]).toMatchObject({ workers: 2, examples_per_sec: 19200 });
    expect('workers' in rows[2]).toBe(false);
    const best = compareAll(rows, []).filter((c) => c.basis === 'best-peer');
    expect(best.map((c) => [c.workers, c.ratio])).toEqual([[1, 2], [2, 3]]);
  });

  it('print a workers column and the 1 → N scaling', () => {
    const text = formatReport(buildReport(machine, rows, []));
    expect(text).toMatch(/workers/);
    expect(text).toContain('mlp on scratchnet-wasm: 1 → 2 workers ×1.50');
    expect(text).toMatch(/scratchnet-wasm\s+128\s+2\s+19200\.0\s+3\.00× tfjs-wasm/);
  });
});
