// AssemblyScript source (compiled by scripts/build-wasm.mjs with the other kernels into one module).
//
// Elementwise ops, row-vector ops and dropout on f32 arrays in linear memory, f32x4 where the math
// is plain arithmetic. Semantics as the scalar reference in src/kernels/cpu/{elementwise,rows,
// dropout}.ts; every pointer is a byte offset the host chose, n counts floats; out may alias x.

import { sigmoidV, tanhV } from './simdmath';

const ONE: f32 = 1;

/** Activation kinds, in the host's order (see ACTIVATION_CODES in src/kernels/wasm/index.ts). */
const RELU: i32 = 0;
const LEAKY: i32 = 1;
const TANH: i32 = 2;
const SIGMOID: i32 = 3;

/** Logistic function without overflow, in f64 as the reference (exp sees only x ≤ 0). */
@inline function sigmoid64(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** x > 0 ? x : x·slope (leaky relu), or x > 0 ? x : +0 (relu: masked, so no −0 or inf·0 = NaN). */
function rectify(x: usize, out: usize, n: i32, leaky: bool, slope: f32): void {
  const zero = f32x4.splat(0), s = f32x4.splat(slope);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(x + at), positive = f32x4.gt(v, zero);
    v128.store(out + at, leaky ? v128.bitselect(v, f32x4.mul(v, s), positive) : v128.and(v, positive));
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    store<f32>(out + (<usize>i << 2), v > 0 ? v : leaky ? v * slope : 0);
  }
}

/** tanh or the logistic function: four lanes by simdmath.as, the tail in f64 as the reference. */
function saturating(tanh: bool, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2, v = v128.load(x + at);
    v128.store(out + at, tanh ? tanhV(v) : sigmoidV(v));
  }
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    store<f32>(out + (<usize>i << 2), <f32>(tanh ? Math.tanh(v) : sigmoid64(v)));
  }
}

export function activationForward(kind: i32, x: usize, out: usize, n: i32, slope: f32): void {
  if (kind == RELU) rectify(x, out, n, false, 0);
  else if (kind == LEAKY) rectify(x, out, n, true, slope);
  else if (kind == TANH || kind == SIGMOID) saturating(kind == TANH, x, out, n);
  else if (out != x) memory.copy(out, x, <usize>n << 2);
}

/** dx = x > 0 ? dy : dy·slope (leaky relu), or x > 0 ? dy : +0 (relu). */
function rectifyBackward(x: usize, dy: usize, dx: usize, n: i32, leaky: bool, slope: f32): void {
  const zero = f32x4.splat(0), s = f32x4.splat(slope);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(dy + at), positive = f32x4.gt(v128.load(x + at), zero);
    v128.store(dx + at, leaky ? v128.bitselect(g, f32x4.mul(g, s), positive) : v128.and(g, positive));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const g = load<f32>(dy + at);
    store<f32>(dx + at, load<f32>(x + at) > 0 ? g : leaky ? g * slope : 0);
  }
}

/** dx = dy·(1 − y²) (tanh) or dy·y·(1 − y) (sigmoid), from the saved output y. */
function saturatingBackward(tanh: bool, y: usize, dy: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(y + at), g = v128.load(dy + at);
    const d = tanh ? f32x4.sub(one, f32x4.mul(v, v)) : f32x4.mul(v, f32x4.sub(one, v));
    v128.store(dx + at, f32x4.mul(g, d));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const v = load<f32>(y + at);
    store<f32>(dx + at, load<f32>(dy + at) * (tanh ? ONE - v * v : v * (ONE - v)));
  }
}

export function activationBackward(kind: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, slope: f32): void {
  if (kind == RELU) rectifyBackward(x, dy, dx, n, false, 0);
  else if (kind == LEAKY) rectifyBackward(x, dy, dx, n, true, slope);
  else if (kind == TANH) saturatingBackward(true, y, dy, dx, n);
  else if (kind == SIGMOID) saturatingBackward(false, y, dy, dx, n);
  else if (dx != dy) memory.copy(dx, dy, <usize>n << 2);
}

/** out = alpha·x. */
export function scale(x: usize, alpha: f32, out: usize, n: i32): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.mul(a, v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), alpha * load<f32>(x + (<usize>i << 2)));
}

/** y += alpha·x. */
export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(y + at, f32x4.add(v128.load(y + at), f32x4.mul(a, v128.load(x + at))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(y + at, load<f32>(y + at) + alpha * load<f32>(x + at));
  }
}

/** out = a ⊙ b. */
export function mul(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.mul(v128.load(a + at), v128.load(b + at)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, load<f32>(a + at) * load<f32>(b + at));
  }
}

/** out[r, c] = x[r, c] + bias[c]. */
export function addRowVector(x: usize, bias: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes, or = out + <usize>r * rowBytes;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const at = <usize>c << 2;
      v128.store(or + at, f32x4.add(v128.load(xr + at), v128.load(bias + at)));
    }
    for (; c < cols; c++) {
      const at = <usize>c << 2;
      store<f32>(or + at, load<f32>(xr + at) + load<f32>(bias + at));
    }
  }
}

/** out[c] (+)= Σ_r x[r, c], summed row by row so reads stay sequential. */
export function sumRows(x: usize, out: usize, rows: i32, cols: i32, accumulate: bool): void {
  const rowBytes = <usize>cols << 2;
  if (!accumulate) memory.fill(out, 0, rowBytes);
  for (let r = 0; r < rows; r++) axpy(1, x + <usize>r * rowBytes, out, cols);
}

/** hashUniform of src/kernels/backend.ts, bit for bit: the same 32-bit mixing, then / 2³². */
@inline function hashUniform(seed: i32, index: i32): f64 {
  let h: u32 = <u32>(index * <i32>0x9e3779b1) ^ <u32>(seed * <i32>0x85ebca77);
  h = (h ^ (h >>> 16)) * 0x7feb352d;
  h = (h ^ (h >>> 15)) * 0x846ca68b;
  h = h ^ (h >>> 16);
  return <f64>h / 4294967296.0;
}

/** Inverted dropout: keep iff hashUniform(seed, i) ≥ p; mask = keep ? keepScale : 0; out = x·mask. */
export function dropout(x: usize, mask: usize, out: usize, n: i32, p: f64, seed: i32, keepScale: f32): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 2;
    const m: f32 = hashUniform(seed, i) >= p ? keepScale : 0;
    store<f32>(mask + at, m);
    store<f32>(out + at, load<f32>(x + at) * m);
  }
}

/**
 * Σ src[0..n) in f64 (exact widening): bias gradients of the convs. Eight floats a step into four
 * f64x2 accumulators, so the adds do not wait on one another (one chain made it latency-bound).
 */
export function sumFloats(src: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const v = v128.load(src + (<usize>i << 2)), u = v128.load(src + (<usize>i << 2), 16);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
    s2 = f64x2.add(s2, f64x2.promote_low_f32x4(u));
    s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(u, u, 2, 3, 0, 1)));
  }
  const all = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let sum = f64x2.extract_lane(all, 0) + f64x2.extract_lane(all, 1);
  for (; i < n; i++) sum += <f64>load<f32>(src + (<usize>i << 2));
  return sum;
}
