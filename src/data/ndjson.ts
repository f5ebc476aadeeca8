/**
 * Newline-delimited JSON read incrementally from a byte stream: never the whole file as one string, so a
 * 100 MB class file costs only the lines in flight, and the reader can stop after the first N drawings.
 */

/** One line of the file: a parsed value, or a line that is not valid JSON (with why). Blank lines are skipped. */
export type NdjsonRecord =
  | { line: number; value: unknown }
  | { line: number; malformed: string };

/** Longer lines are refused without being held: a binary or minified blob would otherwise fill memory. */
export const DEFAULT_MAX_LINE_CHARS = 4_000_000;

/**
 * Splits text arriving in pieces into lines. Accepts '\n' and '\r\n'; keeps the unfinished tail for the
 * next piece. A line longer than `maxLineChars` is dropped and reported as overflowed.
 */
export class LineSplitter {
  private tail = '';
  private overflowing = false;

  constructor(private readonly maxLineChars = DEFAULT_MAX_LINE_CHARS) {}

  /** Complete lines in `text` (joined to what came before); `null` stands for a dropped overlong line. */
  push(text: string): (string | null)[] {
    const lines: (string | null)[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lines.push(this.finishLine(text.slice(start, nl)));
      start = nl + 1;
    }
    this.keep(text.slice(start));
    return lines;
  }

  /** The last line when the text did not end with a newline (possibly a truncated one). */
  end(): (string | null)[] {
    if (this.overflowing) {
      this.overflowing = false;
      return [null];
    }
    const last = this.tail;
    this.tail = '';
    return last.length > 0 ? [stripCr(last)] : [];
  }

  private finishLine(piece: string): string | null {
    if (this.overflowing) {
      this.overflowing = false;
      return null;
    }
    const line = this.tail + piece;
    this.tail = '';
    return line.length > this.maxLineChars ? null : stripCr(line);
  }

  private keep(rest: string): void {
    if (this.overflowing) return;
    if (this.tail.length + rest.length > this.maxLineChars) {
      this.tail = '';
      this.overflowing = true;
    } else {
      this.tail += rest;
    }
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Parses one line; `null` means a blank line (not counted as anything). */
export function parseNdjsonLine(text: string | null, line: number, maxLineChars = DEFAULT_MAX_LINE_CHARS): NdjsonRecord | null {
  if (text === null) return { line, malformed: `line is longer than ${maxLineChars} characters` };
  if (text.trim().length === 0) return null;
  try {
    return { line, value: JSON.parse(text) as unknown };
  } catch {
    const preview = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    return { line, malformed: `not valid JSON (${JSON.stringify(preview)})` };
  }
}

export interface ReadNdjsonOptions {
  maxLineChars?: number;
}

/**
 * Yields the records of an ndjson byte stream in order. Lines may be split anywhere across chunks
 * (including inside a multi-byte UTF-8 character). Breaking out of the loop cancels the stream, which
 * stops a download early. A stream error (e.g. a dropped connection) is thrown from the loop.
 */
export async function* readNdjson(stream: ReadableStream<Uint8Array>, options: ReadNdjsonOptions = {}): AsyncGenerator<NdjsonRecord> {
  const maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  const splitter = new LineSplitter(maxLineChars);
  let lineNo = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const lines = done ? [...splitter.push(decoder.decode()), ...splitter.end()] : splitter.push(decoder.decode(value, { stream: true }));
      for (const text of lines) {
        lineNo++;
        const record = parseNdjsonLine(text, lineNo, maxLineChars);
        if (record) yield record;
      }
      if (done) break;
    }
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
