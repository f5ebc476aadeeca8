// AssemblyScript source (compiled by scripts/build-wasm.mjs with the other kernels into one module).
//
// Optimizer updates in place, f32x4, formulas as src/kernels/cpu/optimizers.ts (PyTorch's). The
// host folds the per-step scalars (bias corrections, decay factors) so the loops only see arrays.

const ONE: f32 = 1;

/** p −= lr·(g + wd·p). */
export function sgdStep(p: usize, g: usize, n: i32, lr: f32, wd: f32): void {
  const vlr = f32x4.splat(lr), vwd = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const pv = v128.load(p + at);
    v128.store(p + at, f32x4.sub(pv, f32x4.mul(vlr, f32x4.add(v128.load(g + at), f32x4.mul(vwd, pv)))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const pv = load<f32>(p + at);
    store<f32>(p + at, pv - lr * (load<f32>(g + at) + wd * pv));
  }
}

/** v = μ·v + (g + wd·p); p −= lr·v. */
export function momentumStep(p: usize, g: usize, v: usize, n: i32, lr: f32, mu: f32, wd: f32): void {
  const vlr = f32x4.splat(lr), vmu = f32x4.splat(mu), vwd = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const pv = v128.load(p + at);
    const vel = f32x4.add(f32x4.add(f32x4.mul(vmu, v128.load(v + at)), v128.load(g + at)), f32x4.mul(vwd, pv));
    v128.store(v + at, vel);
    v128.store(p + at, f32x4.sub(pv, f32x4.mul(vlr, vel)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const pv = load<f32>(p + at);
    const vel = mu * load<f32>(v + at) + load<f32>(g + at) + wd * pv;
    store<f32>(v + at, vel);
    store<f32>(p + at, pv - lr * vel);
  }
}

/**
 * Adam / AdamW: g' = g + l2·p; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²;
 * p = p·shrink − stepSize·m / (√v / √(1−β2ᵗ) + eps), with stepSize = lr/(1−β1ᵗ).
 */
export function adamStep(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, eps: f32, stepSize: f32, sqrtBiasCorrection2: f32, shrink: f32, l2: f32,
): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), c2 = f32x4.splat(1 - beta2);
  const ve = f32x4.splat(eps), vs = f32x4.splat(stepSize), vb = f32x4.splat(sqrtBiasCorrection2);
  const vshrink = f32x4.splat(shrink), vl2 = f32x4.splat(l2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const pv = v128.load(p + at);
    const gv = f32x4.add(v128.load(g + at), f32x4.mul(vl2, pv));
    const mv = f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(c1, gv));
    const vv = f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(c2, f32x4.mul(gv, gv)));
    v128.store(m + at, mv);
    v128.store(v + at, vv);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), vb), ve);
    v128.store(p + at, f32x4.sub(f32x4.mul(pv, vshrink), f32x4.div(f32x4.mul(vs, mv), denom)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const pv = load<f32>(p + at);
    const gv = load<f32>(g + at) + l2 * pv;
    const mv = beta1 * load<f32>(m + at) + (ONE - beta1) * gv;
    const vv = beta2 * load<f32>(v + at) + (ONE - beta2) * gv * gv;
    store<f32>(m + at, mv);
    store<f32>(v + at, vv);
    store<f32>(p + at, pv * shrink - stepSize * mv / (Mathf.sqrt(vv) / sqrtBiasCorrection2 + eps));
  }
}
