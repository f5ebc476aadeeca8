/**
 * Quick, Draw! drawings (simplified ndjson, one `<class>.ndjson` per class) from a URL folder or dropped
 * files, streamed line by line into IndexedDB as a sequence dataset. Each class is read only up to the
 * requested number of drawings. Finished shards survive a broken connection or a closed tab: loading
 * again skips finished classes and the stored part of the interrupted one.
 */
import { loadDatasetOnce } from './dataset-lock';
import { formatMegabytes, joinUrl, openDownload } from './download';
import {
  QUICKDRAW_DEFAULT_SPLIT,
  QUICKDRAW_DEFAULT_SPLIT_SEED,
  checkLoadRequest,
  classNameOfFile,
  newTally,
  noDrawingsMessage,
  validDrawings,
  type ClassTally,
} from './quickdraw-common';
import { refusedDownloadHint } from './quickdraw-refused';
import { SequenceBuilder } from './quickdraw-shard';
import type { Drawing } from './strokes';
import { beginSequenceDataset, findCompleteSequenceDataset, type ClassCounts, type SequenceWriter } from './quickdraw-store';
import type { ProgressFn, SequenceClassInfo, SequenceManifest, SequenceSplitName } from './types';

export { QUICKDRAW_ANIMALS, QUICKDRAW_DEFAULT_BASE, QUICKDRAW_DEFAULT_PER_CLASS } from './quickdraw-common';
export { deleteSequenceDataset, getSequenceManifest, listSequenceDatasets, loadSequenceSet } from './quickdraw-store';

export const QUICKDRAW_ID = 'quickdraw';
/** ~1000 drawings × ~50 points × 5 bytes ≈ 250 kB per shard; also the most a broken download re-reads. */
export const QUICKDRAW_SHARD_SIZE = 1000;

export interface LoadQuickDrawOptions {
  /** Dataset id (default 'quickdraw'); a new load with another layout replaces it at the end. */
  id?: string;
  /** Load again even when a complete copy of the same layout is stored. */
  force?: boolean;
  shardSize?: number;
  splitSeed?: number;
  splitFractions?: Record<SequenceSplitName, number>;
}

/** One class file to read: where it is (for messages) and how to open it as a byte stream. */
interface ClassSource {
  name: string;
  where: string;
  open(onBytes: (received: number, total: number | null) => void): Promise<ReadableStream<Uint8Array>>;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function newManifest(classes: string[], perClass: number | null, source: string, opts: LoadQuickDrawOptions): SequenceManifest {
  const shardSize = opts.shardSize ?? QUICKDRAW_SHARD_SIZE;
  if (!(Number.isInteger(shardSize) && shardSize > 0)) throw new Error(`Shard size must be a positive integer, got ${shardSize}`);
  const fractions = opts.splitFractions ?? QUICKDRAW_DEFAULT_SPLIT;
  const sum = fractions.train + fractions.dev + fractions.test;
  if (Math.abs(sum - 1) > 1e-9 || Object.values(fractions).some((f) => !(f >= 0))) {
    throw new Error('Split fractions must be ≥ 0 and add up to 1');
  }
  return {
    id: opts.id ?? QUICKDRAW_ID,
    name: `Quick Draw (${classes.length} classes, ${perClass === null ? 'all' : `≤ ${perClass}`} drawings each)`,
    kind: 'sequence',
    classes: [...classes],
    shardSize,
    perClassLimit: perClass,
    perClass: classes.map((name) => ({ name, count: 0, shards: 0, malformed: 0, invalid: 0, firstProblem: null, maxLen: 0, done: false })),
    maxLen: 0,
    split: { seed: opts.splitSeed ?? QUICKDRAW_DEFAULT_SPLIT_SEED, fractions: { ...fractions }, counts: { train: 0, dev: 0, test: 0 } },
    source,
    complete: false,
  };
}

const countsOf = (t: ClassTally): ClassCounts & Pick<SequenceClassInfo, 'wrongWord'> =>
  ({ malformed: t.malformed, invalid: t.invalid, wrongWord: t.wrongWord, firstProblem: t.firstProblem });

class ClassProgress {
  bytes = 0;
  total: number | null = null;
  private lastReport = -Infinity;

  constructor(
    private readonly onProgress: ProgressFn,
    private readonly classIndex: number,
    private readonly classCount: number,
    private readonly name: string,
    private readonly perClass: number | null,
  ) {}

  report(drawings: number, force = false): void {
    if (!force && drawings - this.lastReport < 200) return;
    this.lastReport = drawings;
    const within = this.perClass !== null ? drawings / this.perClass : this.total ? this.bytes / this.total : 0;
    const bytes = this.total ? `, ${formatMegabytes(this.bytes)} of ${formatMegabytes(this.total)} MB` : '';
    const of = this.perClass !== null ? ` of ${this.perClass}` : '';
    this.onProgress({
      phase: `Quick Draw "${this.name}" (class ${this.classIndex + 1} of ${this.classCount}): ${drawings}${of} drawings${bytes}`,
      fraction: Math.min(1, (this.classIndex + Math.min(1, within)) / this.classCount),
    });
  }
}

/** Reads one class into the store, skipping the drawings an interrupted earlier load already stored. */
async function ingestClass(writer: SequenceWriter, classIndex: number, source: ClassSource, perClass: number | null, progress: ClassProgress): Promise<void> {
  const { shardSize } = writer.manifest;
  const firstShard = Math.floor(writer.classInfo(classIndex).count / shardSize);
  const resumeFrom = firstShard * shardSize;
  const tally = newTally();
  const builder = new SequenceBuilder();
  let shardIndex = firstShard;
  const body = await source.open((received, total) => {
    progress.bytes = received;
    progress.total = total;
  });
  const drawings = validDrawings(body, tally, source.name);
  try {
    for (;;) {
      let next: IteratorResult<{ drawing: Drawing; points: number }>;
      try {
        next = await drawings.next();
      } catch (err) {
        const saved = shardIndex * shardSize;
        throw new Error(
          `Reading "${source.name}" from ${source.where} broke after ${tally.valid} drawings (${errorText(err)}). ` +
            `What was finished is saved (${saved} drawings of "${source.name}" and every earlier class); load again to resume.`,
        );
      }
      if (next.done) break;
      if (tally.valid > resumeFrom) {
        builder.addDrawing(next.value.drawing, next.value.points, classIndex);
        if (builder.count === shardSize) {
          await writer.putClassShard(classIndex, shardIndex++, builder.build(), countsOf(tally));
          builder.reset();
        }
      }
      progress.report(tally.valid);
      if (perClass !== null && tally.valid >= perClass) break;
    }
  } finally {
    await drawings.return(undefined);
  }
  if (tally.valid === 0) throw new Error(noDrawingsMessage(source.name, source.where, tally));
  if (tally.valid < resumeFrom) {
    throw new Error(`"${source.name}" at ${source.where} now holds fewer drawings than an earlier load stored; delete the dataset and load it again`);
  }
  if (builder.count > 0) await writer.putClassShard(classIndex, shardIndex, builder.build(), countsOf(tally));
  await writer.finishClass(classIndex, countsOf(tally));
  progress.report(tally.valid, true);
}

async function loadClasses(sources: ClassSource[], perClass: number | null, sourceText: string, onProgress: ProgressFn, opts: LoadQuickDrawOptions): Promise<SequenceManifest> {
  checkLoadRequest(sources.map((s) => s.name), perClass);
  const manifest = newManifest(sources.map((s) => s.name), perClass, sourceText, opts);
  const stored = async () => {
    const existing = opts.force ? undefined : await findCompleteSequenceDataset(manifest);
    if (existing) onProgress({ phase: `${existing.name} is ready`, fraction: 1 });
    return existing;
  };
  const dataset = { id: manifest.id, name: 'Quick Draw' };
  return loadDatasetOnce(dataset, onProgress, stored, () => storeClasses(manifest, sources, perClass, onProgress));
}

async function storeClasses(manifest: SequenceManifest, sources: ClassSource[], perClass: number | null, onProgress: ProgressFn): Promise<SequenceManifest> {
  const writer = await beginSequenceDataset(manifest);
  for (let c = 0; c < sources.length; c++) {
    const progress = new ClassProgress(onProgress, c, sources.length, sources[c].name, perClass);
    if (writer.classInfo(c).done) progress.report(writer.classInfo(c).count, true);
    else await ingestClass(writer, c, sources[c], perClass, progress);
  }
  const done = await writer.commit();
  const skipped = done.perClass.reduce((a, c) => a + c.malformed + c.invalid, 0);
  const wrongWord = done.perClass.reduce((a, c) => a + (c.wrongWord ?? 0), 0);
  const total = done.perClass.reduce((a, c) => a + c.count, 0);
  const note = skipped > 0 ? `, ${skipped} unusable lines skipped${wrongWord > 0 ? ` (${wrongWord} of another class)` : ''}` : '';
  onProgress({ phase: `${done.name} is ready: ${total} drawings${note}`, fraction: 1 });
  return done;
}

/**
 * Downloads `<baseUrl>/<class>.ndjson` for each class (Quick Draw simplified format), keeping the first
 * `perClass` valid drawings of each (null: all). Classes keep the given order as labels.
 */
export async function loadQuickDrawFromUrl(
  baseUrl: string,
  classes: string[],
  perClass: number | null,
  onProgress: ProgressFn,
  opts: LoadQuickDrawOptions = {},
): Promise<SequenceManifest> {
  const sources = classes.map((name): ClassSource => {
    const file = `${name}.ndjson`;
    const url = joinUrl(baseUrl, encodeURIComponent(file));
    return {
      name,
      where: url,
      open: async (onBytes) => {
        try {
          return (await openDownload(url, file, onBytes)).body;
        } catch (err) {
          const text = errorText(err);
          const hint = /HTTP 404/.test(text) ? ` (is "${name}" a Quick Draw class name?)` : refusedDownloadHint(url, text);
          throw new Error(`${text}${hint}`);
        }
      },
    };
  });
  return loadClasses(sources, perClass, `Quick Draw ndjson from ${baseUrl}`, onProgress, opts);
}

/** Counts bytes of a file stream for progress. */
function countingStream(file: File, onBytes: (received: number, total: number | null) => void): ReadableStream<Uint8Array> {
  let received = 0;
  return file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.length;
        onBytes(received, file.size);
        controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * Dropped `<class>.ndjson` files (or Google's `full_simplified_<class>.ndjson`), one class per file,
 * labels in alphabetical order of class name (as readQuickDrawDir orders a folder).
 */
export async function loadQuickDrawFromFiles(
  files: File[],
  perClass: number | null,
  onProgress: ProgressFn,
  opts: LoadQuickDrawOptions = {},
): Promise<SequenceManifest> {
  if (files.length === 0) throw new Error('Drop one .ndjson file per Quick Draw class');
  const named = files.map((file) => {
    const name = classNameOfFile(file.name);
    if (!name) throw new Error(`${file.name} is not a Quick Draw .ndjson file (expected <class>.ndjson)`);
    return { name, file };
  });
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sources = named.map(({ name, file }): ClassSource => ({
    name,
    where: file.name,
    open: async (onBytes) => countingStream(file, onBytes),
  }));
  const sourceText = `files: ${named.map(({ file }) => `${file.name} (${file.size} bytes)`).join(', ')}`;
  return loadClasses(sources, perClass, sourceText, onProgress, opts);
}
