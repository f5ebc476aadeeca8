/**
 * Binary layout of one image shard file as written by scripts/build-bundled-shards.mjs (keep in sync):
 *   bytes 0..3   ASCII "SNSH"
 *   bytes 4..7   uint32 LE format version (1)
 *   bytes 8..11  uint32 LE example count n
 *   bytes 12..15 uint32 LE bytes per example (e.g. 784)
 *   then n × bytesPerExample uint8 pixels, then n uint8 labels.
 */
import type { ImageShard, SplitName } from './types';

const MAGIC = [0x53, 0x4e, 0x53, 0x48];
const FORMAT_VERSION = 1;
export const SHARD_HEADER_BYTES = 16;

export function encodeShard(shard: ImageShard, bytesPerExample: number): Uint8Array {
  const n = shard.labels.length;
  if (shard.pixels.length !== n * bytesPerExample) {
    throw new Error(`Shard has ${shard.pixels.length} pixel bytes, expected ${n} × ${bytesPerExample}`);
  }
  const bytes = new Uint8Array(SHARD_HEADER_BYTES + n * (bytesPerExample + 1));
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, n, true);
  view.setUint32(12, bytesPerExample, true);
  bytes.set(shard.pixels, SHARD_HEADER_BYTES);
  bytes.set(shard.labels, SHARD_HEADER_BYTES + n * bytesPerExample);
  return bytes;
}

/** Parses a shard file; `name` is used in error messages. Returned arrays are copies (own buffers). */
export function decodeShard(bytes: Uint8Array, name: string, expected: { count: number; bytesPerExample: number }): ImageShard {
  if (bytes.length < SHARD_HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${name} is not a scratchnet shard file (bad header)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new Error(`${name}: unsupported shard format version ${version}`);
  const count = view.getUint32(8, true);
  const bytesPerExample = view.getUint32(12, true);
  if (count !== expected.count || bytesPerExample !== expected.bytesPerExample) {
    throw new Error(
      `${name}: holds ${count} examples of ${bytesPerExample} bytes, manifest says ${expected.count} of ${expected.bytesPerExample}`,
    );
  }
  const size = SHARD_HEADER_BYTES + count * (bytesPerExample + 1);
  if (bytes.length !== size) throw new Error(`${name}: file is ${bytes.length} bytes, expected ${size} (truncated download?)`);
  const pixelsEnd = SHARD_HEADER_BYTES + count * bytesPerExample;
  return { pixels: bytes.slice(SHARD_HEADER_BYTES, pixelsEnd), labels: bytes.slice(pixelsEnd, size) };
}

/** File name of shard i of a split in the bundled layout: 'train-000.bin'. */
export function shardFileName(split: SplitName, index: number): string {
  return `${split}-${String(index).padStart(3, '0')}.bin`;
}

/** Number of examples in shard `index` of a split with `count` examples. */
export function shardCount(count: number, shardSize: number, index: number): number {
  return Math.max(0, Math.min(shardSize, count - index * shardSize));
}
