import { activationSpec } from './activations';
import { sizeOf, type ActivationKind, type AdamParams, type FloatArray, type MatmulOptions, type Tensor } from './backend';

/**
 * The argument checks every backend shares (CheckedBackend runs them at the interface), in one
 * wording; the convolution, pooling and GRU checks are in validate-conv.ts and validate-gru.ts.
 */
export const fmtShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;

export const fmt = (t: Tensor): string => fmtShape(t.shape);

export function product(a: Tensor, b: Tensor, opts: MatmulOptions): string {
  return `${opts.transA ? 'aᵀ' : 'a'}${fmt(a)} · ${opts.transB ? 'bᵀ' : 'b'}${fmt(b)}`;
}

/** Matrix view [rows, cols] as rowsCols, but exact for 2-D tensors with 0 rows. */
export function rowsOf(t: Tensor): number {
  return t.shape.length === 0 ? 1 : t.shape[0];
}

export function colsOf(t: Tensor): number {
  if (t.shape.length === 2) return t.shape[1];
  const rows = rowsOf(t);
  return rows === 0 ? 0 : t.size / rows;
}

/** Fixed arity on purpose: a rest parameter would allocate an array on every op call. */
export function sameSize(op: string, first: Tensor, t1: Tensor, t2?: Tensor, t3?: Tensor): void {
  sizeMatches(op, first, t1);
  if (t2) sizeMatches(op, first, t2);
  if (t3) sizeMatches(op, first, t3);
}

function sizeMatches(op: string, first: Tensor, t: Tensor): void {
  if (t.size !== first.size) {
    throw new Error(`${op}: tensors ${fmt(first)} and ${fmt(t)} must have the same number of elements`);
  }
}

export function checkKind(kind: ActivationKind): ActivationKind {
  activationSpec(kind);
  return kind;
}

/** The shapes of backend.linear: x [M,K], weight [N,K], bias [N], out [M,N]; out none of the inputs. */
export function checkLinear(x: Tensor, weight: Tensor, bias: Tensor, out: Tensor): void {
  const m = rowsOf(x), k = colsOf(x), n = rowsOf(weight);
  if (colsOf(weight) !== k) {
    throw new Error(`linear: x ${fmt(x)} has ${k} features per row but weight ${fmt(weight)} expects ${colsOf(weight)}`);
  }
  if (bias.size !== n) throw new Error(`linear: bias ${fmt(bias)} does not match the ${n} outputs of weight ${fmt(weight)}`);
  if (rowsOf(out) !== m || colsOf(out) !== n) throw new Error(`linear: out is ${fmt(out)} but x·weightᵀ is [${m},${n}]`);
  if (out === x || out === weight || out === bias) throw new Error('linear: out must not be one of the inputs');
}

/** Checks the arguments of `backend.tensor(shape, data)`; returns the element count. */
export function tensorSize(shape: readonly number[], data?: ArrayLike<number>): number {
  if (!Array.isArray(shape)) throw new Error(`tensor shape must be an array, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`tensor shape [${shape.join(',')}] must hold non-negative integers`);
    }
  }
  const size = sizeOf(shape);
  if (data !== undefined && data.length !== size) {
    throw new Error(`tensor data has ${data.length} values but shape [${shape.join(',')}] needs ${size}`);
  }
  return size;
}

/** Throws if any label is not an integer class index in [0, classes). */
export function validateLabels(labels: FloatArray, rows: number, classes: number, op = 'softmaxCrossEntropy'): void {
  for (let r = 0; r < rows; r++) {
    const y = labels[r];
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new Error(`${op}: label ${y} at row ${r} is not a class index in [0, ${classes})`);
    }
  }
}

/** Rejects step counts and rates that would silently produce NaN or no-op updates. */
export function validateAdam(o: AdamParams): void {
  if (!Number.isInteger(o.step) || o.step < 1) {
    throw new Error(`adamStep: step must be an integer ≥ 1 (1-based for bias correction), got ${o.step}`);
  }
  for (const key of ['beta1', 'beta2'] as const) {
    if (!(o[key] >= 0 && o[key] < 1)) throw new Error(`adamStep: ${key} must be in [0, 1), got ${o[key]}`);
  }
}
