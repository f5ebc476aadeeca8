/**
 * The bundled MNIST subset (9,000 train + 1,000 test real MNIST digits) served with the page from
 * `${baseUrl}/data/mnist-bundled/` (generated at install by scripts/build-bundled-shards.mjs).
 * Once stored completely in IndexedDB it is ready at once on every later visit, even offline.
 */
import { loadDatasetOnce } from './dataset-lock';
import { downloadBytes, joinUrl } from './download';
import { decodeShard, shardCount } from './shard-format';
import { beginDataset, getManifest } from './store';
import type { DatasetManifest, ProgressFn, SplitName } from './types';

export const BUNDLED_MNIST_ID = 'mnist-bundled';
const BUNDLED_DIR = 'data/mnist-bundled';
const SPLITS: SplitName[] = ['train', 'test'];

/** manifest.json as written by the build script: a DatasetManifest plus the shard file names. */
interface BundledManifestFile extends DatasetManifest {
  files: Record<SplitName, string[]>;
}

function parseBundledManifest(bytes: Uint8Array, url: string): BundledManifestFile {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error(`The bundled dataset manifest at ${url} is not valid JSON (is the site built with \`npm run build\`?)`);
  }
  const m = json as Partial<BundledManifestFile>;
  const ok =
    m.id === BUNDLED_MNIST_ID &&
    Array.isArray(m.inputShape) &&
    Array.isArray(m.classes) &&
    typeof m.shardSize === 'number' &&
    SPLITS.every((s) => m.splits?.[s] && m.files?.[s]?.length === m.splits[s].shards);
  if (!ok) throw new Error(`The bundled dataset manifest at ${url} is malformed`);
  return m as BundledManifestFile;
}

function storedManifest(file: BundledManifestFile): DatasetManifest {
  const { files: _files, ...rest } = file;
  const manifest = { ...rest, complete: false } as DatasetManifest & { build?: unknown };
  delete manifest.build;
  return manifest;
}

/**
 * Makes sure the bundled MNIST is in IndexedDB and returns its manifest. Returns at once when it is
 * already complete; otherwise downloads the missing shards (a reload mid-download resumes). Another tab
 * storing it at the same time is waited for, and its copy used.
 */
export async function ensureBundledMnist(baseUrl: string, onProgress: ProgressFn): Promise<DatasetManifest> {
  const stored = async () => {
    const existing = await getManifest(BUNDLED_MNIST_ID);
    if (!existing?.complete) return undefined;
    onProgress({ phase: 'Bundled MNIST is ready', fraction: 1 });
    return existing;
  };
  const dataset = { id: BUNDLED_MNIST_ID, name: 'the bundled MNIST' };
  return loadDatasetOnce(dataset, onProgress, stored, () => storeBundledMnist(baseUrl, onProgress));
}

async function storeBundledMnist(baseUrl: string, onProgress: ProgressFn): Promise<DatasetManifest> {
  const dir = joinUrl(baseUrl, BUNDLED_DIR);
  const manifestUrl = joinUrl(dir, 'manifest.json');
  onProgress({ phase: 'Loading bundled MNIST', fraction: 0 });
  const file = parseBundledManifest(await downloadBytes(manifestUrl, 'the bundled MNIST manifest'), manifestUrl);
  const writer = await beginDataset(storedManifest(file));
  const m = writer.manifest;
  const bytesPerExample = m.inputShape.reduce((a, b) => a * b, 1);
  const total = m.splits.train.shards + m.splits.test.shards;
  let done = 0;
  for (const split of SPLITS) {
    for (let i = 0; i < m.splits[split].shards; i++) {
      if (!writer.hasShard(split, i)) {
        const url = joinUrl(dir, file.files[split][i]);
        const bytes = await downloadBytes(url, `bundled MNIST ${split} part ${i + 1}`);
        const expected = { count: shardCount(m.splits[split].count, m.shardSize, i), bytesPerExample };
        await writer.putShard(split, i, decodeShard(bytes, file.files[split][i], expected));
      }
      done++;
      onProgress({ phase: `Loading bundled MNIST (${done}/${total})`, fraction: done / total });
    }
  }
  const complete = await writer.commit();
  onProgress({ phase: 'Bundled MNIST is ready', fraction: 1 });
  return complete;
}
