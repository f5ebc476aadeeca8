/**
 * Full MNIST (60k + 10k) from a URL folder holding the 4 standard IDX files, streamed into IndexedDB as
 * dataset 'mnist-full'. The label files come first (tiny) so the manifest is known before any image
 * arrives; images are stored shard by shard while they download. A failed load leaves an existing
 * complete 'mnist-full' untouched (see store.ts: new shards go to a fresh generation until commit).
 */
import { loadDatasetOnce } from './dataset-lock';
import { formatMegabytes, joinUrl, openDownload } from './download';
import { readIdxStream, type IdxData, type IdxParser } from './idx';
import {
  MNIST_DIMS,
  MNIST_FILES,
  MNIST_FULL_ID,
  MNIST_FULL_WRITER,
  ShardFlusher,
  checkDigitLabels,
  checkSameCount,
  mnistFullManifest,
  type MnistFileSpec,
} from './mnist-common';
import { beginDataset, getManifest, type DatasetWriter } from './store';
import type { DatasetManifest, ProgressFn, SplitName } from './types';

export { loadMnistFromFiles } from './mnist-files';

/** Typical .gz sizes, used only to weight each file's share of the progress bar. */
const PROGRESS_WEIGHTS: Record<string, number> = {
  'train-labels': 0.03,
  'test-labels': 0.005,
  'train-images': 9.63,
  'test-images': 1.6,
};
const TOTAL_WEIGHT = Object.values(PROGRESS_WEIGHTS).reduce((a, b) => a + b, 0);

export interface LoadMnistOptions {
  /** Download again even when a complete 'mnist-full' is already stored. */
  force?: boolean;
}

class ProgressTracker {
  private doneWeight = 0;

  constructor(private readonly onProgress: ProgressFn) {}

  /** Progress inside one file: by bytes when the size is known, else by examples parsed. */
  update(spec: MnistFileSpec, bytes: number, totalBytes: number | null, parser: IdxParser | null): void {
    const count = parser?.header?.count ?? 0;
    const examples = parser?.examplesReceived ?? 0;
    const within = totalBytes ? bytes / totalBytes : count > 0 ? examples / count : 0;
    const fraction = (this.doneWeight + PROGRESS_WEIGHTS[spec.label] * Math.min(1, within)) / TOTAL_WEIGHT;
    const what = `Downloading MNIST ${spec.split} ${spec.kind}`;
    const detail = totalBytes
      ? `${formatMegabytes(Math.min(bytes, totalBytes))} of ${formatMegabytes(totalBytes)} MB`
      : `${examples} of ${count || '?'} ${spec.kind}`;
    this.onProgress({ phase: `${what}: ${detail}`, fraction: Math.min(1, fraction) });
  }

  fileDone(spec: MnistFileSpec): void {
    this.doneWeight += PROGRESS_WEIGHTS[spec.label];
  }
}

/** Downloads and parses one IDX file; `onChunk` sees the parser after each chunk. */
async function fetchIdx(
  baseUrl: string,
  spec: MnistFileSpec,
  progress: ProgressTracker,
  onHeaderCount?: (count: number) => void,
  onChunk?: (parser: IdxParser) => Promise<void>,
): Promise<IdxData> {
  const url = joinUrl(baseUrl, `${spec.file}.gz`);
  let bytes = 0;
  let total: number | null = null;
  const download = await openDownload(url, `${spec.file}.gz`, (received, totalBytes) => {
    bytes = received;
    total = totalBytes;
  });
  const data = await readIdxStream(
    download.body,
    {
      name: spec.label,
      expectKind: spec.kind,
      expectDims: spec.kind === 'images' ? MNIST_DIMS : [],
      onHeader: (h) => onHeaderCount?.(h.count),
    },
    async (parser) => {
      progress.update(spec, bytes, total, parser);
      await onChunk?.(parser);
    },
  );
  progress.fileDone(spec);
  return data;
}

async function streamImagesIntoStore(
  baseUrl: string,
  split: SplitName,
  labels: Uint8Array,
  writer: DatasetWriter,
  progress: ProgressTracker,
): Promise<void> {
  const flusher = new ShardFlusher(writer, split, labels);
  const images = await fetchIdx(
    baseUrl,
    MNIST_FILES[split].images,
    progress,
    (count) => checkSameCount(split, count, labels.length),
    (parser) => flusher.flush(parser.data, parser.examplesReceived),
  );
  await flusher.flush(images.data, images.header.count);
}

/**
 * Downloads MNIST from `baseUrl` (a folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
 * t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into IndexedDB as 'mnist-full'. Returns at once
 * when a complete copy is already stored (unless `force`). Resumes an interrupted download of the same
 * source by not storing again the shards it already stored.
 */
export async function loadMnistFromUrl(
  baseUrl: string,
  onProgress: ProgressFn,
  options: LoadMnistOptions = {},
): Promise<DatasetManifest> {
  const stored = async () => (options.force ? undefined : storedFullMnist(onProgress));
  return loadDatasetOnce(MNIST_FULL_WRITER, onProgress, stored, () => downloadMnist(baseUrl, onProgress));
}

/** The complete stored 'mnist-full', reported ready, if there is one. */
async function storedFullMnist(onProgress: ProgressFn): Promise<DatasetManifest | undefined> {
  const existing = await getManifest(MNIST_FULL_ID);
  if (!existing?.complete) return undefined;
  onProgress({ phase: 'MNIST (full) is ready', fraction: 1 });
  return existing;
}

async function downloadMnist(baseUrl: string, onProgress: ProgressFn): Promise<DatasetManifest> {
  const progress = new ProgressTracker(onProgress);
  const trainLabels = await fetchIdx(baseUrl, MNIST_FILES.train.labels, progress);
  const testLabels = await fetchIdx(baseUrl, MNIST_FILES.test.labels, progress);
  checkDigitLabels(trainLabels.data, 'train-labels');
  checkDigitLabels(testLabels.data, 'test-labels');
  const manifest = mnistFullManifest(trainLabels.header.count, testLabels.header.count, `MNIST IDX files from ${baseUrl}`);
  const writer = await beginDataset(manifest);
  await streamImagesIntoStore(baseUrl, 'train', trainLabels.data, writer, progress);
  await streamImagesIntoStore(baseUrl, 'test', testLabels.data, writer, progress);
  const done = await writer.commit();
  onProgress({ phase: 'MNIST (full) is ready', fraction: 1 });
  return done;
}
