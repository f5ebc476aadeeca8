import type { Backend, BackendName } from './backend';
import { CpuBackend, type CpuBackendOptions } from './cpu';
import { WebGl2Backend, type WebGl2BackendOptions } from './webgl2';
import { WasmBackend, type WasmBackendOptions } from './wasm';

export * from './backend';
export { CpuBackend, type CpuBackendOptions } from './cpu';
export { WebGl2Backend, WebGl2UnavailableError, type WebGl2BackendOptions } from './webgl2';
export { WasmBackend, WasmUnavailableError, hasWasmSimd, type WasmBackendOptions } from './wasm';

/**
 * The one place that maps a backend name to an implementation. 'webgl2' throws
 * WebGl2UnavailableError (a readable message) when the browser cannot run it: fall back to 'cpu'.
 * 'wasm' likewise throws WasmUnavailableError where WebAssembly SIMD is missing.
 */
export function createBackend(
  name: BackendName, opts: CpuBackendOptions & WebGl2BackendOptions & WasmBackendOptions = {},
): Backend {
  switch (name) {
    case 'cpu':
      return new CpuBackend(opts);
    case 'webgl2':
      return WebGl2Backend.open(opts);
    case 'wasm':
      return new WasmBackend(opts);
    default:
      throw new Error(`backend '${String(name)}' is not available in this build (available: cpu, webgl2, wasm)`);
  }
}
