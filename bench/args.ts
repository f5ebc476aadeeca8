import {
  BENCH_IMPLS, BENCH_MODELS, type BenchImplName, type BenchModel, type TimingOptions,
} from './protocol';

export interface BenchArgs {
  models: BenchModel[];
  impls: BenchImplName[];
  /** Where to write the JSON report; undefined = table only. */
  jsonPath?: string;
  timing: TimingOptions;
  matmul: boolean;
}

export const DEFAULT_TIMING: TimingOptions = { warmupMs: 2000, measureMs: 5000, minSteps: 20, maxMs: 60000 };

export const USAGE = `usage: npm run bench -- [--models mlp,cnn,rnn] [--impls ${BENCH_IMPLS.join(',')}] [--json FILE]
                      [--warmup-ms N] [--measure-ms N] [--min-steps N] [--max-ms N] [--no-matmul]`;

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

function parseCount(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number ≥ 0, got "${value}"`);
  return n;
}

function takeValue(argv: readonly string[], i: number, flag: string): string {
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
  return value;
}

/** Parses the bench's command line (everything after `npm run bench --`). Throws on bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    models: ['mlp'], impls: [...BENCH_IMPLS], timing: { ...DEFAULT_TIMING }, matmul: true,
  };
  const timingFlags: Record<string, keyof TimingOptions> = {
    '--warmup-ms': 'warmupMs', '--measure-ms': 'measureMs', '--min-steps': 'minSteps', '--max-ms': 'maxMs',
  };
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
    else if (flag in timingFlags) args.timing[timingFlags[flag]] = parseCount(flag, value());
    else throw new Error(`unknown argument "${argv[i]}"\n${USAGE}`);
  }
  if (args.timing.maxMs < args.timing.measureMs) args.timing.maxMs = args.timing.measureMs;
  return args;
}

/** `--flag=value` → ['--flag', 'value']; `--flag` → ['--flag', undefined]. */
function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  if (!arg.startsWith('--') || eq < 0) return [arg, undefined];
  return [arg.slice(0, eq), arg.slice(eq + 1)];
}
