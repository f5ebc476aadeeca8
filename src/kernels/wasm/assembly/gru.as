// AssemblyScript source (compiled by scripts/build-wasm.mjs with the other kernels into one module).
//
// The elementwise half of one GRU time step (PyTorch nn.GRU, gates r, z, n) for every sequence of
// the batch; the host runs the step loop and the recurrent GEMMs in the same memory. Layouts and
// padding rules as src/kernels/cpu/gru.ts: xProj/dxProj [T,B,3H], hAll/dhAll [T,B,H], cache
// [T,B,4H] = (r, z, n, W_hn·h + b_hn), lengths [B] (floats), state [B,H], gates [B,3H].

import { sigmoidV, tanhV } from './simdmath';

const ONE: f32 = 1;

@inline function sigmoid(v: f32): f32 {
  return ONE / (ONE + Mathf.exp(-v));
}

@inline function lengthOf(lengths: usize, b: i32): i32 {
  return <i32>load<f32>(lengths + (<usize>b << 2));
}

/**
 * Step t: gh = h_prev·W_hhᵀ (by the host's GEMM) → r, z, n, h' for each real sequence; padded
 * rows get zeros in hAll, cache and the state (h0 = 0 for a reverse pass not begun yet).
 */
export function gruForwardStep(
  xProj: usize, gh: usize, bhh: usize, state: usize, hAll: usize, cache: usize, lengths: usize,
  t: i32, batch: i32, hidden: i32,
): void {
  const H = <usize>hidden;
  for (let b = 0; b < batch; b++) {
    const row = <usize>(t * batch + b);
    const h = state + (<usize>b * H << 2), out = hAll + (row * H << 2), c = cache + (row * 4 * H << 2);
    if (t >= lengthOf(lengths, b)) {
      memory.fill(out, 0, H << 2);
      memory.fill(c, 0, 4 * H << 2);
      memory.fill(h, 0, H << 2);
      continue;
    }
    const x = xProj + (row * 3 * H << 2), g = gh + (<usize>b * 3 * H << 2);
    let j: usize = 0;
    for (; j + 4 <= H; j += 4) forwardLanes(x, g, bhh, h, out, c, j << 2, H << 2);
    for (; j < H; j++) forwardLane(x, g, bhh, h, out, c, j << 2, H << 2);
  }
}

/** Four hidden units of one sequence at byte offset `at` of each gate block (`block` = H floats). */
@inline function forwardLanes(x: usize, g: usize, bhh: usize, h: usize, out: usize, c: usize, at: usize, block: usize): void {
  const zAt = at + block, nAt = zAt + block;
  const r = sigmoidV(f32x4.add(f32x4.add(v128.load(x + at), v128.load(g + at)), v128.load(bhh + at)));
  const z = sigmoidV(f32x4.add(f32x4.add(v128.load(x + zAt), v128.load(g + zAt)), v128.load(bhh + zAt)));
  const hn = f32x4.add(v128.load(g + nAt), v128.load(bhh + nAt));
  const n = tanhV(f32x4.add(v128.load(x + nAt), f32x4.mul(r, hn)));
  // (1 − z)·n + z·h = n + z·(h − n)
  const next = f32x4.add(n, f32x4.mul(z, f32x4.sub(v128.load(h + at), n)));
  v128.store(h + at, next);
  v128.store(out + at, next);
  v128.store(c + at, r);
  v128.store(c + zAt, z);
  v128.store(c + nAt, n);
  v128.store(c + nAt + block, hn);
}

/** One hidden unit (the tail when H is not a multiple of 4), same math in scalar. */
@inline function forwardLane(x: usize, g: usize, bhh: usize, h: usize, out: usize, c: usize, at: usize, block: usize): void {
  const zAt = at + block, nAt = zAt + block;
  const r = sigmoid(load<f32>(x + at) + load<f32>(g + at) + load<f32>(bhh + at));
  const z = sigmoid(load<f32>(x + zAt) + load<f32>(g + zAt) + load<f32>(bhh + zAt));
  const hn = load<f32>(g + nAt) + load<f32>(bhh + nAt);
  const n = Mathf.tanh(load<f32>(x + nAt) + r * hn);
  const next = n + z * (load<f32>(h + at) - n);
  store<f32>(h + at, next);
  store<f32>(out + at, next);
  store<f32>(c + at, r);
  store<f32>(c + zAt, z);
  store<f32>(c + nAt, n);
  store<f32>(c + nAt + block, hn);
}

/** hLast[b] = the state after the sequence's last step (forward) or step 0 (reverse); 0 if empty. */
export function gruLastState(hAll: usize, lengths: usize, hLast: usize, batch: i32, hidden: i32, reverse: bool): void {
  const bytes = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const len = lengthOf(lengths, b), dst = hLast + <usize>b * bytes;
    if (len == 0) {
      memory.fill(dst, 0, bytes);
      continue;
    }
    const step = reverse ? 0 : len - 1;
    memory.copy(dst, hAll + <usize>(step * batch + b) * bytes, bytes);
  }
}

/**
 * Backward through step t for every sequence. dH [B,H] carries ∂L/∂h into this step and leaves
 * with ∂L/∂h_prev minus the W_hh term (the host adds dGates·W_hh after). dGates [B,3H] receives
 * (da_r, da_z, r⊙da_n); history row `slot` (−1: none) keeps them for the one dW_hh GEMM, zeros
 * where h_prev = h0 = 0. dbhh accumulates; dxProj rows are overwritten (zeros when padded).
 */
export function gruBackwardStep(
  cache: usize, hAll: usize, dhAll: usize, dhLast: usize, lengths: usize,
  dH: usize, dGates: usize, history: usize, dxProj: usize, dbhh: usize,
  t: i32, slot: i32, batch: i32, hidden: i32, reverse: bool,
): void {
  const H = <usize>hidden;
  for (let b = 0; b < batch; b++) {
    const len = lengthOf(lengths, b), row = <usize>(t * batch + b);
    const dh = dH + (<usize>b * H << 2), dg = dGates + (<usize>b * 3 * H << 2), dx = dxProj + (row * 3 * H << 2);
    const hist = slot >= 0 ? history + (<usize>(slot * batch + b) * 3 * H << 2) : 0;
    if (t >= len) {
      memory.fill(dx, 0, 3 * H << 2);
      memory.fill(dg, 0, 3 * H << 2);
      memory.fill(dh, 0, H << 2);
      if (slot >= 0) memory.fill(hist, 0, 3 * H << 2);
      continue;
    }
    const injectLast = reverse ? t == 0 : t == len - 1;
    const hasPrev = reverse ? t + 1 < len : t > 0;
    const hp = hasPrev ? hAll + (<usize>(slot * batch + b) * H << 2) : 0;
    const c = cache + (row * 4 * H << 2), dIn = dhAll + (row * H << 2), last = dhLast + (<usize>b * H << 2);
    // The carried gradient gets the last state's gradient at the step that produced hLast.
    if (injectLast) addInto(dh, last, hidden);
    let j: usize = 0;
    for (; j + 4 <= H; j += 4) backwardLanes(dh, dIn, c, hp, dx, dg, dbhh, H << 2, j << 2, hasPrev);
    for (; j < H; j++) backwardLane(dh, dIn, c, hp, dx, dg, dbhh, H << 2, j << 2, hasPrev);
    if (slot < 0) continue;
    if (hasPrev) memory.copy(hist, dg, 3 * H << 2);
    else memory.fill(hist, 0, 3 * H << 2);
  }
}

/** dst[0..n) += src[0..n). */
function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) addStore(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) + load<f32>(src + (<usize>i << 2)));
}

@inline function addStore(p: usize, v: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v));
}

/**
 * Four hidden units at byte offset `at` of each gate block (`block` = H floats): PyTorch's GRU
 * gate gradients from dh (carried) + dIn (this step's ∂L/∂h), the cache and h_prev (hp).
 */
@inline function backwardLanes(
  dh: usize, dIn: usize, c: usize, hp: usize, dx: usize, dg: usize, dbhh: usize, block: usize, at: usize, hasPrev: bool,
): void {
  const zAt = at + block, nAt = zAt + block, one = f32x4.splat(1);
  const g = f32x4.add(v128.load(dh + at), v128.load(dIn + at));
  const r = v128.load(c + at), z = v128.load(c + zAt), n = v128.load(c + nAt), hn = v128.load(c + nAt + block);
  const prev = hasPrev ? v128.load(hp + at) : f32x4.splat(0);
  const dan = f32x4.mul(f32x4.mul(g, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
  const dar = f32x4.mul(f32x4.mul(f32x4.mul(dan, hn), r), f32x4.sub(one, r));
  const daz = f32x4.mul(f32x4.mul(f32x4.mul(g, f32x4.sub(prev, n)), z), f32x4.sub(one, z));
  const dhn = f32x4.mul(dan, r);
  v128.store(dx + at, dar);
  v128.store(dx + zAt, daz);
  v128.store(dx + nAt, dan);
  v128.store(dg + at, dar);
  v128.store(dg + zAt, daz);
  v128.store(dg + nAt, dhn);
  addStore(dbhh + at, dar);
  addStore(dbhh + zAt, daz);
  addStore(dbhh + nAt, dhn);
  v128.store(dh + at, f32x4.mul(g, z));
}

/** One hidden unit (the tail when H is not a multiple of 4), same math in scalar. */
@inline function backwardLane(
  dh: usize, dIn: usize, c: usize, hp: usize, dx: usize, dg: usize, dbhh: usize, block: usize, at: usize, hasPrev: bool,
): void {
  const zAt = at + block, nAt = zAt + block;
  const g = load<f32>(dh + at) + load<f32>(dIn + at);
  const r = load<f32>(c + at), z = load<f32>(c + zAt), n = load<f32>(c + nAt), hn = load<f32>(c + nAt + block);
  const prev: f32 = hasPrev ? load<f32>(hp + at) : 0;
  const dan = g * (ONE - z) * (ONE - n * n);
  const dar = dan * hn * r * (ONE - r);
  const daz = g * (prev - n) * z * (ONE - z);
  const dhn = dan * r;
  store<f32>(dx + at, dar);
  store<f32>(dx + zAt, daz);
  store<f32>(dx + nAt, dan);
  store<f32>(dg + at, dar);
  store<f32>(dg + zAt, daz);
  store<f32>(dg + nAt, dhn);
  store<f32>(dbhh + at, load<f32>(dbhh + at) + dar);
  store<f32>(dbhh + zAt, load<f32>(dbhh + zAt) + daz);
  store<f32>(dbhh + nAt, load<f32>(dbhh + nAt) + dhn);
  store<f32>(dh + at, g * z);
}
