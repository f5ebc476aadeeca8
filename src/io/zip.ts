/**
 * Minimal zip archive support, enough for .npz: reads stored and deflated members (including
 * the ZIP64 fields numpy writes) and writes stored members. Reading is bounded (issue 15): the
 * directory is checked whole before anything is inflated (entry count, overlapping members, the
 * total declared size against a budget, sizes deflate cannot reach), unwanted members are never
 * inflated, and each member stops at its declared size.
 */
import { inflateRawBounded, type InflateStats } from './inflate';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const U32_MAX = 0xffffffff;

let crcTable: Uint32Array | null = null;

function getCrcTable(): Uint32Array {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  return crcTable;
}

/** CRC-32 (the zip / PNG polynomial), as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array): number {
  const table = getCrcTable();
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readU64(view: DataView, offset: number): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('zip archive is corrupt: 64-bit size too large');
  return Number(value);
}

interface Directory {
  count: number;
  offset: number;
}

function findDirectory(bytes: Uint8Array, view: DataView): Directory {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) !== SIG_END) continue;
    let count = view.getUint16(at + 10, true);
    let offset = view.getUint32(at + 16, true);
    const locator = at - 20;
    if ((count === 0xffff || offset === U32_MAX) && locator >= 0 && view.getUint32(locator, true) === SIG_ZIP64_LOCATOR) {
      const end64 = readU64(view, locator + 8);
      if (end64 + 56 > bytes.length || view.getUint32(end64, true) !== SIG_ZIP64_END) {
        throw new Error('zip archive is corrupt: bad ZIP64 end record');
      }
      count = readU64(view, end64 + 32);
      offset = readU64(view, end64 + 48);
    }
    return { count, offset };
  }
  throw new Error('zip archive is truncated or corrupt: end of central directory not found');
}

interface CentralRecord {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  recordLength: number;
}

/** Replaces 0xFFFFFFFF placeholders with the values of the ZIP64 extra field (id 1). */
function applyZip64Extra(view: DataView, extraStart: number, extraEnd: number, rec: CentralRecord): void {
  let p = extraStart;
  while (p + 4 <= extraEnd) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 1) {
      let q = p + 4;
      const take = (): number => {
        if (q + 8 > p + 4 + size) throw new Error(`zip entry ${rec.name}: ZIP64 extra field too short`);
        const value = readU64(view, q);
        q += 8;
        return value;
      };
      if (rec.size === U32_MAX) rec.size = take();
      if (rec.compressedSize === U32_MAX) rec.compressedSize = take();
      if (rec.localOffset === U32_MAX) rec.localOffset = take();
      return;
    }
    p += 4 + size;
  }
}

const utf8 = new TextDecoder('utf-8');

function readCentralRecord(bytes: Uint8Array, view: DataView, at: number): CentralRecord {
  if (at + 46 > bytes.length || view.getUint32(at, true) !== SIG_CENTRAL) {
    throw new Error('zip archive is corrupt: bad central directory entry');
  }
  const nameLength = view.getUint16(at + 28, true);
  const extraLength = view.getUint16(at + 30, true);
  const commentLength = view.getUint16(at + 32, true);
  const nameEnd = at + 46 + nameLength;
  if (nameEnd + extraLength + commentLength > bytes.length) throw new Error('zip archive is corrupt: directory runs past the end');
  const rec: CentralRecord = {
    name: utf8.decode(bytes.subarray(at + 46, nameEnd)),
    flags: view.getUint16(at + 8, true),
    method: view.getUint16(at + 10, true),
    crc: view.getUint32(at + 16, true),
    compressedSize: view.getUint32(at + 20, true),
    size: view.getUint32(at + 24, true),
    localOffset: view.getUint32(at + 42, true),
    recordLength: 46 + nameLength + extraLength + commentLength,
  };
  applyZip64Extra(view, nameEnd, nameEnd + extraLength, rec);
  return rec;
}

export interface ZipReadOptions {
  /** Members to extract (by name); the others are skipped before any inflating. Default: all. */
  wanted?: (name: string) => boolean;
  /** Bytes all extracted members may hold together once inflated. */
  maxTotalBytes?: number;
  /** Directory entries the archive may have. */
  maxEntries?: number;
  /** Receives the count of bytes inflated (tests assert the work stayed bounded). */
  stats?: InflateStats;
}

/** Well above any weight file scratchnet reads (the 20 M-parameter cap is 80 MB of float32). */
export const ZIP_DEFAULT_MAX_TOTAL_BYTES = 256 * 1024 * 1024;
export const ZIP_DEFAULT_MAX_ENTRIES = 4096;
/** Deflate cannot expand more than 1032:1; a member that claims more is lying. */
const MAX_DEFLATE_RATIO = 1032;

interface Member {
  rec: CentralRecord;
  /** Byte range of the member in the archive: local header through compressed data. */
  start: number;
  dataStart: number;
  end: number;
}

function locateMember(bytes: Uint8Array, view: DataView, rec: CentralRecord): Member {
  const at = rec.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== SIG_LOCAL) {
    throw new Error(`zip entry ${rec.name}: local header missing or corrupt`);
  }
  const dataStart = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = dataStart + rec.compressedSize;
  if (end > bytes.length) throw new Error(`zip entry ${rec.name} is truncated`);
  return { rec, start: at, dataStart, end };
}

/** What must hold before a member is extracted (unwanted members are never looked at this closely). */
function checkExtractable({ rec }: Member): void {
  if (rec.flags & 1) throw new Error(`zip entry ${rec.name} is encrypted, which is not supported`);
  if (rec.method !== 0 && rec.method !== 8) {
    throw new Error(`zip entry ${rec.name} uses compression method ${rec.method} (only stored and deflate are supported)`);
  }
  if (rec.method === 0 && rec.size !== rec.compressedSize) {
    throw new Error(`zip entry ${rec.name}: stored member declares ${rec.size} bytes but holds ${rec.compressedSize}`);
  }
  if (rec.method === 8 && rec.size > rec.compressedSize * MAX_DEFLATE_RATIO + 64) {
    throw new Error(`zip entry ${rec.name}: declares ${rec.size} bytes from ${rec.compressedSize} compressed, more than deflate can produce`);
  }
}

/** Two entries sharing bytes is how a bomb multiplies one member; real archives never do it. */
function checkNoOverlap(members: Member[]): void {
  const sorted = [...members].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) {
      throw new Error(`zip entries ${sorted[i - 1].rec.name} and ${sorted[i].rec.name} overlap (the archive is corrupt or hostile)`);
    }
  }
}

function checkBudget(members: Member[], maxTotal: number): void {
  const total = members.reduce((sum, m) => sum + m.rec.size, 0);
  if (total > maxTotal) {
    throw new Error(`zip members declare ${total} bytes uncompressed, more than the ${maxTotal}-byte limit`);
  }
}

async function extractMember(bytes: Uint8Array, m: Member, stats: InflateStats | undefined): Promise<Uint8Array> {
  const { rec } = m;
  const raw = bytes.subarray(m.dataStart, m.end);
  const data = rec.method === 0 ? raw : await inflateRawBounded(raw, rec.size, `zip entry ${rec.name}`, stats);
  if (crc32(data) !== rec.crc) throw new Error(`zip entry ${rec.name}: CRC-32 mismatch (file is corrupt)`);
  return data;
}

function readDirectory(bytes: Uint8Array, view: DataView, maxEntries: number): CentralRecord[] {
  const dir = findDirectory(bytes, view);
  // Each directory record takes at least 46 bytes: a larger count cannot be genuine.
  if (dir.count > maxEntries || dir.count * 46 > bytes.length) {
    throw new Error(`zip archive claims ${dir.count} entries (the limit is ${maxEntries}); it is corrupt or hostile`);
  }
  const records: CentralRecord[] = [];
  let at = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    const rec = readCentralRecord(bytes, view, at);
    at += rec.recordLength;
    records.push(rec);
  }
  return records;
}

/**
 * The wanted members of a zip archive, in directory order. Everything is checked before anything
 * is inflated. Member data may alias `bytes` (stored members).
 */
export async function readZip(bytes: Uint8Array, options: ZipReadOptions = {}): Promise<ZipEntry[]> {
  if (bytes.length < 22) throw new Error(`zip archive is truncated: only ${bytes.length} bytes`);
  const view = viewOf(bytes);
  const records = readDirectory(bytes, view, options.maxEntries ?? ZIP_DEFAULT_MAX_ENTRIES);
  const members = records.filter((r) => !r.name.endsWith('/')).map((r) => locateMember(bytes, view, r));
  checkNoOverlap(members);
  const wanted = options.wanted ? members.filter((m) => options.wanted!(m.rec.name)) : members;
  wanted.forEach(checkExtractable);
  checkBudget(wanted, options.maxTotalBytes ?? ZIP_DEFAULT_MAX_TOTAL_BYTES);
  const entries: ZipEntry[] = [];
  for (const m of wanted) entries.push({ name: m.rec.name, data: await extractMember(bytes, m, options.stats) });
  return entries;
}

const utf8Encoder = new TextEncoder();
/** 1980-01-01 00:00, the zip epoch: a fixed timestamp keeps exports byte-reproducible. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Writes the fields shared by local and central headers, starting at the "version needed" field. */
function writeCommonFields(view: DataView, at: number, nameBytes: Uint8Array, crc: number, size: number): void {
  const nonAscii = nameBytes.some((b) => b >= 0x80);
  view.setUint16(at, 20, true); // version needed: 2.0
  view.setUint16(at + 2, nonAscii ? 0x0800 : 0, true); // bit 11: UTF-8 names
  view.setUint16(at + 4, 0, true); // method: stored
  view.setUint16(at + 6, 0, true); // time
  view.setUint16(at + 8, DOS_DATE, true);
  view.setUint32(at + 10, crc, true);
  view.setUint32(at + 14, size, true);
  view.setUint32(at + 18, size, true);
  view.setUint16(at + 22, nameBytes.length, true);
  view.setUint16(at + 24, 0, true); // extra length
}

/** A zip archive with every member stored uncompressed (no ZIP64: total must stay under 4 GiB). */
export function writeZip(entries: ZipEntry[]): Uint8Array {
  const names = entries.map((e) => utf8Encoder.encode(e.name));
  let localSize = 0;
  let centralSize = 0;
  entries.forEach((e, i) => {
    localSize += 30 + names[i].length + e.data.length;
    centralSize += 46 + names[i].length;
  });
  const total = localSize + centralSize + 22;
  if (total > U32_MAX || entries.length > 0xffff) throw new Error('zip archive too large (over 4 GiB or 65535 members)');
  const out = new Uint8Array(total);
  const view = viewOf(out);
  const offsets: number[] = [];
  const crcs: number[] = [];
  let at = 0;
  entries.forEach((e, i) => {
    offsets.push(at);
    crcs.push(crc32(e.data));
    view.setUint32(at, SIG_LOCAL, true);
    writeCommonFields(view, at + 4, names[i], crcs[i], e.data.length);
    out.set(names[i], at + 30);
    out.set(e.data, at + 30 + names[i].length);
    at += 30 + names[i].length + e.data.length;
  });
  const centralStart = at;
  entries.forEach((e, i) => {
    view.setUint32(at, SIG_CENTRAL, true);
    view.setUint16(at + 4, 20, true); // version made by
    writeCommonFields(view, at + 6, names[i], crcs[i], e.data.length);
    // comment length, disk number, internal and external attributes stay 0
    view.setUint32(at + 42, offsets[i], true);
    out.set(names[i], at + 46);
    at += 46 + names[i].length;
  });
  view.setUint32(at, SIG_END, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, centralSize, true);
  view.setUint32(at + 16, centralStart, true);
  return out;
}
