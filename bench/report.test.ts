import { describe, expect, it } from 'vitest';
import {
  buildReport, formatReport, matmulRatio, matmulResult, referenceRatio, trainResult, type MachineInfo,
} from './report';
import { NOT_IMPLEMENTED } from './protocol';

const machine: MachineInfo = {
  cores: 8, cpuModel: 'Test CPU', platform: 'linux x64', userAgent: 'HeadlessChrome/1', browserCores: 8,
  crossOriginIsolated: true, date: '2025-01-01T00:00:00.000Z',
};
const ok = (steps: number, seconds: number) => ({ ok: true as const, measurement: { steps, seconds } });

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

describe('ratios', () => {
  const results = [
    trainResult('mlp', 'scratchnet-cpu', 128, ok(300, 2)), // 19200/s
    trainResult('mlp', 'tfjs-cpu', 128, ok(100, 2)), // 6400/s
    trainResult('mlp', 'tfjs-webgl', 128, { ok: false, error: 'no WebGL' }),
    trainResult('cnn', 'tfjs-cpu', 256, ok(10, 1)),
  ];

  it('divides scratchnet-cpu by the peer of the same model', () => {
    expect(referenceRatio(results, 'mlp', 'tfjs-cpu')).toBeCloseTo(3);
    expect(referenceRatio(results, 'mlp', 'scratchnet-cpu')).toBe(1);
  });

  it('has no ratio when either side has no figure', () => {
    expect(referenceRatio(results, 'mlp', 'tfjs-webgl')).toBeUndefined();
    expect(referenceRatio(results, 'cnn', 'tfjs-cpu')).toBeUndefined();
  });

  it('computes matmul GFLOP/s and its ratio', () => {
    const mm = [matmulResult('scratchnet-cpu', 512, ok(40, 1)), matmulResult('tfjs-cpu', 512, ok(10, 1))];
    expect(mm[0]).toMatchObject({ impl: 'scratchnet-cpu', n: 512, gflops: 10.74, reps: 40 });
    expect(matmulRatio(mm, 'tfjs-cpu')).toBeCloseTo(4, 1);
  });
});

describe('report', () => {
  const report = buildReport(machine, [
    trainResult('mlp', 'scratchnet-cpu', 128, ok(300, 2)),
    trainResult('mlp', 'tfjs-cpu', 128, ok(100, 2)),
    trainResult('rnn', 'tfjs-cpu', 64, { ok: false, error: NOT_IMPLEMENTED }),
  ], [matmulResult('tfjs-wasm', 512, { ok: false, error: 'wasm failed' })]);

  it('serializes to the A2 JSON shape', () => {
    const json = JSON.parse(JSON.stringify(report));
    expect(Object.keys(json.machine)).toEqual(expect.arrayContaining(['cores', 'userAgent', 'date']));
    expect(json.results[0]).toMatchObject({ model: 'mlp', impl: 'scratchnet-cpu', batch: 128, examples_per_sec: 19200 });
    expect(json.results[2]).toEqual({ model: 'rnn', impl: 'tfjs-cpu', batch: 64, error: NOT_IMPLEMENTED });
    expect(json.matmul[0]).toEqual({ impl: 'tfjs-wasm', n: 512, error: 'wasm failed' });
  });

  it('prints figures, ratios and errors in the table', () => {
    const text = formatReport(report);
    expect(text).toMatch(/mlp\s+tfjs-cpu\s+128\s+6400\.0\s+3\.00×/);
    expect(text).toMatch(/mlp\s+scratchnet-cpu\s+128\s+19200\.0\s+\(reference\)/);
    expect(text).toContain(`error: ${NOT_IMPLEMENTED}`);
    expect(text).toContain('error: wasm failed');
    expect(text).toContain('Test CPU');
  });
});
