// AssemblyScript source (compiled by scripts/build-wasm.mjs with the other kernels into one module).
//
// Max-pool 2×2 stride 2 on NCHW planes, as src/kernels/cpu/pool.ts: output ⌊H/2⌋ × ⌊W/2⌋, each
// window scanned row-major, the first maximum wins ties and a NaN wins outright (PyTorch); the
// winner's index y·W + x inside its plane is stored as a float (exact below 2²⁴).
// Four windows at a time: the two input rows are deinterleaved into the windows' four corners
// (v0 v1 / v2 v3) and the winner is chosen with lane masks, so random data costs no branch misses.

/** Lane j of four windows starting at column 2·ox: its top-left pixel is 2·ox + 2j. */
const LANE_COLUMNS = f32x4(0, 2, 4, 6);

/** Whether `v` replaces `best` under PyTorch's rule: best is not NaN and v is larger or NaN. */
@inline function beats(v: v128, best: v128): v128 {
  return v128.and(f32x4.eq(best, best), v128.or(f32x4.gt(v, best), f32x4.ne(v, v)));
}

/** Scalar form of `beats` for the last < 4 windows of a row. */
@inline function beatsScalar(v: f32, best: f32): bool {
  return best == best && (v > best || v != v);
}

export function maxPool2dForward(x: usize, out: usize, argmax: usize, planes: i32, h: i32, w: i32): void {
  const outH = h >> 1, outW = w >> 1;
  const rowBytes = <usize>w << 2;
  const off1 = f32x4.splat(1), off2 = f32x4.splat(<f32>w), off3 = f32x4.splat(<f32>(w + 1));
  let o: usize = 0;
  for (let pl = 0; pl < planes; pl++) {
    const plane = x + <usize>pl * <usize>h * rowBytes;
    for (let oy = 0; oy < outH; oy++) {
      const top = plane + <usize>(2 * oy) * rowBytes, bottom = top + rowBytes;
      const rowIndex = 2 * oy * w;
      let ox = 0;
      for (; ox + 4 <= outW; ox += 4, o += 16) {
        const at = <usize>ox << 3;
        const t0 = v128.load(top + at), t1 = v128.load(top + at, 16);
        const b0 = v128.load(bottom + at), b1 = v128.load(bottom + at, 16);
        let best = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6), k = f32x4.splat(0);
        const v1 = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
        const v2 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), v3 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        let c = beats(v1, best);
        best = v128.bitselect(v1, best, c);
        k = v128.bitselect(off1, k, c);
        c = beats(v2, best);
        best = v128.bitselect(v2, best, c);
        k = v128.bitselect(off2, k, c);
        c = beats(v3, best);
        best = v128.bitselect(v3, best, c);
        k = v128.bitselect(off3, k, c);
        v128.store(out + o, best);
        v128.store(argmax + o, f32x4.add(f32x4.add(f32x4.splat(<f32>(rowIndex + 2 * ox)), LANE_COLUMNS), k));
      }
      for (; ox < outW; ox++, o += 4) {
        const at = <usize>ox << 3;
        let best = load<f32>(top + at), k = 0;
        const v1 = load<f32>(top + at, 4), v2 = load<f32>(bottom + at), v3 = load<f32>(bottom + at, 4);
        if (beatsScalar(v1, best)) { best = v1; k = 1; }
        if (beatsScalar(v2, best)) { best = v2; k = w; }
        if (beatsScalar(v3, best)) { best = v3; k = w + 1; }
        store<f32>(out + o, best);
        store<f32>(argmax + o, <f32>(rowIndex + 2 * ox + k));
      }
    }
  }
}

/**
 * dx = 0, then dy routed to each window's winner. Returns −1, or the first output index whose
 * argmax is not a pixel of its plane (the host turns it into an error; dx is then unspecified).
 * Windows are disjoint, so when every argmax lies in its own window (always, after maxPool2d)
 * each dx pixel is written once: dy at the winner, 0 at the other three, no separate clear.
 */
export function maxPool2dBackward(dy: usize, argmax: usize, dx: usize, planes: i32, h: i32, w: i32): i32 {
  if (windowedBackward(dy, argmax, dx, planes, h, w)) return -1;
  return scatterBackward(dy, argmax, dx, planes, h, w);
}

function windowedBackward(dy: usize, argmax: usize, dx: usize, planes: i32, h: i32, w: i32): bool {
  const outH = h >> 1, outW = w >> 1;
  const rowBytes = <usize>w << 2;
  const off1 = f32x4.splat(1), off2 = f32x4.splat(<f32>w), off3 = f32x4.splat(<f32>(w + 1)), zero = f32x4.splat(0);
  let o: usize = 0;
  for (let pl = 0; pl < planes; pl++) {
    const plane = dx + <usize>pl * <usize>h * rowBytes;
    for (let oy = 0; oy < outH; oy++) {
      const top = plane + <usize>(2 * oy) * rowBytes, bottom = top + rowBytes;
      const rowIndex = 2 * oy * w;
      let ox = 0;
      for (; ox + 4 <= outW; ox += 4, o += 16) {
        const g = v128.load(dy + o);
        const k = f32x4.sub(v128.load(argmax + o), f32x4.add(f32x4.splat(<f32>(rowIndex + 2 * ox)), LANE_COLUMNS));
        const m0 = f32x4.eq(k, zero), m1 = f32x4.eq(k, off1), m2 = f32x4.eq(k, off2), m3 = f32x4.eq(k, off3);
        if (!i32x4.all_true(v128.or(v128.or(m0, m1), v128.or(m2, m3)))) return false;
        const r0 = v128.and(g, m0), r1 = v128.and(g, m1), r2 = v128.and(g, m2), r3 = v128.and(g, m3);
        const at = <usize>ox << 3;
        v128.store(top + at, v128.shuffle<f32>(r0, r1, 0, 4, 1, 5));
        v128.store(top + at, v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), 16);
        v128.store(bottom + at, v128.shuffle<f32>(r2, r3, 0, 4, 1, 5));
        v128.store(bottom + at, v128.shuffle<f32>(r2, r3, 2, 6, 3, 7), 16);
      }
      for (; ox < outW; ox++, o += 4) {
        const g = load<f32>(dy + o);
        const k = load<f32>(argmax + o) - <f32>(rowIndex + 2 * ox);
        if (!(k == 0 || k == 1 || k == <f32>w || k == <f32>(w + 1))) return false;
        const at = <usize>ox << 3;
        store<f32>(top + at, k == 0 ? g : 0);
        store<f32>(top + at, k == 1 ? g : 0, 4);
        store<f32>(bottom + at, k == <f32>w ? g : 0);
        store<f32>(bottom + at, k == <f32>(w + 1) ? g : 0, 4);
      }
      // PyTorch's floor mode drops an odd last column: it takes no gradient.
      if (w & 1) {
        store<f32>(top + (<usize>(w - 1) << 2), 0);
        store<f32>(bottom + (<usize>(w - 1) << 2), 0);
      }
    }
    if (h & 1) memory.fill(plane + <usize>(h - 1) * rowBytes, 0, rowBytes);
  }
  return true;
}

/** The general rule for an argmax from elsewhere: clear dx, add each dy at its argmax pixel. */
function scatterBackward(dy: usize, argmax: usize, dx: usize, planes: i32, h: i32, w: i32): i32 {
  const planeIn = h * w, planeOut = (h >> 1) * (w >> 1);
  memory.fill(dx, 0, <usize>planes * <usize>planeIn << 2);
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = dx + (<usize>pl * <usize>planeIn << 2);
    for (let end = o + planeOut; o < end; o++) {
      const a = load<f32>(argmax + (<usize>o << 2));
      const at = <i32>a;
      if (!(a >= 0 && at < planeIn && <f32>at == a)) return o;
      const p = base + (<usize>at << 2);
      store<f32>(p, load<f32>(p) + load<f32>(dy + (<usize>o << 2)));
    }
  }
  return -1;
}
