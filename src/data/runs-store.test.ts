import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { deleteRuns, listRuns, loadRun, loadRunWeights, newRunId, saveRun, saveRunWeights } from './runs-store';
import { listDatasets } from './store';

interface TestRun {
  id: string;
  startedAt: number;
  curve: number[];
}

describe('runs store', () => {
  it('keeps runs with their curves, oldest first, and deletes them with their weights', async () => {
    const later: TestRun = { id: newRunId(2000), startedAt: 2000, curve: [0.5, 0.25] };
    const earlier: TestRun = { id: newRunId(1000), startedAt: 1000, curve: [1, 0.5] };
    await saveRun(later);
    await saveRun(earlier);
    expect((await listRuns<TestRun>()).map((r) => r.id)).toEqual([earlier.id, later.id]);
    expect((await loadRun<TestRun>(later.id))?.curve).toEqual([0.5, 0.25]);

    await saveRunWeights(later.id, Uint8Array.from([1, 2, 3]));
    expect(Array.from((await loadRunWeights(later.id))!)).toEqual([1, 2, 3]);

    await deleteRuns([later.id]);
    expect((await listRuns<TestRun>()).map((r) => r.id)).toEqual([earlier.id]);
    expect(await loadRunWeights(later.id)).toBeUndefined();
    // Runs are not datasets: the dataset list does not see them.
    expect(await listDatasets()).toEqual([]);
    await deleteRuns([earlier.id]);
    expect(await listRuns()).toEqual([]);
  });

  it('overwrites a run saved again under the same id (e.g. when its weights are kept later)', async () => {
    const run = { id: 'r-same', startedAt: 5, curve: [1] };
    await saveRun(run);
    await saveRun({ ...run, curve: [1, 2] });
    expect(await listRuns<TestRun>()).toEqual([{ id: 'r-same', startedAt: 5, curve: [1, 2] }]);
    await deleteRuns(['r-same']);
  });

  it('refuses a run without an id', async () => {
    await expect(saveRun({ id: '', startedAt: 1 })).rejects.toThrow(/needs an id/);
  });

  it('makes distinct, time-ordered ids', () => {
    const a = newRunId(1000);
    const b = newRunId(1000);
    expect(a).not.toBe(b);
    expect(newRunId(1000) < newRunId(99999)).toBe(true);
  });
});
