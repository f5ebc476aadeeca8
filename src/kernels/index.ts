import type { Backend, BackendName } from './backend';
import { CpuBackend, type CpuBackendOptions } from './cpu';

export * from './backend';
export { CpuBackend, type CpuBackendOptions } from './cpu';

/** The one place that maps a backend name to an implementation. */
export function createBackend(name: BackendName, opts: CpuBackendOptions = {}): Backend {
  switch (name) {
    case 'cpu':
      return new CpuBackend(opts);
    default:
      throw new Error(`backend '${String(name)}' is not available in this build (available: cpu)`);
  }
}
