import type { AdamParams, Backend, Tensor } from '../../backend';
import { Rng } from '../../rng';

/**
 * A small MLP training loop written directly against the Backend (as nn's dense layers do:
 * buffers allocated once, every step reuses them), for leak tests and smoke benchmarks.
 * Trains on one fixed random batch, so the loss must fall towards 0.
 */
export interface MlpStepsReport {
  /** Loss read after step 1 and every `readEvery` steps (the only read-backs). */
  losses: number[];
  /** `probe()` after the first step and after the last one. */
  first: unknown;
  last: unknown;
  msPerStep: number;
}

export interface MlpStepsOptions {
  steps: number;
  readEvery?: number;
  batch?: number;
  inputs?: number;
  hidden?: number;
  classes?: number;
  /** Resource counters to compare between the first and last step (e.g. texture stats). */
  probe?: () => unknown;
}

export async function runMlpSteps(b: Backend, o: MlpStepsOptions): Promise<MlpStepsReport> {
  const { steps, readEvery = 100, batch = 16, inputs = 20, hidden = 32, classes = 10 } = o;
  const probe = o.probe ?? (() => b.liveTensors());
  const rng = new Rng(99);
  const init = (n: number, s: number) => Array.from({ length: n }, () => s * (2 * rng.next() - 1));
  const all: Tensor[] = [];
  const t = (shape: number[], data?: ArrayLike<number>): Tensor => {
    const x = b.tensor(shape, data);
    all.push(x);
    return x;
  };
  const x = t([batch, inputs], init(batch * inputs, 1));
  const labels = t([batch], Array.from({ length: batch }, () => rng.int(classes)));
  const params = [t([inputs, hidden], init(inputs * hidden, 0.3)), t([hidden]), t([hidden, classes], init(hidden * classes, 0.3)), t([classes])];
  const [w1, b1, w2, b2] = params;
  const grads = params.map((p) => t([...p.shape]));
  const moments = params.flatMap((p) => [t([...p.shape]), t([...p.shape])]);
  const z1 = t([batch, hidden]), a1 = t([batch, hidden]), da1 = t([batch, hidden]);
  const z2 = t([batch, classes]), probs = t([batch, classes]), dz2 = t([batch, classes]), loss = t([1]);
  const adam: AdamParams = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 0, weightDecay: 0, decoupled: true };
  const losses: number[] = [];
  let first: unknown;
  const start = performance.now();
  try {
    for (let step = 1; step <= steps; step++) {
      b.matmul(x, w1, z1);
      b.addRowVector(z1, b1, z1);
      b.activation('relu', z1, a1);
      b.matmul(a1, w2, z2);
      b.addRowVector(z2, b2, z2);
      b.softmaxCrossEntropy(z2, labels, probs, dz2, loss, 0);
      b.matmul(a1, dz2, grads[2], { transA: true });
      b.sumRows(dz2, grads[3]);
      b.matmul(dz2, w2, da1, { transB: true });
      b.activationBackward('relu', z1, a1, da1, da1);
      b.matmul(x, da1, grads[0], { transA: true });
      b.sumRows(da1, grads[1]);
      adam.step = step;
      params.forEach((p, i) => b.adamStep(p, grads[i], moments[2 * i], moments[2 * i + 1], adam));
      if (step === 1 || step % readEvery === 0 || step === steps) losses.push((await b.read(loss))[0]);
      if (step === 1) first = probe();
    }
    return { losses, first, last: probe(), msPerStep: (performance.now() - start) / steps };
  } finally {
    for (const tensor of all) b.dispose(tensor);
  }
}
