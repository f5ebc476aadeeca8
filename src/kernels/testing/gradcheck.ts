/**
 * Finite-difference gradient checker (central differences, float64). Backend-agnostic: it
 * perturbs host arrays in place and calls `loss()`, so the caller decides how values reach the
 * computation. With the f64 CpuBackend, `readSync` returns live storage, which makes a tensor
 * directly perturbable (see `tensorParam`).
 */
import type { Backend, Tensor } from '../backend';
import { Rng } from '../rng';

export interface GradCheckParam {
  name: string;
  /** Values the loss reads; perturbed in place and restored exactly. */
  values: { readonly length: number; [index: number]: number };
  /** Analytic dLoss/dvalues at the unperturbed point. */
  grad: ArrayLike<number>;
}

export interface GradCheckOptions {
  /** Step h of (L(x+h) − L(x−h)) / 2h. */
  eps?: number;
  /** Pass iff |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|). */
  rtol?: number;
  atol?: number;
  /** Check at most this many random entries per param (whole-model checks); default all. */
  maxChecksPerParam?: number;
  /** Seed for choosing the sampled entries. */
  seed?: number;
}

export interface GradCheckEntry {
  name: string;
  index: number;
  analytic: number;
  numeric: number;
  /** |analytic − numeric| / (atol + rtol·max(|analytic|, |numeric|)); ≤ 1 passes. */
  ratio: number;
}

export interface GradCheckResult {
  ok: boolean;
  checked: number;
  /** Worst entry by ratio (undefined when nothing was checked). */
  worst?: GradCheckEntry;
  failures: GradCheckEntry[];
}

const DEFAULTS = { eps: 1e-6, rtol: 1e-5, atol: 1e-8 };

export function gradcheck(
  loss: () => number, params: GradCheckParam[], opts: GradCheckOptions = {},
): GradCheckResult {
  const { eps, rtol, atol } = { ...DEFAULTS, ...opts };
  const rng = new Rng(opts.seed ?? 1234);
  const failures: GradCheckEntry[] = [];
  let worst: GradCheckEntry | undefined;
  let checked = 0;
  for (const param of params) {
    if (param.grad.length !== param.values.length) {
      throw new Error(`gradcheck: ${param.name} has ${param.values.length} values but ${param.grad.length} gradients`);
    }
    for (const index of pickIndices(param.values.length, opts.maxChecksPerParam, rng)) {
      const numeric = centralDifference(loss, param.values, index, eps);
      const analytic = param.grad[index];
      const diff = Math.abs(analytic - numeric);
      const ratio = diff / (atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric)));
      const entry = { name: param.name, index, analytic, numeric, ratio: Number.isNaN(ratio) ? Infinity : ratio };
      checked++;
      if (!worst || entry.ratio > worst.ratio) worst = entry;
      if (!(entry.ratio <= 1)) failures.push(entry);
    }
  }
  return { ok: failures.length === 0, checked, worst, failures };
}

/** gradcheck that throws a readable Error listing the first failing entries. */
export function assertGradients(
  loss: () => number, params: GradCheckParam[], opts: GradCheckOptions = {},
): GradCheckResult {
  const result = gradcheck(loss, params, opts);
  if (!result.ok) {
    const lines = result.failures.slice(0, 8).map(
      (f) => `  ${f.name}[${f.index}]: analytic ${f.analytic.toExponential(6)} vs numeric ${f.numeric.toExponential(6)}`,
    );
    throw new Error(`gradient check failed on ${result.failures.length}/${result.checked} entries:\n${lines.join('\n')}`);
  }
  if (result.checked === 0) throw new Error('gradient check checked nothing (empty params?)');
  return result;
}

function centralDifference(
  loss: () => number, values: GradCheckParam['values'], index: number, eps: number,
): number {
  const original = values[index];
  values[index] = original + eps;
  const plus = loss();
  values[index] = original - eps;
  const minus = loss();
  values[index] = original;
  return (plus - minus) / (2 * eps);
}

function pickIndices(size: number, max: number | undefined, rng: Rng): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (max === undefined || max >= size) return all;
  return rng.shuffle(all).slice(0, max).sort((a, b) => a - b);
}

/**
 * A gradcheck param backed by a tensor of a synchronous float64 backend (CpuBackend 'f64').
 * `values` is the tensor's live storage; `grad` is a snapshot of `grad` taken now, so compute
 * the analytic gradients before calling this.
 */
export function tensorParam(backend: Backend, name: string, value: Tensor, grad: Tensor): GradCheckParam {
  if (!backend.readSync) throw new Error(`gradcheck: backend '${backend.name}' cannot read synchronously`);
  if (backend.precision !== 'f64') {
    throw new Error(`gradcheck: use a float64 backend (got ${backend.precision}); float32 is too coarse for finite differences`);
  }
  return { name, values: backend.readSync(value), grad: backend.readSync(grad).slice() };
}
