import {
  BENCH_IMPLS, BENCH_MODELS, type BenchImplName, type BenchModel, type TimingOptions,
} from './protocol';

export interface BenchArgs {
  models: BenchModel[];
  impls: BenchImplName[];
  /** Where to write the JSON report; undefined = table only. */
  jsonPath?: string;
  /** Timing of each model's training jobs. */
  timing: Record<BenchModel, TimingOptions>;
  matmul: boolean;
  /** Data-parallel worker counts to time for the scratchnet impls that support it; undefined = plain step only. */
  workers?: number[];
}

/**
 * Per model, so a fast net gets many steps and a slow one a bounded run: the MLP steps in
 * milliseconds, the RNN on a plain-JS CPU backend takes seconds per step (a handful of timed
 * steps, capped by maxMs, is all it needs for a rate).
 */
export const DEFAULT_TIMING: Readonly<Record<BenchModel, Readonly<TimingOptions>>> = {
  mlp: { warmupMs: 2000, warmupSteps: 2, measureMs: 5000, minSteps: 20, maxMs: 30000 },
  cnn: { warmupMs: 1000, warmupSteps: 1, measureMs: 4000, minSteps: 3, maxMs: 15000 },
  rnn: { warmupMs: 1000, warmupSteps: 1, measureMs: 4000, minSteps: 3, maxMs: 15000 },
};

const TIMING_FLAGS: Record<string, keyof TimingOptions> = {
  '--warmup-ms': 'warmupMs', '--warmup-steps': 'warmupSteps', '--measure-ms': 'measureMs',
  '--min-steps': 'minSteps', '--max-ms': 'maxMs',
};

export const USAGE = `usage: npm run bench -- [--models mlp,cnn,rnn] [--impls ${BENCH_IMPLS.join(',')}] [--json FILE]
                      [--warmup-ms T] [--warmup-steps T] [--measure-ms T] [--min-steps T] [--max-ms T] [--no-matmul]
                      [--workers 1,2]
  each timing value T is a number for every model, or per model: --max-ms rnn=30000,cnn=20000`;

function parseList<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new Error(`${flag} needs a comma-separated list (${allowed.join(', ')})`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new Error(`${flag}: unknown "${item}" (expected one of ${allowed.join(', ')})`);
    }
  }
  return [...new Set(items)] as T[];
}

/** `1,2,4` → [1, 2, 4]: data-parallel worker counts, each 1..16. */
function parseWorkers(flag: string, value: string): number[] {
  const counts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) {
    throw new Error(`${flag} needs a comma-separated list of worker counts from 1 to 16, got "${value}"`);
  }
  return [...new Set(counts)];
}

function parseCount(flag: string, value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number ≥ 0, got "${value}"`);
  return n;
}

/** `N` → N for every model; `rnn=N,cnn=M` → those models only. */
export function parseTimingValue(flag: string, value: string): Partial<Record<BenchModel, number>> {
  if (!value.includes('=')) return Object.fromEntries(BENCH_MODELS.map((m) => [m, parseCount(flag, value)]));
  const out: Partial<Record<BenchModel, number>> = {};
  for (const part of value.split(',')) {
    const [model, n, extra] = part.split('=');
    if (n === undefined || extra !== undefined) throw new Error(`${flag}: expected model=number, got "${part}"`);
    const name = model.trim();
    if (!(BENCH_MODELS as readonly string[]).includes(name)) {
      throw new Error(`${flag}: unknown model "${name}" (expected one of ${BENCH_MODELS.join(', ')})`);
    }
    out[name as BenchModel] = parseCount(flag, n);
  }
  return out;
}

function takeValue(argv: readonly string[], i: number, flag: string): string {
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
  return value;
}

function defaultTiming(): Record<BenchModel, TimingOptions> {
  return { mlp: { ...DEFAULT_TIMING.mlp }, cnn: { ...DEFAULT_TIMING.cnn }, rnn: { ...DEFAULT_TIMING.rnn } };
}

/** Parses the bench's command line (everything after `npm run bench --`). Throws on bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { models: ['mlp'], impls: [...BENCH_IMPLS], timing: defaultTiming(), matmul: true };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitInline(argv[i]);
    const value = (): string => {
      if (inline !== undefined) return inline;
      return takeValue(argv, i++, flag);
    };
    if (flag === '--models') args.models = parseList(flag, value(), BENCH_MODELS);
    else if (flag === '--impls') args.impls = parseList(flag, value(), BENCH_IMPLS);
    else if (flag === '--json') args.jsonPath = value();
    else if (flag === '--no-matmul') args.matmul = false;
    else if (flag === '--workers') args.workers = parseWorkers(flag, value());
    else if (flag in TIMING_FLAGS) {
      for (const [model, n] of Object.entries(parseTimingValue(flag, value()))) {
        args.timing[model as BenchModel][TIMING_FLAGS[flag]] = n;
      }
    } else throw new Error(`unknown argument "${argv[i]}"\n${USAGE}`);
  }
  for (const t of Object.values(args.timing)) t.maxMs = Math.max(t.maxMs, t.measureMs);
  return args;
}

/** `--flag=value` → ['--flag', 'value']; `--flag` → ['--flag', undefined]. */
function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  if (!arg.startsWith('--') || eq < 0) return [arg, undefined];
  return [arg.slice(0, eq), arg.slice(eq + 1)];
}
