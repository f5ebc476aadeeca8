import type { ActivationKind, Backend, Tensor } from '../../backend';
import { CpuBackend } from '../../cpu';
import { Rng } from '../../rng';
import { gradcheck, type GradCheckOptions, type GradCheckResult } from '../../testing/gradcheck';

/**
 * Gradient check of a two-layer dense net for a backend that can only read asynchronously
 * (and in float32): the backend under test computes the analytic gradients with its own
 * backward ops; the numeric gradients come from central differences of the same loss on a
 * float64 CpuBackend, where finite differences are accurate. Passing means the backend's
 * forward AND backward kernels agree with calculus, within float32 accuracy.
 *
 *   x[B,I] → x·W1 + b1 → act → ·W2 + b2 → softmax cross-entropy(labels, smoothing)
 */
export interface DenseProblem {
  batch: number;
  inputs: number;
  hidden: number;
  classes: number;
  activation: ActivationKind;
  smoothing: number;
}

export const DEFAULT_DENSE_PROBLEM: DenseProblem = {
  batch: 5, inputs: 7, hidden: 6, classes: 4, activation: 'tanh', smoothing: 0.1,
};

/** float32 analytic vs float64 numeric: tolerances sized for float32 round-off. */
export const F32_GRADCHECK: GradCheckOptions = { eps: 1e-5, rtol: 1e-4, atol: 1e-6 };

const PARAMS = ['x', 'w1', 'b1', 'w2', 'b2'] as const;
type ParamName = (typeof PARAMS)[number];

interface Net {
  values: Record<ParamName | 'labels', Tensor>;
  grads: Record<ParamName, Tensor>;
  loss: Tensor;
  all: Tensor[];
}

function shapes(p: DenseProblem): Record<ParamName, number[]> {
  return { x: [p.batch, p.inputs], w1: [p.inputs, p.hidden], b1: [p.hidden], w2: [p.hidden, p.classes], b2: [p.classes] };
}

function build(b: Backend, p: DenseProblem, host: Record<ParamName | 'labels', Float64Array>): Net {
  const s = shapes(p);
  const all: Tensor[] = [];
  const t = (shape: number[], data?: ArrayLike<number>): Tensor => {
    const x = b.tensor(shape, data);
    all.push(x);
    return x;
  };
  const values = {
    x: t(s.x, host.x), w1: t(s.w1, host.w1), b1: t(s.b1, host.b1), w2: t(s.w2, host.w2), b2: t(s.b2, host.b2),
    labels: t([p.batch], host.labels),
  };
  // Stale values in every gradient: a zero fill the backward loses would show up as an error.
  const stale = (shape: number[]) => t(shape, new Float32Array(shape.reduce((a, c) => a * c, 1)).fill(7));
  const grads = { x: stale(s.x), w1: stale(s.w1), b1: stale(s.b1), w2: stale(s.w2), b2: stale(s.b2) };
  return { values, grads, loss: t([1]), all };
}

/** Forward (and backward when `backward`) of the net; scratch tensors are freed before returning. */
function run(b: Backend, p: DenseProblem, net: Net, backward: boolean): void {
  const { x, w1, b1, w2, b2, labels } = net.values;
  const z1 = b.tensor([p.batch, p.hidden]), a1 = b.tensor([p.batch, p.hidden]);
  const z2 = b.tensor([p.batch, p.classes]), probs = b.tensor([p.batch, p.classes]);
  const dz2 = b.tensor([p.batch, p.classes]), da1 = b.tensor([p.batch, p.hidden]);
  try {
    b.matmul(x, w1, z1);
    b.addRowVector(z1, b1, z1);
    b.activation(p.activation, z1, a1);
    b.matmul(a1, w2, z2);
    b.addRowVector(z2, b2, z2);
    b.softmaxCrossEntropy(z2, labels, probs, dz2, net.loss, p.smoothing);
    if (!backward) return;
    const g = net.grads;
    // As nn's zeroGrad + accumulating layers (the backend defers zero fills into the next op).
    for (const grad of [g.w1, g.b1, g.w2, g.b2]) b.fill(grad, 0);
    b.matmul(a1, dz2, g.w2, { transA: true, accumulate: true });
    b.sumRows(dz2, g.b2, true);
    b.matmul(dz2, w2, da1, { transB: true });
    b.activationBackward(p.activation, z1, a1, da1, da1);
    b.matmul(x, da1, g.w1, { transA: true, accumulate: true });
    b.sumRows(da1, g.b1, true);
    b.matmul(da1, w1, g.x, { transB: true });
  } finally {
    for (const t of [z1, a1, z2, probs, dz2, da1]) b.dispose(t);
  }
}

function randomHost(p: DenseProblem, seed: number): Record<ParamName | 'labels', Float64Array> {
  const rng = new Rng(seed);
  const s = shapes(p);
  const uniform = (shape: number[]) => Float64Array.from({ length: shape.reduce((a, c) => a * c, 1) }, () => 2 * rng.next() - 1);
  return {
    x: uniform(s.x), w1: uniform(s.w1), b1: uniform(s.b1), w2: uniform(s.w2), b2: uniform(s.b2),
    labels: Float64Array.from({ length: p.batch }, () => rng.int(p.classes)),
  };
}

/**
 * Runs the check; also returns the backend's loss next to the float64 one. Leaves no tensor
 * behind on either backend.
 */
export async function denseGradcheck(
  backend: Backend, problem: DenseProblem = DEFAULT_DENSE_PROBLEM, opts: GradCheckOptions = F32_GRADCHECK, seed = 7,
): Promise<GradCheckResult & { loss: number; referenceLoss: number }> {
  const host = randomHost(problem, seed);
  const net = build(backend, problem, host);
  const ref = new CpuBackend({ precision: 'f64' });
  const refNet = build(ref, problem, host);
  try {
    run(backend, problem, net, true);
    const loss = (await backend.read(net.loss))[0];
    const params = [];
    for (const name of PARAMS) {
      params.push({ name, values: ref.readSync(refNet.values[name]), grad: await backend.read(net.grads[name]) });
    }
    const refLoss = (): number => {
      run(ref, problem, refNet, false);
      return ref.readSync(refNet.loss)[0];
    };
    const referenceLoss = refLoss();
    return { ...gradcheck(refLoss, params, opts), loss, referenceLoss };
  } finally {
    for (const t of net.all) backend.dispose(t);
  }
}
