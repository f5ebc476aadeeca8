import type { ActivationKind, MatmulOptions, Tensor } from './backend';

/** Shape checks with the same messages as the CPU backend, so users see one wording. */
export const fmt = (t: Tensor): string => `[${t.shape.join(',')}]`;

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

const KINDS: readonly ActivationKind[] = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'identity'];

export function checkKind(kind: ActivationKind): ActivationKind {
  if (!KINDS.includes(kind)) throw new Error(`unknown activation '${String(kind)}' (expected ${KINDS.join(', ')})`);
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
