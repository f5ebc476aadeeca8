/**
 * Raw deflate (zip method 8) through the platform's DecompressionStream('deflate-raw'), present in
 * browsers, workers and Node >= 18. Output is bounded by the size the zip directory declares: the
 * stream is cancelled as soon as it produces more, so a bomb cannot inflate past its claim.
 */

/** Counts the work done, so callers and tests can see that inflating stayed bounded. */
export interface InflateStats {
  /** Bytes produced by the decompressor so far. */
  inflated: number;
}

/**
 * Compressed input is fed in slices this small: deflate expands at most ~1032×, so the decompressor
 * can run at most ~16 MiB ahead of the point where the reader stops it.
 */
const FEED_BYTES = 16 * 1024;

function sliceStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        const end = Math.min(bytes.length, at + FEED_BYTES);
        controller.enqueue(bytes.slice(at, end));
        at = end;
      },
    },
    { highWaterMark: 0 },
  );
}

function inflatedStream(raw: Uint8Array): ReadableStream<Uint8Array> {
  // The DOM typings of DecompressionStream use BufferSource chunks; the runtime is byte-compatible.
  return sliceStream(raw).pipeThrough(new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>);
}

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>, label: string): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (err) {
    throw new Error(`${label}: compressed data is corrupt (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Inflates `raw` into exactly `size` bytes; more or fewer is an Error naming `label`. */
export async function inflateRawBounded(raw: Uint8Array, size: number, label: string, stats?: InflateStats): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  const reader = inflatedStream(raw).getReader();
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await readChunk(reader, label);
      if (done) break;
      if (stats) stats.inflated += value.length;
      if (filled + value.length > size) throw new Error(`${label}: inflates to more than the ${size} bytes the zip directory declares`);
      out.set(value, filled);
      filled += value.length;
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err;
  }
  if (filled < size) throw new Error(`${label}: inflates to ${filled} bytes, the zip directory declares ${size}`);
  return out;
}
