/** Test helpers: small synthetic IDX files and streams (not used by the app). */
import { gzipSync } from 'node:zlib';

/** An IDX file: images (n × rows × cols, pixel = (i·7 + j) mod 256) or labels (i mod 10). */
export function makeIdx(kind: 'images' | 'labels', count: number, dims: number[] = kind === 'images' ? [28, 28] : []): Uint8Array {
  const per = dims.reduce((a, b) => a * b, 1);
  const header = 4 + 4 * (1 + dims.length);
  const bytes = new Uint8Array(header + count * per);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, 0x08, 1 + dims.length], 0);
  [count, ...dims].forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < per; j++) bytes[header + i * per + j] = kind === 'labels' ? i % 10 : (i * 7 + j) % 256;
  }
  return bytes;
}

export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}

/** A stream delivering `bytes` in chunks of `chunkSize`. */
export function streamOf(bytes: Uint8Array, chunkSize = 1000): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
