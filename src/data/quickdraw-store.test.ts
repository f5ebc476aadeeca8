import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quickDrawSampleManifest } from './quickdraw-sample-load';
import { beginSequenceDataset, deleteSequenceDataset, getSequenceManifest, loadSequenceSet } from './quickdraw-store';
import { loadBlob, saveBlob } from './store';
import type { SequenceShard, SequenceSplitName } from './types';

const CLASSES = ['cat', 'dog'];
const COUNTS = { malformed: 0, invalid: 0, firstProblem: null };

/** One drawing of two points whose first step is (dx, dx). */
function oneDrawing(label: number, dx: number): SequenceShard {
  return { count: 1, offsets: Uint32Array.of(0, 2), deltas: Int16Array.of(dx, dx, 1, 1), pens: Uint8Array.of(0, 1), labels: Uint8Array.of(label) };
}

async function storeCopy(dx: number): Promise<{ commit: () => Promise<unknown> }> {
  const manifest = { ...quickDrawSampleManifest(CLASSES, 1), source: `copy ${dx}` };
  const writer = await beginSequenceDataset(manifest);
  for (let c = 0; c < CLASSES.length; c++) {
    await writer.putClassShard(c, 0, oneDrawing(c, dx), COUNTS);
    await writer.finishClass(c, COUNTS);
  }
  return writer;
}

async function firstSteps(id: string): Promise<number[]> {
  const steps: number[] = [];
  for (const split of ['train', 'dev', 'test'] as SequenceSplitName[]) {
    const set = await loadSequenceSet(id, split);
    for (let k = 0; k < set.count; k++) steps.push(set.deltas[2 * set.offsets[k]]);
  }
  return steps;
}

afterEach(() => vi.restoreAllMocks());

describe('sequence datasets in browser storage', () => {
  it('a reader that started on the old copy reads the new one when another tab’s reload replaced it meanwhile', async () => {
    const id = quickDrawSampleManifest(CLASSES, 1).id;
    await deleteSequenceDataset(id);
    await (await storeCopy(10)).commit();
    const metaKey = `sequence-meta/${encodeURIComponent(id)}`;
    await saveBlob('old-meta', (await loadBlob(metaKey))!);
    await (await storeCopy(50)).commit(); // the old copy's shards are gone now
    // The reader read the record just before that commit: serve it the old record once.
    const realGet = IDBObjectStore.prototype.get;
    let served = false;
    vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      const isMeta = Array.isArray(key) && key[0] === 'blob' && key[1] === metaKey;
      if (isMeta && !served) {
        served = true;
        return realGet.call(this, ['blob', 'old-meta']);
      }
      return realGet.call(this, key);
    });
    expect(await firstSteps(id)).toEqual([50, 50]);
    expect(served).toBe(true);
    expect((await getSequenceManifest(id))?.source).toBe('copy 50');
  });
});
