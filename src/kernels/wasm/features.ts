/**
 * Feature detection for the WebAssembly kernels. Every browser with WebAssembly SIMD128
 * (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+) runs them; elsewhere the backend throws
 * WasmUnavailableError and the caller falls back to the scalar 'cpu' backend.
 */

/** Thrown when this JS engine cannot run the wasm backend; the message is shown to users. */
export class WasmUnavailableError extends Error {
  constructor(reason: string) {
    super(`WebAssembly SIMD is not available in this browser (${reason}); use the 'cpu' backend instead`);
    this.name = 'WasmUnavailableError';
  }
}

/** (module (func (result v128) i32.const 0 i8x16.splat)): valid only where SIMD128 is. */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // code: i32.const 0; i8x16.splat; end
]);

export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
}

export function hasWasmSimd(): boolean {
  return hasWebAssembly() && WebAssembly.validate(SIMD_PROBE);
}

/** Throws WasmUnavailableError unless WebAssembly SIMD128 can run here. */
export function requireWasmSimd(): void {
  if (!hasWebAssembly()) throw new WasmUnavailableError('no WebAssembly support');
  if (!hasWasmSimd()) throw new WasmUnavailableError('no SIMD128 support');
}

/** base64 → bytes with atob, which Node 16+, pages and workers all have. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const chars = atob(text);
  const bytes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);
  return bytes;
}
