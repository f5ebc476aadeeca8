import type { Backend, FloatArray, Tensor } from '../kernels/backend';

/** Reads a tensor back, synchronously where the backend can (no promise round-trip on CPU). */
export function readHost(backend: Backend, t: Tensor): FloatArray | Promise<FloatArray> {
  return backend.readSync ? backend.readSync(t) : backend.read(t);
}

/** Synchronous read for APIs that are synchronous by contract; says clearly when it can't. */
export function readHostSync(backend: Backend, t: Tensor): FloatArray {
  if (!backend.readSync) {
    throw new Error(`the ${backend.name} backend cannot read synchronously; use the async variant`);
  }
  return backend.readSync(t);
}
