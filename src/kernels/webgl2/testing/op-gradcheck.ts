import type { Backend, Tensor } from '../../backend';
import { CpuBackend } from '../../cpu';
import { Rng } from '../../rng';
import { gradcheck, type GradCheckOptions, type GradCheckResult } from '../../testing/gradcheck';
import { F32_GRADCHECK } from './dense-gradcheck';

/**
 * Gradient check of a small op pipeline for a backend that reads asynchronously in float32 (as
 * denseGradcheck, for any ops): the backend under test computes the analytic gradients with its
 * own backward ops; the numeric ones are central differences of the same loss on a float64
 * CpuBackend. A problem says which inputs are differentiated and how loss and gradients are
 * computed from Backend ops only, so the same problem runs on every backend.
 */
export interface OpGradProblem {
  /** Differentiated inputs, filled with uniform values in [−1, 1). */
  params: ReadonlyArray<{ name: string; shape: number[] }>;
  /** Inputs held fixed (labels, lengths). */
  fixed: Readonly<Record<string, { shape: number[]; values: number[] }>>;
  /**
   * Writes the scalar loss into `loss`; with `grads`, also ∂loss/∂param into grads[name]
   * (zero-filled beforehand, so accumulating ops may add into them). Frees its own scratch.
   */
  run(b: Backend, inputs: Record<string, Tensor>, loss: Tensor, grads: Record<string, Tensor> | null): void;
}

interface Built {
  inputs: Record<string, Tensor>;
  grads: Record<string, Tensor>;
  loss: Tensor;
  all: Tensor[];
}

function build(b: Backend, p: OpGradProblem, host: Record<string, Float64Array>, withGrads: boolean): Built {
  const all: Tensor[] = [];
  const t = (shape: number[], data?: ArrayLike<number>): Tensor => {
    const x = b.tensor(shape, data);
    all.push(x);
    return x;
  };
  const inputs: Record<string, Tensor> = {}, grads: Record<string, Tensor> = {};
  for (const { name, shape } of p.params) {
    inputs[name] = t(shape, host[name]);
    if (withGrads) grads[name] = t(shape);
  }
  for (const [name, f] of Object.entries(p.fixed)) inputs[name] = t(f.shape, f.values);
  return { inputs, grads, loss: t([1]), all };
}

/** Runs the check; returns the backend's loss beside the float64 one. Leaves no tensor behind. */
export async function opGradcheck(
  backend: Backend, problem: OpGradProblem, opts: GradCheckOptions = F32_GRADCHECK, seed = 7,
): Promise<GradCheckResult & { loss: number; referenceLoss: number }> {
  const rng = new Rng(seed);
  const host: Record<string, Float64Array> = {};
  for (const { name, shape } of problem.params) {
    host[name] = Float64Array.from({ length: shape.reduce((a, c) => a * c, 1) }, () => 2 * rng.next() - 1);
  }
  const net = build(backend, problem, host, true);
  const ref = new CpuBackend({ precision: 'f64' });
  const refNet = build(ref, problem, host, false);
  try {
    problem.run(backend, net.inputs, net.loss, net.grads);
    const loss = (await backend.read(net.loss))[0];
    const params = [];
    for (const { name } of problem.params) {
      params.push({ name, values: ref.readSync(refNet.inputs[name]), grad: await backend.read(net.grads[name]) });
    }
    const refLoss = (): number => {
      problem.run(ref, refNet.inputs, refNet.loss, null);
      return ref.readSync(refNet.loss)[0];
    };
    const referenceLoss = refLoss();
    return { ...gradcheck(refLoss, params, opts), loss, referenceLoss };
  } finally {
    for (const t of net.all) backend.dispose(t);
  }
}

/** Allocates scratch tensors and frees them all afterwards, even when `body` throws. */
export function withScratch<T>(b: Backend, body: (t: (shape: number[]) => Tensor) => T): T {
  const made: Tensor[] = [];
  try {
    return body((shape) => {
      const x = b.tensor(shape);
      made.push(x);
      return x;
    });
  } finally {
    for (const x of made) b.dispose(x);
  }
}
