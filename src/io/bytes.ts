/**
 * A fresh ArrayBuffer holding bytes [start, end) of `bytes`. Typed arrays need aligned offsets,
 * and callers may pass a Node Buffer, whose slice() is a view into a shared pool, not a copy.
 */
export function copyBytes(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out.buffer;
}
