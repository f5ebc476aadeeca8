import { describe, expect, it } from 'vitest';
import { intOption, parseArgs, stringOption } from './args';

describe('parseArgs', () => {
  it('splits positionals from options', () => {
    const a = parseArgs(['train', 'mlp', '--data', 'd', '--epochs', '3', '--json', 'x']);
    expect(a.positional).toEqual(['train', 'mlp', 'x']);
    expect(stringOption(a, 'data')).toBe('d');
    expect(intOption(a, 'epochs')).toBe(3);
    expect(a.options.get('json')).toBe(true);
  });
  it('accepts --k=v and rejects bad integers', () => {
    const a = parseArgs(['--limit=12', '--seed', 'x1']);
    expect(intOption(a, 'limit')).toBe(12);
    expect(() => intOption(a, 'seed')).toThrow(/--seed must be a non-negative integer/);
    expect(intOption(a, 'missing', 5)).toBe(5);
  });
});
