import type { Backend } from '../../backend';

export interface MatmulBench {
  m: number;
  n: number;
  k: number;
  reps: number;
  ms: number;
  gflops: number;
}

/**
 * GFLOP/s of out[M,N] = a[M,K]·b[K,N] (2·M·N·K flops each), timed from the first product to
 * the end of a read-back of the last result (which waits for the GPU to finish all of them).
 */
export async function benchMatmul(b: Backend, m: number, n: number, k: number, reps: number): Promise<MatmulBench> {
  const fill = (len: number) => Float32Array.from({ length: len }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const a = b.tensor([m, k], fill(m * k)), bt = b.tensor([k, n], fill(k * n)), out = b.tensor([m, n]);
  try {
    b.matmul(a, bt, out); // compile and warm the pool
    await b.read(out);
    const start = performance.now();
    for (let i = 0; i < reps; i++) b.matmul(a, bt, out);
    await b.read(out);
    const ms = performance.now() - start;
    return { m, n, k, reps, ms, gflops: (2 * m * n * k * reps) / (ms * 1e6) };
  } finally {
    b.dispose(a);
    b.dispose(bt);
    b.dispose(out);
  }
}
