// AssemblyScript source (compiled by scripts/build-wasm.mjs with the other kernels into one module).
//
// exp, sigmoid and tanh on four f32 lanes for the GRU gates and the activations, where the scalar
// Math calls cost more than all the surrounding arithmetic. Cody–Waite range reduction
// x = n·ln2 + r (|r| ≤ ln2/2) and a degree-6 Taylor polynomial: relative error ≈ 2e-7 (a float32
// ulp or two) over the whole range; inputs are clamped so 2ⁿ stays a normal float.

const LOG2E: f32 = 1.44269504;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const EXP_MAX: f32 = 88.0;
const EXP_MIN: f32 = -87.0;

/** e^x per lane (x clamped to [−87, 88]; NaN stays NaN). */
@inline export function expV(x: v128): v128 {
  const clamped = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_MAX)), f32x4.splat(EXP_MIN));
  const v = v128.bitselect(x, clamped, f32x4.ne(x, x));
  const n = f32x4.nearest(f32x4.mul(v, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(v, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.0 / 720);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** 1 / (1 + e^−x): e^−x overflows to a huge finite value, never inf, so no NaN for large |x|. */
@inline export function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(x))));
}

/** Below this |x|, e^{2|x|} − 1 comes from a degree-9 Taylor polynomial without its leading 1. */
const TANH_SMALL: f32 = 0.3;

/**
 * tanh x = sign(x)·q/(q + 2) with q = e^{2|x|} − 1: for |x| < 0.3 q is a polynomial without
 * the leading 1 (no cancellation near 0); above, 1 − 2/(e^{2|x|} + 1).
 */
@inline export function tanhV(x: v128): v128 {
  const one = f32x4.splat(1), two = f32x4.splat(2), ax = f32x4.abs(x), r = f32x4.add(ax, ax);
  let p = f32x4.splat(1.0 / 362880);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 40320));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 5040));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 720));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), one);
  const q = f32x4.mul(p, r);
  const small = f32x4.div(q, f32x4.add(q, two));
  const large = f32x4.sub(one, f32x4.div(two, f32x4.add(expV(r), one)));
  const t = v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(TANH_SMALL)));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

/** acc + a·b per lane: fused where the build has relaxed-simd (one rounding), else mul then add. */
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
