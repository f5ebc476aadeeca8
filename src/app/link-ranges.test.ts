import { describe, expect, it } from 'vitest';
import { CNN_RANGES, DEFAULT_CNN_FORM, parseCnnForm, type CnnForm } from './cnn-hyperparams';
import { MAX_LINK_PAIRS, MAX_LINK_VALUE, ignoredText, linkPairs, readFormHash } from './form-link';
import { DEFAULT_FORM, MLP_RANGES, parseHyperForm, type HyperForm, type NumberRange, type ParseResult } from './mlp-hyperparams';
import { CNN_URL_KEYS, RNN_URL_KEYS, URL_KEYS, checkMlpForm } from './page-links';
import { DEFAULT_RNN_FORM, RNN_RANGES, parseRnnForm, type RnnForm } from './rnn-hyperparams';

const parseSettingsHash = (hash: string) => readFormHash(hash, URL_KEYS, DEFAULT_FORM, checkMlpForm);

const problemOf = (r: ParseResult<unknown>): string | null => (r.ok ? null : r.error);
const checkCnn = (f: CnnForm) => problemOf(parseCnnForm(f));
const checkRnn = (f: RnnForm) => problemOf(parseRnnForm(f));
const eightWide = new Array<number>(8).fill(4096).join(',');

/** Every declared range, its form's defaults and parse: the form, the link and the memory check all read these. */
const FORMS = [
  { name: 'MLP', ranges: MLP_RANGES as Record<string, NumberRange>, check: (f: object) => problemOf(parseHyperForm(f as HyperForm)), base: DEFAULT_FORM },
  { name: 'CNN', ranges: CNN_RANGES as Record<string, NumberRange>, check: (f: object) => checkCnn(f as CnnForm), base: DEFAULT_CNN_FORM },
  { name: 'RNN', ranges: RNN_RANGES as Record<string, NumberRange>, check: (f: object) => checkRnn(f as RnnForm), base: DEFAULT_RNN_FORM },
];

describe('declared ranges', () => {
  for (const { name, ranges, check, base } of FORMS) {
    it(`${name}: every numeric field accepts its bounds and refuses just past them, naming the field`, () => {
      for (const [field, range] of Object.entries(ranges)) {
        const at = (text: string) => check({ ...base, [field]: text });
        const bound = (problem: string | null) => problem === null || problem.startsWith('Memory:');
        expect(bound(at(String(range.max))), `${field} at ${range.max}`).toBe(true);
        if (!range.minExclusive) expect(bound(at(String(range.min))), `${field} at ${range.min}`).toBe(true);
        const past = range.integer ? range.max + 1 : range.max * 1.01 + 1e-9;
        for (const bad of [String(past), String(range.min - 1), 'NaN', 'Infinity', '', '1e999']) {
          expect(at(bad), `${field}=${bad}`).toContain(range.label);
        }
        if (range.integer) expect(at(String(range.min + 0.5))).toContain(range.label);
      }
    });
  }

  it('MLP links: the learning rate of the issue (1e6) and its relatives are refused like invalid values', () => {
    for (const lr of ['1e6', '11', '0', '-0.1', '0x10', '1e-400']) {
      const s = parseSettingsHash(`#/mlp?lr=${lr}`);
      expect(s.patch, lr).toEqual({});
      expect(s.ignored).toEqual([expect.stringMatching(new RegExp(`^lr=${lr}: Learning rate: .* above 0 to 10$`))]);
    }
  });

  it('MLP links: hidden sizes and layer counts past their limits are refused', () => {
    expect(parseSettingsHash('#/mlp?hidden=4097').ignored[0]).toMatch(/^hidden=4097: Hidden sizes: "4097" is not a whole number between 1 and 4096/);
    expect(parseSettingsHash(`#/mlp?hidden=${eightWide},1`).ignored[0]).toMatch(/at most 8 hidden layers, got 9/);
    expect(parseSettingsHash('#/mlp?hidden=-3').patch).toEqual({});
  });
});

describe('links that cannot fit in memory', () => {
  it("refuses the issue's link (8 × 4096 hidden units, batch 4096) with the estimate, leaving the form as it was", () => {
    const s = parseSettingsHash(`#/mlp?hidden=${eightWide}&batch=4096`);
    expect(s.patch).toEqual({});
    expect(s.ignored).toHaveLength(1);
    expect(s.ignored[0]).toMatch(/^hidden, batch together: Memory: this run needs about \d+(\.\d+)? GB per worker, more than the 2 GB a worker can use: fewer or smaller hidden layers or a smaller batch$/);
  });

  it('refuses a too-big network typed into the form, before any training', () => {
    const wide = { ...DEFAULT_FORM, hidden: eightWide, batchSize: '2048' };
    expect(problemOf(parseHyperForm(wide))).toMatch(/^Memory: .* GB per worker/);
    expect(problemOf(parseHyperForm({ ...wide, batchSize: '16', optimizer: 'sgd' }))).toBeNull();
  });

  it('refuses an RNN link whose hidden size, layers, max steps and batch together cannot fit', () => {
    const { patch, ignored } = readFormHash('#/rnn?hidden=512&layers=4&maxlen=1000&batch=1024', RNN_URL_KEYS, DEFAULT_RNN_FORM, checkRnn);
    expect(patch).toEqual({});
    expect(ignored.join('; ')).toMatch(/Memory: .*a smaller hidden size, fewer layers, fewer max steps or a smaller batch/);
  });
});

describe('links are read in bounded time and memory', () => {
  const manyKeys = (n: number, tail = ''): string => `#/cnn?${Array.from({ length: n }, (_, i) => `k${i}=1`).join('&')}${tail}`;

  it('decodes only the first pairs of a 200 000-key link and counts the rest', () => {
    const { pairs, unread } = linkPairs(manyKeys(200_000).slice('#/cnn?'.length));
    expect(pairs).toHaveLength(MAX_LINK_PAIRS);
    expect(pairs[0]).toEqual(['k0', '1']);
    expect(unread).toBe(200_000 - MAX_LINK_PAIRS);
  });

  it('sums up 200 000 unknown keys in one short entry', () => {
    const { patch, ignored } = readFormHash(manyKeys(200_000, '&lr=0.002'), CNN_URL_KEYS, DEFAULT_CNN_FORM, checkCnn);
    expect(ignored).toEqual(['ignored 200001 unknown link keys: k0, k1, k2, k3, k4, …']);
    // Past the pairs read, even a real setting is only counted: reading stops there.
    expect(patch).toEqual({});
    const mlp = parseSettingsHash(`#/mlp?lr=0.002&${manyKeys(200_000).slice('#/cnn?'.length)}`);
    expect(mlp.patch).toEqual({ lr: '0.002' });
    expect(mlp.ignored).toEqual(['ignored 200000 unknown link keys: k0, k1, k2, k3, k4, …']);
  });

  it('decodes like a query string, and survives malformed escapes, empty parts and bare keys', () => {
    expect(linkPairs('a=1+2&&b=%41%2C&c=%E0%A4%A&d').pairs).toEqual([['a', '1 2'], ['b', 'A,'], ['c', '%E0%A4%A'], ['d', '']]);
    expect(linkPairs('&&&&')).toEqual({ pairs: [], unread: 0 });
    expect(parseSettingsHash('#/mlp?lr=0%2E003').patch).toEqual({ lr: '0.003' });
  });

  it('refuses a huge value unread and keeps messages short', () => {
    const long = '1'.repeat(100_000);
    const { ignored } = readFormHash(`#/cnn?lr=${long}&${'x'.repeat(5000)}=1`, CNN_URL_KEYS, DEFAULT_CNN_FORM, checkCnn);
    expect(ignored[0]).toMatch(new RegExp(`^lr=1{24}…: longer than ${MAX_LINK_VALUE} characters$`));
    expect(ignored[1]).toBe(`ignored 1 unknown link key: ${'x'.repeat(24)}…`);
    const hidden = parseSettingsHash(`#/mlp?hidden=${'1,'.repeat(50_000)}1`);
    expect(hidden.patch).toEqual({});
    expect(hidden.ignored.join('').length).toBeLessThan(200);
  });

  it('says nothing when nothing was ignored, and counts one key in the singular', () => {
    expect(ignoredText([], [], 0)).toBeNull();
    expect(ignoredText(['lr=x: bad'], ['q'], 0)).toBe('lr=x: bad; ignored 1 unknown link key: q');
    expect(ignoredText([], [], 3)).toBe('ignored 3 unknown link keys: , …');
  });

  it('every page keeps stable, distinct link keys', () => {
    for (const keys of [URL_KEYS, CNN_URL_KEYS, RNN_URL_KEYS]) {
      const names = Object.values(keys);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
