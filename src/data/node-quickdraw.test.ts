import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { itWithFullData } from '../train/testing/full-data-tests';
import { QUICKDRAW_DIR } from '../train/testing/shared-data';
import { readQuickDrawDir, skippedLinesSummary } from './node-quickdraw';
import { splitOf } from './quickdraw-common';
import type { SequenceSet } from './types';

const quickdrawDir = QUICKDRAW_DIR;
const ANIMALS = ['bird', 'cat', 'dog', 'elephant', 'fish', 'horse', 'owl', 'pig', 'rabbit', 'snake'];

function lineCount(file: string): number {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0).length;
}

function lengthsOf(set: SequenceSet, label: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < set.count; i++) if (set.labels[i] === label) out.push(set.offsets[i + 1] - set.offsets[i]);
  return out;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'qd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readQuickDrawDir on the shared Quick Draw folder', () => {
  itWithFullData('reads every line of the 10 animal classes, splits ~80/10/10, and 99% of drawings have ≤ 128 points', async () => {
    const data = await readQuickDrawDir(quickdrawDir);
    expect(data.classes).toEqual(ANIMALS);
    let total = 0;
    data.perClass.forEach((c, i) => {
      expect(c.name).toBe(ANIMALS[i]);
      expect(c.valid).toBe(lineCount(path.join(quickdrawDir, `${c.name}.ndjson`)));
      expect(c.malformed + c.invalid).toBe(0);
      total += c.valid;
    });
    expect(total).toBe(39230);
    const { train, dev, test } = data;
    expect(train.count + dev.count + test.count).toBe(total);
    expect(train.count / total).toBeCloseTo(0.8, 1);
    expect(dev.count / total).toBeCloseTo(0.1, 1);
    expect(test.count / total).toBeCloseTo(0.1, 1);
    for (let c = 0; c < ANIMALS.length; c++) {
      const lengths = [...lengthsOf(train, c), ...lengthsOf(dev, c), ...lengthsOf(test, c)].sort((a, b) => a - b);
      expect(lengths.length).toBe(data.perClass[c].valid);
      expect(lengths[Math.floor(0.99 * (lengths.length - 1))]).toBeLessThanOrEqual(128);
      expect(lengths[0]).toBeGreaterThan(0);
    }
    // Pen bits: every drawing ends a stroke on its last point.
    for (let i = 0; i < train.count; i++) expect(train.pens[train.offsets[i + 1] - 1]).toBe(1);
  });

  itWithFullData('stops after perClass drawings, honours the class list order and splits by (class, index)', async () => {
    const data = await readQuickDrawDir(quickdrawDir, { perClass: 40, classes: ['snake', 'cat'] });
    expect(data.classes).toEqual(['snake', 'cat']);
    expect(data.perClass.map((c) => c.valid)).toEqual([40, 40]);
    const expectedTest = ['snake', 'cat'].map((c) => Array.from({ length: 40 }, (_, k) => splitOf(c, k)).filter((s) => s === 'test').length);
    expect([0, 1].map((label) => lengthsOf(data.test, label).length)).toEqual(expectedTest);
    // The first cat drawing starts at its absolute first point.
    const firstCat = JSON.parse(readFileSync(path.join(quickdrawDir, 'cat.ndjson'), 'utf8').split('\n')[0]).drawing;
    const where = { train: data.train, dev: data.dev, test: data.test }[splitOf('cat', 0)];
    const i = where.labels.indexOf(1);
    expect([where.deltas[2 * where.offsets[i]], where.deltas[2 * where.offsets[i] + 1]]).toEqual([firstCat[0][0][0], firstCat[0][1][0]]);
  });

  it('counts malformed and refused lines, and refuses a class without drawings or a missing class', async () => {
    const good = '{"word":"alpha","drawing":[[[0,10],[0,10]]]}';
    writeFileSync(
      path.join(tmp, 'alpha.ndjson'),
      [good, 'garbage', '{"drawing":[[[],[]]]}', '{"drawing":[[[0,300],[0,1]]]}', '"a string"', good, '{"drawing":[[[1'].join('\n'),
    );
    writeFileSync(path.join(tmp, 'empty.ndjson'), 'not json\n{"word":"x"}\n');
    const data = await readQuickDrawDir(tmp, { classes: ['alpha'] });
    expect(data.perClass[0]).toMatchObject({ valid: 2, malformed: 3, invalid: 2, firstProblem: 'line 2: not valid JSON ("garbage")' });
    await expect(readQuickDrawDir(tmp)).rejects.toThrow(/class "empty" has no drawings .*2 unusable lines; first: line 1: not valid JSON/);
    await expect(readQuickDrawDir(tmp, { classes: ['zebra'] })).rejects.toThrow('has no zebra.ndjson');
    await expect(readQuickDrawDir(path.join(tmp, 'nope'))).rejects.toThrow('does not exist');
  });

  it('skips and counts lines whose word is another class, and reports them', async () => {
    const line = (word: string) => `{"word":"${word}","drawing":[[[0,10],[0,10]]]}`;
    writeFileSync(path.join(tmp, 'cat.ndjson'), [line('cat'), line('dog'), line('Cat'), line('dog'), '{"drawing":[[[5,6],[7,8]]]}'].join('\n'));
    const data = await readQuickDrawDir(tmp, { classes: ['cat'] });
    expect(data.perClass[0]).toMatchObject({ valid: 3, invalid: 2, wrongWord: 2, firstProblem: 'line 2: the drawing is a "dog", not a "cat"' });
    expect(data.train.count + data.dev.count + data.test.count).toBe(3);
    expect(skippedLinesSummary(data.perClass)).toBe(
      'Quick Draw: skipped 2 unusable lines (2 of another class: cat 2); first: cat line 2: the drawing is a "dog", not a "cat"',
    );
    writeFileSync(path.join(tmp, 'cat.ndjson'), line('cat'));
    expect(skippedLinesSummary((await readQuickDrawDir(tmp, { classes: ['cat'] })).perClass)).toBeNull();
  });
});
