/**
 * Tiny argv parser: positionals plus `--flag value` / `--flag` (boolean) options. The training
 * flags are read by the settings schemas (commands/overrides.ts); these read the rest.
 */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['json', 'help']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      options.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const name = arg.slice(2);
    const next = argv[i + 1];
    if (BOOLEAN_FLAGS.has(name) || next === undefined || next.startsWith('--')) {
      options.set(name, true);
    } else {
      options.set(name, next);
      i++;
    }
  }
  return { positional, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  if (v === true) throw new Error(`--${name} needs a value`);
  return v;
}

export function intOption(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new Error(`--${name} must be one of ${choices.join(', ')}, got "${v}"`);
  return v as T;
}

/** `--name on|off` as a boolean; absent gives the fallback. */
export function onOffOption(args: ParsedArgs, name: string, fallback: boolean): boolean {
  const v = choiceOption(args, name, ['on', 'off'] as const);
  return v === undefined ? fallback : v === 'on';
}
