/**
 * Incremental parser for IDX files (the MNIST format): big-endian header `00 00 <type> <ndim>`, ndim uint32
 * dims, then raw data. Only unsigned-byte data (type 0x08) is accepted: 0x00000803 = images, 0x00000801 =
 * labels. Bytes can be pushed in chunks of any size; examples become readable as soon as they arrive.
 * Works the same in a browser, a Web Worker and Node (streams + DecompressionStream, no DOM).
 */

export type IdxKind = 'images' | 'labels';

export interface IdxHeader {
  kind: IdxKind;
  /** Number of examples (first dimension). */
  count: number;
  /** Dimensions of one example: [28, 28] for MNIST images, [] for labels. */
  dims: number[];
  headerBytes: number;
  /** Bytes per example (product of dims). */
  exampleBytes: number;
}

export interface IdxData {
  header: IdxHeader;
  /** count × exampleBytes bytes. */
  data: Uint8Array;
}

export interface IdxParseOptions {
  /** Used in every message, e.g. 'train-images' or the dropped file's name. */
  name: string;
  expectKind?: IdxKind;
  /** Required per-example dims, e.g. [28, 28]. */
  expectDims?: number[];
  /** Called once the header is known; may throw to abort (e.g. on a count mismatch with another file). */
  onHeader?: (header: IdxHeader) => void;
}

/** Refuse headers that would need an absurd allocation: they come from corrupt or hostile files. */
const MAX_DATA_BYTES = 1 << 30;
/**
 * Trailing bytes counted (for the message) before reading stops: a gzip holding a gigabyte of
 * zeros after the data is refused after this much, not after decompressing all of it.
 */
export const IDX_TRAILING_ALLOWANCE = 64 * 1024;
/** First allocation for the data; it doubles from there as bytes arrive. */
const INITIAL_DATA_BYTES = 1 << 20;
const TYPE_NAMES: Record<number, string> = { 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

function plural(kind: IdxKind | undefined): string {
  return kind ?? 'examples';
}

function hexBytes(bytes: Uint8Array, n: number): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Explains why leading bytes are not an IDX header. */
export function describeNonIdx(name: string, head: Uint8Array): string {
  if (head.length === 0) return `${name} is empty`;
  if (head[0] === 0x3c) return `${name} is not an MNIST IDX file: it looks like an HTML page (wrong URL?)`;
  return `${name} is not an MNIST IDX file (it starts with bytes ${hexBytes(head, 4)}, expected 00 00 08 03 or 00 00 08 01)`;
}

export class IdxParser {
  header: IdxHeader | null = null;
  /**
   * Filled as bytes arrive. It grows with the data received (up to the declared size), so a tiny
   * file whose header declares a gigabyte costs what it holds, not what it claims.
   */
  data: Uint8Array = new Uint8Array(0);
  private declaredBytes = 0;
  private headerBuf = new Uint8Array(4 + 4 * 255);
  private headerFill = 0;
  private dataFill = 0;
  private trailing = 0;

  constructor(private readonly opts: IdxParseOptions) {}

  /** Whole examples received so far. */
  get examplesReceived(): number {
    const h = this.header;
    if (!h) return 0;
    return h.exampleBytes === 0 ? h.count : Math.floor(this.dataFill / h.exampleBytes);
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    if (!this.header) {
      offset = this.fillHeader(chunk);
      if (!this.header) return;
    }
    const room = this.declaredBytes - this.dataFill;
    const take = Math.min(room, chunk.length - offset);
    this.reserve(this.dataFill + take);
    this.data.set(chunk.subarray(offset, offset + take), this.dataFill);
    this.dataFill += take;
    this.trailing += chunk.length - offset - take;
    if (this.trailing > IDX_TRAILING_ALLOWANCE && this.header) {
      const h = this.header;
      throw new Error(
        `${this.opts.name}: more than ${IDX_TRAILING_ALLOWANCE} unexpected bytes after the last of ${h.count} ${plural(h.kind)} ` +
          '(the file holds more data than its header declares; stopped reading)',
      );
    }
  }

  /** Grows `data` to hold at least `bytes` (doubling, capped at the declared size). */
  private reserve(bytes: number): void {
    if (bytes <= this.data.length) return;
    const grown = new Uint8Array(Math.min(this.declaredBytes, Math.max(bytes, 2 * this.data.length, INITIAL_DATA_BYTES)));
    grown.set(this.data.subarray(0, this.dataFill));
    this.data = grown;
  }

  /** Call at end of input: checks for truncation and trailing bytes. */
  finish(): IdxData {
    const { name } = this.opts;
    const h = this.header;
    if (!h) {
      if (this.headerFill < 4) throw new Error(describeNonIdx(name, this.headerBuf.subarray(0, this.headerFill)));
      throw new Error(`${name}: file ends inside the IDX header (${this.headerFill} bytes)`);
    }
    if (this.dataFill < this.declaredBytes) {
      throw new Error(`${name}: file ends after ${this.examplesReceived} of ${h.count} ${plural(h.kind)} (truncated)`);
    }
    if (this.trailing > 0) {
      throw new Error(`${name}: ${this.trailing} unexpected bytes after the last of ${h.count} ${plural(h.kind)}`);
    }
    return { header: h, data: this.data };
  }

  /** Consumes header bytes from the chunk; returns the offset where data starts (or chunk end). */
  private fillHeader(chunk: Uint8Array): number {
    let offset = 0;
    while (offset < chunk.length && !this.header) {
      this.headerBuf[this.headerFill++] = chunk[offset++];
      if (this.headerFill === 4) this.checkMagic();
      if (this.headerFill >= 4 && this.headerFill === 4 + 4 * this.headerBuf[3]) this.parseHeader();
    }
    return offset;
  }

  private checkMagic(): void {
    const b = this.headerBuf;
    const { name, expectKind } = this.opts;
    if (b[0] !== 0 || b[1] !== 0 || !(b[2] === 0x08 || b[2] in TYPE_NAMES)) {
      throw new Error(describeNonIdx(name, b.subarray(0, 4)));
    }
    if (b[2] !== 0x08) throw new Error(`${name}: IDX data type ${TYPE_NAMES[b[2]]} is not supported (expected unsigned bytes)`);
    if (b[3] !== 1 && b[3] !== 3) {
      throw new Error(`${name}: IDX file has ${b[3]} dimensions; MNIST files have 3 (images) or 1 (labels)`);
    }
    const kind: IdxKind = b[3] === 3 ? 'images' : 'labels';
    if (expectKind && kind !== expectKind) throw new Error(`${name}: expected an IDX ${expectKind} file but this one holds ${kind}`);
  }

  private parseHeader(): void {
    const { name, expectDims, onHeader } = this.opts;
    const b = this.headerBuf;
    const view = new DataView(b.buffer, 0, this.headerFill);
    const ndim = b[3];
    const allDims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
    const [count, ...dims] = allDims;
    const exampleBytes = dims.reduce((a, d) => a * d, 1);
    const kind: IdxKind = ndim === 3 ? 'images' : 'labels';
    if (expectDims && (dims.length !== expectDims.length || dims.some((d, i) => d !== expectDims[i]))) {
      throw new Error(`${name}: images are ${dims.join('×')}, expected ${expectDims.join('×')}`);
    }
    if (count * exampleBytes > MAX_DATA_BYTES) {
      throw new Error(`${name}: header declares ${count} ${kind} of ${dims.join('×') || 1} bytes — too large, the file is corrupt`);
    }
    const header: IdxHeader = { kind, count, dims, headerBytes: 4 + 4 * ndim, exampleBytes };
    onHeader?.(header);
    this.header = header;
    this.declaredBytes = count * exampleBytes;
  }
}

/** Parses a whole IDX file held in memory (already decompressed). */
export function parseIdx(bytes: Uint8Array, opts: IdxParseOptions): IdxData {
  const parser = new IdxParser(opts);
  parser.push(bytes);
  return parser.finish();
}

export type Compression = 'gzip' | 'none';

/** gzip (1f 8b) or a raw IDX file (00 00 08 ..); anything else is refused with a clear message. */
export function sniffCompression(head: Uint8Array, name: string): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 3 && head[0] === 0 && head[1] === 0 && head[2] === 0x08) return 'none';
  if (head.length === 0) throw new Error(`${name} is empty`);
  if (head[0] === 0x3c) throw new Error(`${name} is not a gzip or IDX file: it looks like an HTML page (wrong URL?)`);
  throw new Error(`${name} is neither gzip-compressed nor an IDX file (it starts with bytes ${hexBytes(head, 4)})`);
}

/** Reads until at least `n` bytes (or the end) are available; returns them and a stream of the whole input. */
async function peek(stream: ReadableStream<Uint8Array>, n: number): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < n && !done) {
    const r = await reader.read();
    if (r.done) done = true;
    else if (r.value.length > 0) {
      chunks.push(r.value);
      size += r.value.length;
    }
  }
  const head = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    head.set(c, at);
    at += c.length;
  }
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.length > 0) controller.enqueue(head);
      if (done) controller.close();
    },
    async pull(controller) {
      const r = await reader.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head, stream: rest };
}

/** Decompresses the stream when it is gzip; passes raw IDX through; refuses anything else. */
export async function decodedIdxStream(stream: ReadableStream<Uint8Array>, name: string): Promise<ReadableStream<Uint8Array>> {
  const { head, stream: whole } = await peek(stream, 4);
  if (sniffCompression(head, name) === 'none') return whole;
  // The DOM typings of DecompressionStream use BufferSource chunks; the runtime is byte-compatible.
  return whole.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
}

/**
 * Parses an IDX stream (gzip or raw) incrementally. `onChunk` runs after each chunk with the parser, so a
 * caller can store finished examples while the rest is still downloading (awaiting it applies backpressure).
 * Decompression stops soon after the declared data when more follows (see IDX_TRAILING_ALLOWANCE).
 */
export async function readIdxStream(
  stream: ReadableStream<Uint8Array>,
  opts: IdxParseOptions,
  onChunk?: (parser: IdxParser) => void | Promise<void>,
): Promise<IdxData> {
  const decoded = await decodedIdxStream(stream, opts.name);
  const parser = new IdxParser(opts);
  const reader = decoded.getReader();
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(`${opts.name}: reading failed, the data is corrupt or cut short (${why})`);
      }
      if (r.done) break;
      parser.push(r.value);
      if (onChunk) await onChunk(parser);
    }
  } catch (err) {
    reader.cancel().catch(() => undefined);
    throw err;
  }
  return parser.finish();
}
