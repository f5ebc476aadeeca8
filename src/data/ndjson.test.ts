import { describe, expect, it } from 'vitest';
import { LineSplitter, readNdjson, type NdjsonRecord } from './ndjson';

const encoder = new TextEncoder();

/** A stream delivering `bytes` cut at the given positions. */
function streamCut(bytes: Uint8Array, cuts: number[], onCancel?: () => void): ReadableStream<Uint8Array> {
  const bounds = [0, ...cuts, bytes.length];
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i >= bounds.length - 1) return controller.close();
      controller.enqueue(bytes.slice(bounds[i], bounds[i + 1]));
      i++;
    },
    cancel: () => onCancel?.(),
  });
}

async function collect(stream: ReadableStream<Uint8Array>, maxLineChars?: number): Promise<NdjsonRecord[]> {
  const out: NdjsonRecord[] = [];
  for await (const r of readNdjson(stream, { maxLineChars })) out.push(r);
  return out;
}

// CRLF, a multi-byte word (split mid-character by some cuts), a blank line, a garbage line, no final newline.
const SAMPLE =
  '{"word":"cat","drawing":[[[0,1],[2,3]]]}\r\n' +
  '{"word":"café 🐱","n":2}\n' +
  '\n' +
  'this is not json\n' +
  '[1,2,3]\r\n' +
  '{"word":"last","n":4}';

const EXPECTED: NdjsonRecord[] = [
  { line: 1, value: { word: 'cat', drawing: [[[0, 1], [2, 3]]] } },
  { line: 2, value: { word: 'café 🐱', n: 2 } },
  { line: 4, malformed: 'not valid JSON ("this is not json")' },
  { line: 5, value: [1, 2, 3] },
  { line: 6, value: { word: 'last', n: 4 } },
];

describe('readNdjson', () => {
  it('gives the same records for a cut at every byte position', async () => {
    const bytes = encoder.encode(SAMPLE);
    expect(await collect(streamCut(bytes, []))).toEqual(EXPECTED);
    for (let p = 0; p <= bytes.length; p++) {
      expect(await collect(streamCut(bytes, [p]))).toEqual(EXPECTED);
    }
  });

  it('handles one byte per chunk and two cuts at every pair of positions', async () => {
    const bytes = encoder.encode(SAMPLE);
    expect(await collect(streamCut(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)))).toEqual(EXPECTED);
    for (let a = 1; a < bytes.length; a += 3) {
      for (let b = a; b < bytes.length; b += 5) expect(await collect(streamCut(bytes, [a, b]))).toEqual(EXPECTED);
    }
  });

  it('reports a truncated last line as malformed and keeps the lines before it', async () => {
    const bytes = encoder.encode('{"a":1}\n{"a":2}\n{"a":3,"drawing":[[[1,2');
    const records = await collect(streamCut(bytes, [10]));
    expect(records.slice(0, 2)).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { a: 2 } },
    ]);
    expect(records[2]).toMatchObject({ line: 3 });
    expect('malformed' in records[2]).toBe(true);
  });

  it('cancels the stream when the reader stops early', async () => {
    let cancelled = false;
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ i })).join('\n');
    const stream = streamCut(encoder.encode(lines), [50, 100, 150, 200, 250], () => (cancelled = true));
    const seen: unknown[] = [];
    for await (const r of readNdjson(stream)) {
      if ('value' in r) seen.push(r.value);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(cancelled).toBe(true);
  });

  it('throws a stream error after yielding what arrived before it', async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new TypeError('network error'));
        controller.enqueue(encoder.encode('{"a":1}\n{"a":'));
        sent = true;
      },
    });
    const seen: NdjsonRecord[] = [];
    await expect(async () => {
      for await (const r of readNdjson(stream)) seen.push(r);
    }).rejects.toThrow('network error');
    expect(seen).toEqual([{ line: 1, value: { a: 1 } }]);
  });

  it('refuses an overlong line without holding it and reads on after it', async () => {
    const long = 'x'.repeat(500);
    const bytes = encoder.encode(`{"a":1}\n${long}\n{"a":2}\n${long}`);
    const records = await collect(streamCut(bytes, [20, 300, 520]), 100);
    expect(records).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, malformed: 'line is longer than 100 characters' },
      { line: 3, value: { a: 2 } },
      { line: 4, malformed: 'line is longer than 100 characters' },
    ]);
  });
});

describe('LineSplitter', () => {
  it('joins pieces, strips CR and returns the unterminated tail at the end', () => {
    const s = new LineSplitter();
    expect(s.push('ab')).toEqual([]);
    expect(s.push('c\r\nde\nf')).toEqual(['abc', 'de']);
    expect(s.push('g\r')).toEqual([]);
    expect(s.end()).toEqual(['fg']);
    expect(s.end()).toEqual([]);
  });
});
