/**
 * Building blocks of drawings in memory and their binary shard layout (what IndexedDB stores):
 *   bytes 0..3   ASCII "SNSQ"
 *   bytes 4..7   uint32 LE format version (1)
 *   bytes 8..11  uint32 LE drawing count n
 *   bytes 12..15 uint32 LE point count P
 *   then n uint32 LE lengths, 2P int16 LE deltas (dx, dy), P uint8 pen bits, n uint8 labels.
 */
import { writeRawStroke3, type Drawing } from './strokes';
import type { SequenceSet, SequenceShard } from './types';

const MAGIC = [0x53, 0x4e, 0x53, 0x51];
const FORMAT_VERSION = 1;
const HEADER_BYTES = 16;

function grow<T extends Int16Array | Uint8Array | Uint32Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const bigger = make(Math.max(need, a.length * 2));
  bigger.set(a);
  return bigger;
}

/** Collects drawings (raw stroke-3) into one contiguous block; arrays grow by doubling. */
export class SequenceBuilder {
  private offsets = new Uint32Array(65);
  private deltas = new Int16Array(4096);
  private pens = new Uint8Array(2048);
  private labels = new Uint8Array(64);
  count = 0;
  points = 0;

  private reserve(drawings: number, points: number): void {
    this.offsets = grow(this.offsets, this.count + drawings + 1, (n) => new Uint32Array(n));
    this.labels = grow(this.labels, this.count + drawings, (n) => new Uint8Array(n));
    this.deltas = grow(this.deltas, 2 * (this.points + points), (n) => new Int16Array(n));
    this.pens = grow(this.pens, this.points + points, (n) => new Uint8Array(n));
  }

  private close(label: number, n: number): void {
    this.labels[this.count] = label;
    this.points += n;
    this.count++;
    this.offsets[this.count] = this.points;
  }

  /** Adds a drawing already checked by checkDrawing. */
  addDrawing(drawing: Drawing, points: number, label: number): void {
    this.reserve(1, points);
    writeRawStroke3(drawing, this.deltas, this.pens, this.points);
    this.close(label, points);
  }

  /** Copies drawing k of another block. */
  addFrom(block: SequenceShard, k: number): void {
    const start = block.offsets[k];
    const n = block.offsets[k + 1] - start;
    this.reserve(1, n);
    this.deltas.set(block.deltas.subarray(2 * start, 2 * (start + n)), 2 * this.points);
    this.pens.set(block.pens.subarray(start, start + n), this.points);
    this.close(block.labels[k], n);
  }

  /** The drawings so far, as arrays of exactly their size (copies). */
  build(): SequenceShard {
    return {
      count: this.count,
      offsets: this.offsets.slice(0, this.count + 1),
      deltas: this.deltas.slice(0, 2 * this.points),
      pens: this.pens.slice(0, this.points),
      labels: this.labels.slice(0, this.count),
    };
  }

  toSet(classes: string[]): SequenceSet {
    return { classes: [...classes], ...this.build() };
  }

  /** Longest drawing so far, in points. */
  maxLen(): number {
    let m = 0;
    for (let i = 0; i < this.count; i++) m = Math.max(m, this.offsets[i + 1] - this.offsets[i]);
    return m;
  }

  reset(): void {
    this.count = 0;
    this.points = 0;
  }
}

export function encodeSequenceShard(shard: SequenceShard): Uint8Array {
  const n = shard.count;
  const p = shard.offsets[n];
  const bytes = new Uint8Array(HEADER_BYTES + 4 * n + 4 * p + p + n);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, n, true);
  view.setUint32(12, p, true);
  let at = HEADER_BYTES;
  for (let i = 0; i < n; i++, at += 4) view.setUint32(at, shard.offsets[i + 1] - shard.offsets[i], true);
  for (let k = 0; k < 2 * p; k++, at += 2) view.setInt16(at, shard.deltas[k], true);
  bytes.set(shard.pens.subarray(0, p), at);
  bytes.set(shard.labels.subarray(0, n), at + p);
  return bytes;
}

/** Parses a shard; `name` goes into error messages. */
export function decodeSequenceShard(bytes: Uint8Array, name: string): SequenceShard {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error(`${name} is not a drawing shard (bad header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new Error(`${name}: unsupported drawing shard version ${version}`);
  const n = view.getUint32(8, true);
  const p = view.getUint32(12, true);
  const size = HEADER_BYTES + 4 * n + 5 * p + n;
  if (bytes.length !== size) throw new Error(`${name}: ${bytes.length} bytes, expected ${size} (damaged)`);
  const offsets = new Uint32Array(n + 1);
  let at = HEADER_BYTES;
  for (let i = 0; i < n; i++, at += 4) offsets[i + 1] = offsets[i] + view.getUint32(at, true);
  if (offsets[n] !== p) throw new Error(`${name}: drawing lengths add up to ${offsets[n]} points, header says ${p} (damaged)`);
  const deltas = new Int16Array(2 * p);
  for (let k = 0; k < 2 * p; k++, at += 2) deltas[k] = view.getInt16(at, true);
  const pens = bytes.slice(at, at + p);
  const labels = bytes.slice(at + p, at + p + n);
  return { count: n, offsets, deltas, pens, labels };
}
