/**
 * Full MNIST from 4 dropped files. Each file is identified by its content (IDX magic number and example
 * count), not its name: images vs labels from the magic, train vs test from the count (the larger set is
 * train); names ('t10k', 'test') only break a tie. Files may be gzipped or not.
 */
import { readIdxStream, type IdxData } from './idx';
import { withDatasetLock, waitingForTabMessage } from './dataset-lock';
import { MNIST_DIMS, MNIST_FULL_WRITER, ShardFlusher, checkDigitLabels, checkSameCount, mnistFullManifest } from './mnist-common';
import { beginDataset } from './store';
import type { DatasetManifest, ProgressFn, SplitName } from './types';

interface ParsedFile {
  name: string;
  idx: IdxData;
}

function countingStream(file: File, onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  return (file.stream() as ReadableStream<Uint8Array>).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        onBytes(chunk.length);
        controller.enqueue(chunk);
      },
    }),
  );
}

async function parseFiles(files: File[], onProgress: ProgressFn): Promise<ParsedFile[]> {
  const totalBytes = files.reduce((a, f) => a + f.size, 0) || 1;
  let readBytes = 0;
  const parsed: ParsedFile[] = [];
  for (const file of files) {
    const stream = countingStream(file, (n) => {
      readBytes += n;
      onProgress({ phase: `Reading ${file.name}`, fraction: 0.8 * Math.min(1, readBytes / totalBytes) });
    });
    const idx = await readIdxStream(stream, {
      name: file.name,
      onHeader: (h) => {
        if (h.kind === 'images' && h.dims.join('×') !== MNIST_DIMS.join('×')) {
          throw new Error(`${file.name}: images are ${h.dims.join('×')}, MNIST images are 28×28`);
        }
      },
    });
    parsed.push({ name: file.name, idx });
  }
  return parsed;
}

const TEST_NAME_HINT = /t10k|test/i;

/** Orders two files of one kind as [train, test]: larger count is train; on a tie, a test-like name is test. */
function trainThenTest(pair: ParsedFile[], kind: string): [ParsedFile, ParsedFile] {
  const [a, b] = pair;
  if (a.idx.header.count !== b.idx.header.count) {
    return a.idx.header.count > b.idx.header.count ? [a, b] : [b, a];
  }
  const aTest = TEST_NAME_HINT.test(a.name);
  const bTest = TEST_NAME_HINT.test(b.name);
  if (aTest !== bTest) return aTest ? [b, a] : [a, b];
  throw new Error(
    `Cannot tell which ${kind} file is train and which is test: ${a.name} and ${b.name} both hold ${a.idx.header.count} ${kind}`,
  );
}

function describeKinds(parsed: ParsedFile[]): string {
  return parsed.map((p) => `${p.name}: ${p.idx.header.count} ${p.idx.header.kind}`).join(', ');
}

/** Picks train/test images and labels out of 4 parsed files, with clear errors for every wrong mix. */
export function identifyMnistFiles(parsed: ParsedFile[]): Record<SplitName, { images: IdxData; labels: IdxData }> {
  const images = parsed.filter((p) => p.idx.header.kind === 'images');
  const labels = parsed.filter((p) => p.idx.header.kind === 'labels');
  if (images.length !== 2 || labels.length !== 2) {
    throw new Error(`Expected 2 image files and 2 label files, got ${describeKinds(parsed)}`);
  }
  const [trainImages, testImages] = trainThenTest(images, 'images');
  const [trainLabels, testLabels] = trainThenTest(labels, 'labels');
  checkSameCount('train', trainImages.idx.header.count, trainLabels.idx.header.count);
  checkSameCount('test', testImages.idx.header.count, testLabels.idx.header.count);
  checkDigitLabels(trainLabels.idx.data, trainLabels.name);
  checkDigitLabels(testLabels.idx.data, testLabels.name);
  return {
    train: { images: trainImages.idx, labels: trainLabels.idx },
    test: { images: testImages.idx, labels: testLabels.idx },
  };
}

/**
 * Loads MNIST from the 4 standard IDX files (dropped or picked by the user) into IndexedDB as
 * 'mnist-full'. Every file is parsed and checked before anything is stored; an existing complete
 * 'mnist-full' stays live until the new copy is complete.
 */
export async function loadMnistFromFiles(files: File[], onProgress: ProgressFn): Promise<DatasetManifest> {
  if (files.length !== 4) {
    throw new Error(
      `Drop the 4 MNIST files (train and test images and labels, .gz or not); got ${files.length} file${files.length === 1 ? '' : 's'}`,
    );
  }
  const sets = identifyMnistFiles(await parseFiles(files, onProgress));
  const source = `MNIST IDX files: ${files.map((f) => f.name).join(', ')}`;
  const waiting = () => onProgress({ phase: waitingForTabMessage(MNIST_FULL_WRITER.name), fraction: 0.8 });
  return withDatasetLock(MNIST_FULL_WRITER.id, waiting, () => storeMnist(sets, source, onProgress));
}

async function storeMnist(sets: ReturnType<typeof identifyMnistFiles>, source: string, onProgress: ProgressFn): Promise<DatasetManifest> {
  const writer = await beginDataset(mnistFullManifest(sets.train.labels.header.count, sets.test.labels.header.count, source));
  const splits: SplitName[] = ['train', 'test'];
  for (const split of splits) {
    onProgress({ phase: `Storing MNIST ${split} split`, fraction: split === 'train' ? 0.8 : 0.95 });
    const { images, labels } = sets[split];
    await new ShardFlusher(writer, split, labels.data).flush(images.data, images.header.count);
  }
  const done = await writer.commit();
  onProgress({ phase: 'MNIST (full) is ready', fraction: 1 });
  return done;
}
