import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, parseBenchArgs, parseTimingValue } from './args';
import { describeJob, jobBudgetMs, MATMUL_TIMING, planJobs } from './plan';
import { BENCH_IMPLS, MATMUL_IMPLS } from './protocol';

describe('parseBenchArgs', () => {
  it('defaults to the MLP on every implementation, no JSON file', () => {
    const a = parseBenchArgs([]);
    expect(a.models).toEqual(['mlp']);
    expect(a.impls).toEqual([...BENCH_IMPLS]);
    expect(a.impls).toContain('scratchnet-wasm');
    expect(a.impls).toContain('scratchnet-webgl2');
    expect(a.jsonPath).toBeUndefined();
    expect(a.timing).toEqual(DEFAULT_TIMING);
    expect(a.matmul).toBe(true);
  });

  it('reads --models, --impls and --json, in either spelling', () => {
    const a = parseBenchArgs(['--models', 'mlp,cnn,rnn', '--json=out.json', '--impls', 'tfjs-cpu, scratchnet-webgl2']);
    expect(a.models).toEqual(['mlp', 'cnn', 'rnn']);
    expect(a.impls).toEqual(['tfjs-cpu', 'scratchnet-webgl2']);
    expect(a.jsonPath).toBe('out.json');
  });

  it('applies a plain timing value to every model', () => {
    const a = parseBenchArgs(['--models', 'cnn,cnn', '--warmup-ms', '0', '--measure-ms', '100', '--min-steps', '3', '--no-matmul']);
    expect(a.models).toEqual(['cnn']);
    for (const t of Object.values(a.timing)) expect(t).toMatchObject({ warmupMs: 0, measureMs: 100, minSteps: 3 });
    expect(a.matmul).toBe(false);
  });

  it('applies model=value timing to those models only', () => {
    const a = parseBenchArgs(['--max-ms', 'rnn=40000,cnn=25000', '--warmup-steps=mlp=5']);
    expect(a.timing.rnn.maxMs).toBe(40000);
    expect(a.timing.cnn.maxMs).toBe(25000);
    expect(a.timing.mlp.maxMs).toBe(DEFAULT_TIMING.mlp.maxMs);
    expect(a.timing.mlp.warmupSteps).toBe(5);
    expect(a.timing.rnn.warmupSteps).toBe(DEFAULT_TIMING.rnn.warmupSteps);
  });

  it('gives the slow nets a few steps and a cap, the MLP many steps', () => {
    for (const model of ['cnn', 'rnn'] as const) {
      const t = DEFAULT_TIMING[model];
      expect(t.minSteps).toBeGreaterThanOrEqual(2);
      expect(t.minSteps).toBeLessThanOrEqual(3);
      expect(t.maxMs).toBeLessThanOrEqual(20000);
    }
    expect(DEFAULT_TIMING.mlp.minSteps).toBeGreaterThanOrEqual(20);
  });

  it('raises maxMs to at least measureMs, per model', () => {
    const a = parseBenchArgs(['--measure-ms', 'rnn=90000']);
    expect(a.timing.rnn.maxMs).toBe(90000);
    expect(a.timing.mlp.maxMs).toBe(DEFAULT_TIMING.mlp.maxMs);
  });

  it('does not share timing objects with the defaults', () => {
    parseBenchArgs(['--max-ms', '1']);
    expect(parseBenchArgs([]).timing).toEqual(DEFAULT_TIMING);
  });

  it('refuses unknown models, flags, missing values and bad numbers with a clear message', () => {
    expect(() => parseBenchArgs(['--models', 'mlp,transformer'])).toThrow(/--models: unknown "transformer"/);
    expect(() => parseBenchArgs(['--impls', 'torch'])).toThrow(/--impls: unknown "torch"/);
    expect(() => parseBenchArgs(['--json'])).toThrow('--json needs a value');
    expect(() => parseBenchArgs(['--json', '--models', 'mlp'])).toThrow('--json needs a value');
    expect(() => parseBenchArgs(['--models', ','])).toThrow(/comma-separated list/);
    expect(() => parseBenchArgs(['--min-steps', '-1'])).toThrow(/whole number/);
    expect(() => parseBenchArgs(['--max-ms', 'gan=3'])).toThrow(/--max-ms: unknown model "gan"/);
    expect(() => parseBenchArgs(['--max-ms', 'rnn=3,cnn'])).toThrow(/expected model=number, got "cnn"/);
    expect(() => parseBenchArgs(['--max-ms', 'rnn='])).toThrow(/whole number/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
  });
});

describe('parseTimingValue', () => {
  it('reads one number for all models or a per-model list', () => {
    expect(parseTimingValue('--x', '7')).toEqual({ mlp: 7, cnn: 7, rnn: 7 });
    expect(parseTimingValue('--x', ' rnn = 8 , mlp=1')).toEqual({ rnn: 8, mlp: 1 });
  });
});

describe('planJobs', () => {
  it('plans every model × impl with A2 batch sizes and that model’s timing, then matmul for the chosen impls', () => {
    const args = parseBenchArgs(['--models', 'mlp,rnn', '--impls', 'scratchnet-wasm,tfjs-webgl']);
    const jobs = planJobs(args);
    expect(jobs.map(describeJob)).toEqual([
      'mlp on scratchnet-wasm (batch 128)',
      'mlp on tfjs-webgl (batch 128)',
      'rnn on scratchnet-wasm (batch 64)',
      'rnn on tfjs-webgl (batch 64)',
      'matmul 512³ on scratchnet-wasm',
      'matmul 512³ on tfjs-webgl',
    ]);
    expect(jobs[0].timing).toEqual(DEFAULT_TIMING.mlp);
    expect(jobs[2].timing).toEqual(DEFAULT_TIMING.rnn);
    expect(jobs[4].timing).toEqual(MATMUL_TIMING);
  });

  it('times matmul on every impl by default and not at all with --no-matmul', () => {
    const all = planJobs(parseBenchArgs([])).filter((j) => j.kind === 'matmul').map((j) => j.impl);
    expect(all).toEqual([...MATMUL_IMPLS]);
    expect(all).toEqual(expect.arrayContaining(['scratchnet-wasm', 'scratchnet-webgl2']));
    expect(planJobs(parseBenchArgs(['--no-matmul'])).some((j) => j.kind === 'matmul')).toBe(false);
  });

  it('waits for a job longer than its own warm-up plus cap', () => {
    const [job] = planJobs(parseBenchArgs(['--models', 'rnn', '--impls', 'tfjs-cpu', '--no-matmul']));
    expect(jobBudgetMs(job)).toBeGreaterThan(job.timing.warmupMs + job.timing.maxMs);
  });
});

describe('--workers', () => {
  it('plans each worker count for the impls that train data-parallel, one plain row for the others', () => {
    const a = parseBenchArgs(['--models', 'cnn', '--impls', 'scratchnet-wasm,tfjs-wasm', '--workers', '1,2', '--no-matmul']);
    expect(a.workers).toEqual([1, 2]);
    const jobs = planJobs(a);
    expect(jobs.map((j) => (j.kind === 'train' ? [j.impl, j.workers] : null))).toEqual([
      ['scratchnet-wasm', 1], ['scratchnet-wasm', 2], ['tfjs-wasm', undefined],
    ]);
    expect(describeJob(jobs[1])).toBe('cnn on scratchnet-wasm (batch 256, 2 workers)');
  });

  it('leaves jobs without a worker count by default and refuses bad counts', () => {
    expect(planJobs(parseBenchArgs(['--no-matmul'])).every((j) => j.kind === 'train' && j.workers === undefined)).toBe(true);
    for (const bad of ['0', '2,x', '17', '']) {
      expect(() => parseBenchArgs(['--workers', bad])).toThrow(/--workers/);
    }
  });
});
