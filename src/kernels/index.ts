import type { Backend, BackendName } from './backend';
import { CpuBackend, type CpuBackendOptions } from './cpu';
import { WebGl2Backend, type WebGl2BackendOptions } from './webgl2';

export * from './backend';
export { CpuBackend, type CpuBackendOptions } from './cpu';
export { WebGl2Backend, WebGl2UnavailableError, type WebGl2BackendOptions } from './webgl2';

/**
 * The one place that maps a backend name to an implementation. 'webgl2' throws
 * WebGl2UnavailableError (a readable message) when the browser cannot run it: fall back to 'cpu'.
 */
export function createBackend(name: BackendName, opts: CpuBackendOptions & WebGl2BackendOptions = {}): Backend {
  switch (name) {
    case 'cpu':
      return new CpuBackend(opts);
    case 'webgl2':
      return WebGl2Backend.open(opts);
    default:
      throw new Error(`backend '${String(name)}' is not available in this build (available: cpu, webgl2)`);
  }
}
