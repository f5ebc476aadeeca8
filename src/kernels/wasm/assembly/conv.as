// AssemblyScript source (compiled by scripts/build-wasm.mjs with the other kernels into one module).
//
// Convolution's moves and the direct 3×3 kernel; the products themselves are gemm.as's.

import { sumFloats } from './elementwise';
import { madd } from './simdmath';

// ---- convolution plumbing (NCHW, stride 1, square kernel, zero padding) -----------------------
// The same im2col / col2im / layout moves as src/kernels/cpu/conv.ts, on f32 operands already in
// this module's memory, so a conv step never leaves wasm between its GEMMs (in JS these moves
// cost more than the SIMD products). All sizes are in floats, all pointers byte offsets.

/** Valid output columns [lo, hi) for kernel column kx: where ox + kx − pad lies in [0, w). */
@inline function colLo(kx: i32, pad: i32, outW: i32): i32 {
  return min(outW, max(0, pad - kx));
}

@inline function colHi(kx: i32, pad: i32, w: i32, outW: i32, lo: i32): i32 {
  return max(lo, min(outW, w + pad - kx));
}

/** One image's patches: col[(c·k + ky)·k + kx, oy·outW + ox] (row stride ld) = x[c, iy, ix] or 0. */
export function im2col(
  x: usize, col: usize, ld: i32, inC: i32, h: i32, w: i32, k: i32, pad: i32, outH: i32, outW: i32,
): void {
  const rowBytes = <usize>outW << 2;
  let row: i32 = 0;
  for (let c = 0; c < inC; c++) {
    const plane = x + (<usize>(c * h * w) << 2);
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++, row++) {
        const lo = colLo(kx, pad, outW), hi = colHi(kx, pad, w, outW, lo);
        let o = col + (<usize>row * <usize>ld << 2);
        for (let oy = 0; oy < outH; oy++, o += rowBytes) {
          const iy = oy + ky - pad;
          if (iy < 0 || iy >= h) {
            zeroFloats(o, outW);
            continue;
          }
          zeroFloats(o, lo);
          copyFloats(o + (<usize>lo << 2), plane + (<usize>(iy * w + kx - pad + lo) << 2), hi - lo);
          zeroFloats(o + (<usize>hi << 2), outW - hi);
        }
      }
    }
  }
}

// Rows here are short (a 28-wide map: 112 bytes), so the copies are inline vector moves:
// memory.copy / memory.fill per row cost a runtime call each and made im2col ~6% of a CNN step.

/** dst[i] = src[i] for i < count (unaligned, non-overlapping). */
@inline function copyFloats(dst: usize, src: usize, count: i32): void {
  let i: i32 = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** dst[i] = 0 for i < count (count may be 0). */
@inline function zeroFloats(dst: usize, count: i32): void {
  let i: i32 = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), f32x4.splat(0));
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/**
 * One image's im2col written straight into the GEMM's packed-B layout (gemm.as's packB of the
 * plain [K = inC·k·k, n = outH·outW] matrix: K-blocks of kBlock rows, each as NR-wide column
 * panels, p-major), so the forward conv multiplies it with gemmPackedB: no col matrix, no
 * packing copy of it. The input planes are first copied zero-bordered into `padded` (inC planes
 * of (h+2p)×(w+2p)), so every patch row is a plain run. Lanes past n in the last panel are zero.
 */
/** gemm.as's NR, the packed panels' width (the conv conformance tests fail if the two differ). */
const PANEL: i32 = 8;

export function im2colPacked(x: usize, padded: usize, bp: usize, inC: i32, h: i32, w: i32, k: i32, pad: i32, kBlock: i32): void {
  const nr = PANEL, hp = h + 2 * pad, wp = w + 2 * pad, outH = hp - k + 1, outW = wp - k + 1;
  const n = outH * outW, planeP = hp * wp, kk = inC * k * k, panelFloats = (n + nr - 1) / nr * nr;
  for (let c = 0; c < inC; c++) padPlane(x + (<usize>(c * h * w) << 2), padded + (<usize>(c * planeP) << 2), h, w, pad);
  let row: i32 = 0;
  for (let c = 0; c < inC; c++) {
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++, row++) {
        const pc = row / kBlock * kBlock, panelBytes = <usize>(min(kBlock, kk - pc) * nr) << 2;
        const rowBase = bp + (<usize>(panelFloats * pc + (row - pc) * nr) << 2);
        for (let oy = 0; oy < outH; oy++) {
          const src = padded + (<usize>(c * planeP + (oy + ky) * wp + kx) << 2);
          scatterToPanels(src, rowBase, oy * outW, outW, panelBytes, nr);
        }
        for (let t = n; t < panelFloats; t++) store<f32>(rowBase + <usize>(t / nr) * panelBytes + (<usize>(t % nr) << 2), 0);
      }
    }
  }
}

/** src[0..count) to columns n0.. of one packed row: whole 8-lane panels as two vector stores. */
@inline function scatterToPanels(src: usize, rowBase: usize, n0: i32, count: i32, panelBytes: usize, nr: i32): void {
  let t: i32 = 0, col = n0;
  for (; t < count && col % nr != 0; t++, col++) {
    store<f32>(rowBase + <usize>(col / nr) * panelBytes + (<usize>(col % nr) << 2), load<f32>(src + (<usize>t << 2)));
  }
  let dst = rowBase + <usize>(col / nr) * panelBytes;
  for (; t + 8 <= count; t += 8, col += 8, dst += panelBytes) {
    v128.store(dst, v128.load(src + (<usize>t << 2)));
    v128.store(dst, v128.load(src + (<usize>t << 2), 16), 16);
  }
  for (; t < count; t++, col++) store<f32>(dst + (<usize>(col % nr) << 2), load<f32>(src + (<usize>t << 2)));
}

/** The adjoint of im2col: dx[c, iy, ix] += every patch gradient copied from that pixel. */
export function col2imAdd(
  dcol: usize, ld: i32, dx: usize, inC: i32, h: i32, w: i32, k: i32, pad: i32, outH: i32, outW: i32,
): void {
  let row: i32 = 0;
  for (let c = 0; c < inC; c++) {
    const plane = dx + (<usize>(c * h * w) << 2);
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++, row++) {
        const lo = colLo(kx, pad, outW), hi = colHi(kx, pad, w, outW, lo);
        const rowStart = dcol + (<usize>row * <usize>ld << 2);
        for (let oy = 0; oy < outH; oy++) {
          const iy = oy + ky - pad;
          if (iy < 0 || iy >= h) continue;
          addInto(plane + (<usize>(iy * w + kx - pad + lo) << 2), rowStart + (<usize>(oy * outW + lo) << 2), hi - lo);
        }
      }
    }
  }
}

/** dst[i] += src[i] for i < count, four lanes at a time. */
@inline function addInto(dst: usize, src: usize, count: i32): void {
  let i: i32 = 0;
  for (; i + 4 <= count; i += 4) {
    const off = <usize>i << 2;
    v128.store(dst + off, f32x4.add(v128.load(dst + off), v128.load(src + off)));
  }
  for (; i < count; i++) {
    const off = <usize>i << 2;
    store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off));
  }
}

/** out[i, o, p] (NCHW, items consecutive) = prod[o, i·hw + p] + bias[o]. */
export function scatterBias(prod: usize, out: usize, bias: usize, outC: i32, items: i32, hw: i32): void {
  const ld = items * hw;
  for (let i = 0; i < items; i++) {
    for (let o = 0; o < outC; o++) {
      const b = f32x4.splat(load<f32>(bias + (<usize>o << 2)));
      const src = prod + (<usize>(o * ld + i * hw) << 2), dst = out + (<usize>((i * outC + o) * hw) << 2);
      let p: i32 = 0;
      for (; p + 4 <= hw; p += 4) v128.store(dst + (<usize>p << 2), f32x4.add(v128.load(src + (<usize>p << 2)), b));
      for (; p < hw; p++) store<f32>(dst + (<usize>p << 2), load<f32>(src + (<usize>p << 2)) + f32x4.extract_lane(b, 0));
    }
  }
}

/** dyMat[o, i·hw + p] = dy[i, o, p]; when db ≠ 0, db[o] += that row's sum (the bias gradient). */
export function gatherRows(dy: usize, dyMat: usize, db: usize, outC: i32, items: i32, hw: i32): void {
  const ld = items * hw;
  for (let i = 0; i < items; i++) {
    for (let o = 0; o < outC; o++) {
      const src = dy + (<usize>((i * outC + o) * hw) << 2), dst = dyMat + (<usize>(o * ld + i * hw) << 2);
      memory.copy(dst, src, <usize>hw << 2);
      if (db == 0) continue;
      const sum = sumFloats(src, hw);
      const at = db + (<usize>o << 2);
      store<f32>(at, <f32>(<f64>load<f32>(at) + sum));
    }
  }
}

// ---- direct 3×3 convolution for few input channels (the CNN's first layer has C = 1) ----------
// im2col + GEMM has K = 9 there: the copy is 9× the image and each tile does 9 steps of work per
// write-back. As cpu/conv-direct.ts: each input plane is copied once into a zero-bordered
// scratch, then the 3×3 window slides four output columns at a time.

/** Copies an h×w plane into `padded` ((h+2p)×(w+2p), zero border). */
function padPlane(x: usize, padded: usize, h: i32, w: i32, pad: i32): void {
  const wp = w + 2 * pad;
  memory.fill(padded, 0, <usize>((h + 2 * pad) * wp) << 2);
  for (let y = 0; y < h; y++) {
    memory.copy(padded + (<usize>((y + pad) * wp + pad) << 2), x + (<usize>(y * w) << 2), <usize>w << 2);
  }
}

/** out[items, outC, H', W'] = conv3×3(x) + bias; `padded` holds one padded plane. */
export function conv3x3Forward(
  x: usize, wt: usize, bias: usize, out: usize, padded: usize,
  items: i32, inC: i32, h: i32, w: i32, outC: i32, pad: i32,
): void {
  const wp = w + 2 * pad, outH = h + 2 * pad - 2, outW = wp - 2, hw = outH * outW;
  for (let i = 0; i < items; i++) {
    const outItem = out + (<usize>(i * outC * hw) << 2);
    for (let c = 0; c < inC; c++) {
      padPlane(x + (<usize>((i * inC + c) * h * w) << 2), padded, h, w, pad);
      forwardChannel(padded, wt + (<usize>(c * 9) << 2), <usize>(inC * 9) << 2, bias, outItem, outC, outH, outW, wp, c == 0);
    }
  }
}

/**
 * Adds one padded input plane's 3×3 window sums into every output plane (out = bias + sums for the
 * first channel). The window's nine vectors are loaded once per four columns and shared by all
 * output channels, whose chains are independent: one plane at a time left each four-column step
 * waiting on a single chain of nine dependent multiply-adds.
 */
function forwardChannel(
  p: usize, wt: usize, wStride: usize, bias: usize, out: usize, outC: i32, outH: i32, outW: i32, wp: i32, first: bool,
): void {
  const rowBytes = <usize>wp << 2, planeBytes = <usize>(outH * outW) << 2;
  for (let oy = 0; oy < outH; oy++) {
    const r0 = p + <usize>oy * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes;
    const rowOut = out + (<usize>(oy * outW) << 2);
    let ox: i32 = 0;
    for (; ox + 4 <= outW; ox += 4) {
      const off = <usize>ox << 2;
      const a00 = v128.load(r0 + off), a01 = v128.load(r0 + off, 4), a02 = v128.load(r0 + off, 8);
      const a10 = v128.load(r1 + off), a11 = v128.load(r1 + off, 4), a12 = v128.load(r1 + off, 8);
      const a20 = v128.load(r2 + off), a21 = v128.load(r2 + off, 4), a22 = v128.load(r2 + off, 8);
      let wo = wt, o = rowOut + off;
      for (let oc = 0; oc < outC; oc++, wo += wStride, o += planeBytes) {
        let acc = first ? v128.load32_splat(bias + (<usize>oc << 2)) : v128.load(o);
        acc = madd(acc, v128.load32_splat(wo), a00);
        acc = madd(acc, v128.load32_splat(wo, 4), a01);
        acc = madd(acc, v128.load32_splat(wo, 8), a02);
        let mid = f32x4.mul(v128.load32_splat(wo, 12), a10);
        mid = madd(mid, v128.load32_splat(wo, 16), a11);
        mid = madd(mid, v128.load32_splat(wo, 20), a12);
        let low = f32x4.mul(v128.load32_splat(wo, 24), a20);
        low = madd(low, v128.load32_splat(wo, 28), a21);
        low = madd(low, v128.load32_splat(wo, 32), a22);
        v128.store(o, f32x4.add(acc, f32x4.add(mid, low)));
      }
    }
    for (; ox < outW; ox++) forwardColumn(r0, rowBytes, wt, wStride, bias, rowOut + (<usize>ox << 2), planeBytes, outC, first, ox);
  }
}

/** The scalar tail of forwardChannel: one output column (outW not a multiple of 4). */
function forwardColumn(
  r0: usize, rowBytes: usize, wt: usize, wStride: usize, bias: usize, o: usize, planeBytes: usize, outC: i32, first: bool, ox: i32,
): void {
  for (let oc = 0; oc < outC; oc++, wt += wStride, o += planeBytes) {
    let s = first ? load<f32>(bias + (<usize>oc << 2)) : load<f32>(o);
    for (let ky = 0; ky < 3; ky++) {
      const r = r0 + <usize>ky * rowBytes + (<usize>ox << 2);
      for (let kx = 0; kx < 3; kx++) s += load<f32>(wt + (<usize>(ky * 3 + kx) << 2)) * load<f32>(r + (<usize>kx << 2));
    }
    store<f32>(o, s);
  }
}

/** dw[outC, inC, 3, 3] += Σ dy ⊗ window and db[outC] += Σ dy over `items` images. */
export function conv3x3BackwardWeight(
  x: usize, dy: usize, dw: usize, db: usize, padded: usize,
  items: i32, inC: i32, h: i32, w: i32, outC: i32, pad: i32,
): void {
  const wp = w + 2 * pad, outH = h + 2 * pad - 2, outW = wp - 2, hw = outH * outW;
  for (let i = 0; i < items; i++) {
    for (let c = 0; c < inC; c++) {
      padPlane(x + (<usize>((i * inC + c) * h * w) << 2), padded, h, w, pad);
      for (let o = 0; o < outC; o++) {
        // The bias gradient rides along with the first input channel's pass over dy.
        const biasAt = c == 0 ? db + (<usize>o << 2) : 0;
        weightGradPlane(padded, dy + (<usize>((i * outC + o) * hw) << 2), dw + (<usize>((o * inC + c) * 9) << 2), biasAt, outH, outW, wp);
      }
    }
  }
}

/** dw[0..9) += the plane's 3×3 window sums weighted by dy; db += Σ dy when `db` ≠ 0. */
function weightGradPlane(p: usize, dy: usize, dw: usize, db: usize, outH: i32, outW: i32, wp: i32): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s22 = f32x4.splat(0), sd = f32x4.splat(0);
  let tail: f32 = 0;
  const rowBytes = <usize>wp << 2;
  for (let oy = 0; oy < outH; oy++) {
    const r0 = p + <usize>oy * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes;
    const d = dy + (<usize>(oy * outW) << 2);
    let ox: i32 = 0;
    for (; ox + 4 <= outW; ox += 4) {
      const off = <usize>ox << 2, g = v128.load(d + off);
      sd = f32x4.add(sd, g);
      s00 = madd(s00, g, v128.load(r0 + off)); s01 = madd(s01, g, v128.load(r0 + off, 4)); s02 = madd(s02, g, v128.load(r0 + off, 8));
      s10 = madd(s10, g, v128.load(r1 + off)); s11 = madd(s11, g, v128.load(r1 + off, 4)); s12 = madd(s12, g, v128.load(r1 + off, 8));
      s20 = madd(s20, g, v128.load(r2 + off)); s21 = madd(s21, g, v128.load(r2 + off, 4)); s22 = madd(s22, g, v128.load(r2 + off, 8));
    }
    // Tail columns (outW not a multiple of 4) add straight into dw: rare, so kept scalar.
    for (; ox < outW; ox++) {
      const g = load<f32>(d + (<usize>ox << 2));
      tail += g;
      for (let tap = 0; tap < 9; tap++) {
        const src = r0 + <usize>(tap / 3) * rowBytes + (<usize>(ox + tap % 3) << 2), at = dw + (<usize>tap << 2);
        store<f32>(at, load<f32>(at) + g * load<f32>(src));
      }
    }
  }
  addLanes(dw, s00); addLanes(dw + 4, s01); addLanes(dw + 8, s02);
  addLanes(dw + 12, s10); addLanes(dw + 16, s11); addLanes(dw + 20, s12);
  addLanes(dw + 24, s20); addLanes(dw + 28, s21); addLanes(dw + 32, s22);
  if (db != 0) {
    addLanes(db, sd);
    store<f32>(db, load<f32>(db) + tail);
  }
}

@inline function addLanes(at: usize, v: v128): void {
  const sum = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
  store<f32>(at, load<f32>(at) + sum);
}
