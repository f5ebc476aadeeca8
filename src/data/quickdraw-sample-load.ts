/**
 * The bundled Quick, Draw! sample into browser storage: on the first visit the page's own copy of
 * public/quickdraw-sample/ is read and stored as the sequence dataset 'quickdraw-sample', so the RNN
 * page can train offline at once. Later visits find it stored; "Load" adds other datasets beside it.
 */
import { loadDatasetOnce } from './dataset-lock';
import { downloadBytes, joinUrl } from './download';
import { QUICKDRAW_ANIMALS, QUICKDRAW_DEFAULT_SPLIT, QUICKDRAW_DEFAULT_SPLIT_SEED } from './quickdraw-common';
import {
  QUICKDRAW_SAMPLE_ATTRIBUTION, QUICKDRAW_SAMPLE_ID, QUICKDRAW_SAMPLE_PATH, QUICKDRAW_SAMPLE_PER_CLASS, decodeQuickDrawSample,
  type QuickDrawSample,
} from './quickdraw-sample';
import { beginSequenceDataset, findCompleteSequenceDataset } from './quickdraw-store';
import type { ProgressFn, SequenceManifest, SequenceShard } from './types';

/** Drawings per stored shard (the sample's classes fit one shard each). */
const SAMPLE_SHARD_SIZE = 1000;
const NO_COUNTS = { malformed: 0, invalid: 0, firstProblem: null };

/** What the stored sample looks like; a sample built another way (other classes or counts) is stored anew. */
export function quickDrawSampleManifest(classes = QUICKDRAW_ANIMALS, perClass = QUICKDRAW_SAMPLE_PER_CLASS): SequenceManifest {
  return {
    id: QUICKDRAW_SAMPLE_ID,
    name: `Quick Draw sample (${classes.length} classes, ${perClass} drawings each)`,
    kind: 'sequence',
    classes: [...classes],
    shardSize: SAMPLE_SHARD_SIZE,
    perClassLimit: perClass,
    perClass: classes.map((name) => ({ name, count: 0, shards: 0, malformed: 0, invalid: 0, firstProblem: null, maxLen: 0, done: false })),
    maxLen: 0,
    split: { seed: QUICKDRAW_DEFAULT_SPLIT_SEED, fractions: { ...QUICKDRAW_DEFAULT_SPLIT }, counts: { train: 0, dev: 0, test: 0 } },
    source: `The bundled Quick Draw sample (${QUICKDRAW_SAMPLE_ATTRIBUTION})`,
    complete: false,
  };
}

/** Drawings [from, to) of a class block, as a block of their own. */
function sliceBlock(block: SequenceShard, from: number, to: number): SequenceShard {
  const start = block.offsets[from];
  const end = block.offsets[to];
  return {
    count: to - from,
    offsets: block.offsets.slice(from, to + 1).map((o) => o - start),
    deltas: block.deltas.slice(2 * start, 2 * end),
    pens: block.pens.slice(start, end),
    labels: block.labels.slice(from, to),
  };
}

/** Refuses a sample file that does not hold what this build of the app expects. */
function checkSampleShape(sample: QuickDrawSample, expected: SequenceManifest, url: string): void {
  const counts = sample.perClass.map((b) => b.count);
  if (sample.classes.join(',') !== expected.classes.join(',') || counts.some((n) => n !== expected.perClassLimit)) {
    throw new Error(
      `The Quick Draw sample at ${url} holds ${sample.classes.length} classes (${sample.classes.join(', ')}) of ${counts.join('/')} ` +
        `drawings, not what this page expects (${expected.name}); rebuild it with scripts/build-quickdraw-sample.mjs`,
    );
  }
}

/**
 * Reads the sample from `url` and stores it class by class (the one writer of the sample: a caller that
 * must serialize writers across tabs wraps this call, as ensureQuickDrawSample does).
 */
export async function storeQuickDrawSample(url: string, manifest: SequenceManifest, onProgress: ProgressFn): Promise<SequenceManifest> {
  onProgress({ phase: 'Reading the bundled Quick Draw sample', fraction: 0 });
  const sample = decodeQuickDrawSample(await downloadBytes(url, 'the bundled Quick Draw sample'), url);
  checkSampleShape(sample, manifest, url);
  const writer = await beginSequenceDataset(manifest);
  for (let c = 0; c < sample.classes.length; c++) {
    const block = sample.perClass[c];
    if (!writer.classInfo(c).done) {
      for (let i = 0; i * SAMPLE_SHARD_SIZE < block.count; i++) {
        const to = Math.min(block.count, (i + 1) * SAMPLE_SHARD_SIZE);
        await writer.putClassShard(c, i, sliceBlock(block, i * SAMPLE_SHARD_SIZE, to), NO_COUNTS);
      }
      await writer.finishClass(c, NO_COUNTS);
    }
    onProgress({ phase: `Storing the Quick Draw sample: "${sample.classes[c]}" (class ${c + 1} of ${sample.classes.length})`, fraction: (c + 1) / sample.classes.length });
  }
  const done = await writer.commit();
  onProgress({ phase: `${done.name} is ready`, fraction: 1 });
  return done;
}

/** The stored sample, reading it from the page's own files first when it is not stored yet. `pageBase`: the site's base URL. */
export async function ensureQuickDrawSample(pageBase: string, onProgress: ProgressFn): Promise<SequenceManifest> {
  const manifest = quickDrawSampleManifest();
  const stored = async () => {
    const existing = await findCompleteSequenceDataset(manifest);
    if (existing) onProgress({ phase: `${existing.name} is ready`, fraction: 1 });
    return existing;
  };
  const dataset = { id: manifest.id, name: 'the Quick Draw sample' };
  return loadDatasetOnce(dataset, onProgress, stored, () => storeQuickDrawSample(joinUrl(pageBase, QUICKDRAW_SAMPLE_PATH), manifest, onProgress));
}
