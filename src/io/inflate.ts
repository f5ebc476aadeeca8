/**
 * Raw DEFLATE decoder (RFC 1951). Synchronous and dependency-free so the same code reads
 * compressed .npz members in the page, in a worker and in Node.
 */

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A canonical Huffman code as a direct lookup table indexed by the next `maxLen` input bits
 * (LSB-first, as DEFLATE packs them). Entry = symbol << 4 | codeLength; 0 marks an unused pattern.
 */
interface HuffmanTable {
  table: Uint32Array;
  maxLen: number;
}

function buildHuffman(lengths: ArrayLike<number>): HuffmanTable {
  let maxLen = 0;
  const countPerLength = new Uint16Array(16);
  for (let i = 0; i < lengths.length; i++) {
    countPerLength[lengths[i]]++;
    if (lengths[i] > maxLen) maxLen = lengths[i];
  }
  const nextCode = new Uint16Array(16);
  let code = 0;
  countPerLength[0] = 0;
  for (let len = 1; len <= 15; len++) {
    code = (code + countPerLength[len - 1]) << 1;
    nextCode[len] = code;
  }
  const table = new Uint32Array(1 << maxLen);
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const len = lengths[symbol];
    if (len === 0) continue;
    const c = nextCode[len]++;
    if (c >= 1 << len) throw new Error('corrupt deflate data: over-subscribed Huffman code');
    let reversed = 0;
    for (let b = 0; b < len; b++) reversed |= ((c >> b) & 1) << (len - 1 - b);
    for (let i = reversed; i < table.length; i += 1 << len) table[i] = (symbol << 4) | len;
  }
  return { table, maxLen };
}

let fixedTables: { lit: HuffmanTable; dist: HuffmanTable } | null = null;

function getFixedTables(): { lit: HuffmanTable; dist: HuffmanTable } {
  if (!fixedTables) {
    const lit = new Uint8Array(288);
    lit.fill(8, 0, 144);
    lit.fill(9, 144, 256);
    lit.fill(7, 256, 280);
    lit.fill(8, 280, 288);
    fixedTables = { lit: buildHuffman(lit), dist: buildHuffman(new Uint8Array(30).fill(5)) };
  }
  return fixedTables;
}

/** LSB-first bit reader; reads zero bytes past the end but fails if those bits are consumed. */
class BitReader {
  private pos = 0;
  private bitBuf = 0;
  private bitCount = 0;
  private paddedBytes = 0;

  constructor(private readonly src: Uint8Array) {}

  private fill(n: number): void {
    while (this.bitCount < n) {
      let byte = 0;
      if (this.pos < this.src.length) byte = this.src[this.pos++];
      else this.paddedBytes++;
      this.bitBuf |= byte << this.bitCount;
      this.bitCount += 8;
    }
  }

  private consume(n: number): void {
    this.bitBuf >>>= n;
    this.bitCount -= n;
    if (this.paddedBytes * 8 > this.bitCount) throw new Error('truncated deflate data: the stream ends early');
  }

  bits(n: number): number {
    if (n === 0) return 0;
    this.fill(n);
    const value = this.bitBuf & ((1 << n) - 1);
    this.consume(n);
    return value;
  }

  decode(h: HuffmanTable): number {
    this.fill(h.maxLen);
    const entry = h.table[this.bitBuf & ((1 << h.maxLen) - 1)];
    if (entry === 0) throw new Error('corrupt deflate data: invalid Huffman code');
    this.consume(entry & 15);
    return entry >>> 4;
  }

  /** Drops the bits up to the next byte boundary and hands back whole buffered bytes. */
  alignToByte(): void {
    this.consume(this.bitCount & 7);
    const buffered = this.bitCount / 8 - this.paddedBytes;
    this.pos -= buffered;
    this.bitBuf = 0;
    this.bitCount = 0;
    this.paddedBytes = 0;
  }

  takeBytes(n: number): Uint8Array {
    if (this.pos + n > this.src.length) throw new Error('truncated deflate data: stored block runs past the end');
    const out = this.src.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Growable output buffer. */
class Output {
  buf: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(capacity, 1024));
  }

  ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + extra));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  result(): Uint8Array {
    return this.buf.length === this.length ? this.buf : this.buf.slice(0, this.length);
  }
}

function inflateStored(reader: BitReader, out: Output): void {
  reader.alignToByte();
  const len = reader.bits(16);
  const nlen = reader.bits(16);
  if ((len ^ 0xffff) !== nlen) throw new Error('corrupt deflate data: stored block length check failed');
  reader.alignToByte();
  out.ensure(len);
  out.buf.set(reader.takeBytes(len), out.length);
  out.length += len;
}

function readDynamicTables(reader: BitReader): { lit: HuffmanTable; dist: HuffmanTable } {
  const litCount = reader.bits(5) + 257;
  const distCount = reader.bits(5) + 1;
  const codeLenCount = reader.bits(4) + 4;
  if (litCount > 286 || distCount > 30) throw new Error('corrupt deflate data: too many length or distance codes');
  const codeLenLengths = new Uint8Array(19);
  for (let i = 0; i < codeLenCount; i++) codeLenLengths[CODE_LENGTH_ORDER[i]] = reader.bits(3);
  const codeLenTable = buildHuffman(codeLenLengths);
  const lengths = new Uint8Array(litCount + distCount);
  let i = 0;
  while (i < lengths.length) {
    const sym = reader.decode(codeLenTable);
    if (sym < 16) {
      lengths[i++] = sym;
      continue;
    }
    let repeat: number;
    let value = 0;
    if (sym === 16) {
      if (i === 0) throw new Error('corrupt deflate data: repeat with no previous length');
      value = lengths[i - 1];
      repeat = 3 + reader.bits(2);
    } else if (sym === 17) repeat = 3 + reader.bits(3);
    else repeat = 11 + reader.bits(7);
    if (i + repeat > lengths.length) throw new Error('corrupt deflate data: code lengths overflow');
    lengths.fill(value, i, i + repeat);
    i += repeat;
  }
  if (lengths[256] === 0) throw new Error('corrupt deflate data: no end-of-block code');
  return { lit: buildHuffman(lengths.subarray(0, litCount)), dist: buildHuffman(lengths.subarray(litCount)) };
}

function inflateHuffman(reader: BitReader, out: Output, lit: HuffmanTable, dist: HuffmanTable): void {
  for (;;) {
    const sym = reader.decode(lit);
    if (sym < 256) {
      out.ensure(1);
      out.buf[out.length++] = sym;
      continue;
    }
    if (sym === 256) return;
    const lenIndex = sym - 257;
    if (lenIndex >= 29) throw new Error('corrupt deflate data: invalid length code');
    const length = LENGTH_BASE[lenIndex] + reader.bits(LENGTH_EXTRA[lenIndex]);
    const distIndex = reader.decode(dist);
    if (distIndex >= 30) throw new Error('corrupt deflate data: invalid distance code');
    const distance = DIST_BASE[distIndex] + reader.bits(DIST_EXTRA[distIndex]);
    if (distance > out.length) throw new Error('corrupt deflate data: distance reaches before the start');
    out.ensure(length);
    const buf = out.buf;
    let from = out.length - distance;
    let to = out.length;
    // Byte by byte on purpose: overlapping copies (distance < length) repeat the pattern.
    for (let k = 0; k < length; k++) buf[to++] = buf[from++];
    out.length = to;
  }
}

/**
 * Decompresses a raw DEFLATE stream (no zlib/gzip wrapper).
 * `expectedSize` (e.g. from a zip directory) only pre-sizes the output buffer.
 */
export function inflateRaw(src: Uint8Array, expectedSize = 0): Uint8Array {
  const reader = new BitReader(src);
  const out = new Output(expectedSize || src.length * 4);
  let last = 0;
  while (!last) {
    last = reader.bits(1);
    const type = reader.bits(2);
    if (type === 0) inflateStored(reader, out);
    else if (type === 1) {
      const fixed = getFixedTables();
      inflateHuffman(reader, out, fixed.lit, fixed.dist);
    } else if (type === 2) {
      const dyn = readDynamicTables(reader);
      inflateHuffman(reader, out, dyn.lit, dyn.dist);
    } else throw new Error('corrupt deflate data: invalid block type 3');
  }
  return out.result();
}
