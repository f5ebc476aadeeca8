/**
 * Which kernels the page's worker and the CLI train on. WebAssembly SIMD is ~10× the typed-array loops on the
 * matmuls that dominate training; browsers without SIMD fall back to the typed-array CPU backend.
 */
import type { Backend } from './backend';
import { CpuBackend } from './cpu';
import { WasmBackend } from './wasm';

export interface BackendChoice {
  backend: Backend;
  /** Human description for the page, e.g. "WebAssembly SIMD". */
  label: string;
  /** Why the preferred backend was not used, if it was not. */
  fallbackReason: string | null;
}

export function chooseCpuBackend(): BackendChoice {
  try {
    return { backend: new WasmBackend(), label: 'WebAssembly SIMD', fallbackReason: null };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { backend: new CpuBackend(), label: 'JavaScript typed arrays', fallbackReason: reason };
  }
}
