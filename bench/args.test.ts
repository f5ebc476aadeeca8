import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, parseBenchArgs } from './args';
import { describeJob, planJobs } from './plan';
import { BENCH_IMPLS, MATMUL_IMPLS } from './protocol';

describe('parseBenchArgs', () => {
  it('defaults to the MLP on every implementation, no JSON file', () => {
    const a = parseBenchArgs([]);
    expect(a.models).toEqual(['mlp']);
    expect(a.impls).toEqual([...BENCH_IMPLS]);
    expect(a.jsonPath).toBeUndefined();
    expect(a.timing).toEqual(DEFAULT_TIMING);
    expect(a.matmul).toBe(true);
  });

  it('reads --models, --impls and --json, in either spelling', () => {
    const a = parseBenchArgs(['--models', 'mlp,cnn,rnn', '--json=out.json', '--impls', 'tfjs-cpu, scratchnet-cpu']);
    expect(a.models).toEqual(['mlp', 'cnn', 'rnn']);
    expect(a.impls).toEqual(['tfjs-cpu', 'scratchnet-cpu']);
    expect(a.jsonPath).toBe('out.json');
  });

  it('drops duplicates and reads timing flags', () => {
    const a = parseBenchArgs(['--models', 'cnn,cnn', '--warmup-ms', '0', '--measure-ms', '100', '--min-steps', '3', '--no-matmul']);
    expect(a.models).toEqual(['cnn']);
    expect(a.timing).toMatchObject({ warmupMs: 0, measureMs: 100, minSteps: 3 });
    expect(a.matmul).toBe(false);
  });

  it('raises maxMs to at least measureMs', () => {
    expect(parseBenchArgs(['--measure-ms', '90000']).timing.maxMs).toBe(90000);
  });

  it('refuses unknown models, flags, missing values and bad numbers with a clear message', () => {
    expect(() => parseBenchArgs(['--models', 'mlp,transformer'])).toThrow(/--models: unknown "transformer"/);
    expect(() => parseBenchArgs(['--impls', 'torch'])).toThrow(/--impls: unknown "torch"/);
    expect(() => parseBenchArgs(['--json'])).toThrow('--json needs a value');
    expect(() => parseBenchArgs(['--json', '--models', 'mlp'])).toThrow('--json needs a value');
    expect(() => parseBenchArgs(['--models', ','])).toThrow(/comma-separated list/);
    expect(() => parseBenchArgs(['--min-steps', '-1'])).toThrow(/whole number/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
  });
});

describe('planJobs', () => {
  it('plans every model × impl with A2 batch sizes, then matmul for the chosen impls that have one', () => {
    const jobs = planJobs(parseBenchArgs(['--models', 'mlp,rnn', '--impls', 'scratchnet-cpu,tfjs-webgl']));
    expect(jobs.map(describeJob)).toEqual([
      'mlp on scratchnet-cpu (batch 128)',
      'mlp on tfjs-webgl (batch 128)',
      'rnn on scratchnet-cpu (batch 64)',
      'rnn on tfjs-webgl (batch 64)',
      'matmul 512³ on scratchnet-cpu',
    ]);
  });

  it('times matmul on every matmul impl by default and not at all with --no-matmul', () => {
    const all = planJobs(parseBenchArgs([])).filter((j) => j.kind === 'matmul').map((j) => j.impl);
    expect(all).toEqual([...MATMUL_IMPLS]);
    expect(planJobs(parseBenchArgs(['--no-matmul'])).some((j) => j.kind === 'matmul')).toBe(false);
  });
});
