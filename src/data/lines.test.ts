import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ensureLinesDataset, generateLines, LINES_ID, LINES_TEST, LINES_TRAIN } from './lines';
import { listDatasets, loadImageSet } from './store';

/** Rows/columns holding ink (≥ 180): one row for a horizontal line, one column for a vertical one. */
function inkedLines(set: ReturnType<typeof generateLines>, i: number) {
  const rows = new Set<number>();
  const cols = new Set<number>();
  for (let p = 0; p < 256; p++) {
    if (set.pixels[i * 256 + p] >= 180) {
      rows.add(Math.floor(p / 16));
      cols.add(p % 16);
    }
  }
  return { rows: rows.size, cols: cols.size };
}

describe('lines toy', () => {
  it('draws one horizontal (label 0) or vertical (label 1) line of at least 10 pixels per image', () => {
    const set = generateLines(200, 1);
    expect(set.inputShape).toEqual([16, 16]);
    expect(set.classes).toEqual(['horizontal', 'vertical']);
    for (let i = 0; i < set.count; i++) {
      const { rows, cols } = inkedLines(set, i);
      if (set.labels[i] === 0) {
        expect(rows).toBe(1);
        expect(cols).toBeGreaterThanOrEqual(10);
      } else {
        expect(cols).toBe(1);
        expect(rows).toBeGreaterThanOrEqual(10);
      }
    }
    expect(set.labels.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('is deterministic per seed', () => {
    expect(generateLines(50, 7).pixels).toEqual(generateLines(50, 7).pixels);
    expect(generateLines(50, 7).pixels).not.toEqual(generateLines(50, 8).pixels);
  });

  it('is stored once as a complete dataset the worker can load', async () => {
    const manifest = await ensureLinesDataset();
    expect(manifest).toMatchObject({ id: LINES_ID, complete: true, inputShape: [16, 16] });
    await ensureLinesDataset();
    expect((await listDatasets()).map((m) => m.id)).toEqual([LINES_ID]);
    const train = await loadImageSet(LINES_ID, 'train');
    const test = await loadImageSet(LINES_ID, 'test');
    expect([train.count, test.count]).toEqual([LINES_TRAIN, LINES_TEST]);
    expect(train.pixels).toEqual(generateLines(LINES_TRAIN, 2024).pixels);
  });
});
