// AssemblyScript source (compiled by scripts/build-wasm.mjs; `.as` keeps it out of tsc's view).
//
// f32 GEMM in the GotoBLAS shape, as the JS kernel in src/kernels/cpu/matmul.ts: for each K-block,
// pack op(B) into NR-wide column panels and, per M-block, op(A) into MR-tall row panels
// (zero-padded at the edges), then a register-blocked f32x4 micro-kernel walks the panels.
// The host owns the memory layout: every pointer argument is a byte offset it chose.

import { madd } from './simdmath';

/** Micro-tile: MR rows of A × NR columns of B = 4×8 floats in 8 v128 accumulators. */
const MR: i32 = 4;
const NR: i32 = 8;

/** Start of memory the host may use (nothing of ours lives above it: no runtime, no heap). */
export function heapBase(): usize {
  return __heap_base;
}

export function tileRows(): i32 {
  return MR;
}

export function tileCols(): i32 {
  return NR;
}

/** Whether this build multiplies with relaxed-simd fused multiply-add. */
export function usesRelaxedFma(): bool {
  return ASC_FEATURE_RELAXED_SIMD;
}

/**
 * c[m,n] (+)= op(a)[m,k]·op(b)[k,n], all f32, row-major. a is stored [m,k] ([k,m] when transA),
 * b [k,n] ([n,k] when transB). ap / bp are packing buffers of at least
 * ceil(min(m,mc)/MR)·MR·kc and ceil(n/NR)·NR·kc floats, tile holds MR·NR floats, all 16-byte
 * aligned. kcMax / mcMax are the K- and M-block sizes (the host tunes them).
 */
export function gemm(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32,
  transA: bool, transB: bool, accumulate: bool,
  ap: usize, bp: usize, tile: usize, kcMax: i32, mcMax: i32,
): void {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) memory.fill(c, 0, <usize>m * <usize>n * 4);
    return;
  }
  // Equal K-blocks (784 → 4×196, not 3×256 + 16): a thin last block pays a full C write-back.
  const kBlock = kBlockOf(k, kcMax);
  for (let pc = 0; pc < k; pc += kBlock) {
    const kc = min(kBlock, k - pc);
    packBBlock(b, bp, pc, n, k, kc, transB);
    multiplyBlock(a, bp, c, m, n, k, pc, kc, transA, ap, tile, mcMax, !accumulate && pc == 0);
  }
}

@inline function packBBlock(b: usize, bp: usize, pc: i32, n: i32, k: i32, kc: i32, transB: bool): void {
  if (transB) packPanels(b, bp, pc, n, k, 1, kc, NR);
  else packPanels(b, bp, pc * n, n, 1, n, kc, NR);
}

/**
 * C += op(A)[:, pc..pc+kc) · (K-block pc of op(B), packed at bp), M-block by M-block; C = that
 * product when `overwrite` (the first K-block of a non-accumulating product: every C element is
 * written, so no zero fill of C beforehand and no read of it).
 */
@inline function multiplyBlock(
  a: usize, bp: usize, c: usize, m: i32, n: i32, k: i32, pc: i32, kc: i32, transA: bool,
  ap: usize, tile: usize, mcMax: i32, overwrite: bool,
): void {
  for (let ic = 0; ic < m; ic += mcMax) {
    const mc = min(mcMax, m - ic);
    if (transA) packPanels(a, ap, pc * m + ic, mc, 1, m, kc, MR);
    else packPanels(a, ap, ic * k + pc, mc, k, 1, kc, MR);
    macroKernel(ap, bp, c + (<usize>ic * <usize>n << 2), mc, n, kc, tile, overwrite);
  }
}

/** Equal K-blocks, as `gemm` takes them. */
@inline function kBlockOf(k: i32, kcMax: i32): i32 {
  const kBlocks = (k + kcMax - 1) / kcMax;
  return (k + kBlocks - 1) / kBlocks;
}

/**
 * Packs all of op(b) (every K-block, one after another: block pc at ceil(n/NR)·NR·pc floats) for
 * gemmPackedB, so a B that many products share (a GRU's W_hh, once per step) is packed once.
 */
export function packB(b: usize, bp: usize, n: i32, k: i32, transB: bool, kcMax: i32): void {
  if (n == 0 || k == 0) return;
  const kBlock = kBlockOf(k, kcMax), panelFloats = <usize>((n + NR - 1) / NR * NR);
  for (let pc = 0; pc < k; pc += kBlock) packBBlock(b, bp + (panelFloats * <usize>pc << 2), pc, n, k, min(kBlock, k - pc), transB);
}

/** `gemm` with op(b) already packed by packB (same n, k, kcMax). */
export function gemmPackedB(
  a: usize, bp: usize, c: usize, m: i32, n: i32, k: i32,
  transA: bool, accumulate: bool, ap: usize, tile: usize, kcMax: i32, mcMax: i32,
): void {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) memory.fill(c, 0, <usize>m * <usize>n * 4);
    return;
  }
  const kBlock = kBlockOf(k, kcMax), panelFloats = <usize>((n + NR - 1) / NR * NR);
  for (let pc = 0; pc < k; pc += kBlock) {
    const overwrite = !accumulate && pc == 0;
    multiplyBlock(a, bp + (panelFloats * <usize>pc << 2), c, m, n, k, pc, min(kBlock, k - pc), transA, ap, tile, mcMax, overwrite);
  }
}

function macroKernel(ap: usize, bp: usize, c: usize, mc: i32, n: i32, kc: i32, tile: usize, overwrite: bool): void {
  const ldc = <usize>n << 2;
  for (let jr = 0; jr < n; jr += NR) {
    const nr = min(NR, n - jr);
    const bPanel = bp + (<usize>jr * <usize>kc << 2);
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      const cTile = c + <usize>ir * ldc + (<usize>jr << 2);
      microKernel(ap + (<usize>ir * <usize>kc << 2), bPanel, kc, cTile, ldc, mr, nr, tile, overwrite);
    }
  }
}

/**
 * One MR×NR tile over kc packed steps: per step two B vectors, then for each row a splatted A
 * value times both. 12 accumulators + 2 B + 1 A = 15 of the 16 vector registers of x64.
 * Full tiles add straight into C (or are stored, when `overwrite`); edge tiles go through `tile`
 * and a scalar add or copy.
 */
@inline function microKernel(
  ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, mr: i32, nr: i32, tile: usize, overwrite: bool,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const aEnd = ap + (<usize>kc * <usize>MR << 2);
  while (ap < aEnd) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(c00, a, b0); c01 = madd(c01, a, b1);
    a = v128.load32_splat(ap, 4);
    c10 = madd(c10, a, b0); c11 = madd(c11, a, b1);
    a = v128.load32_splat(ap, 8);
    c20 = madd(c20, a, b0); c21 = madd(c21, a, b1);
    a = v128.load32_splat(ap, 12);
    c30 = madd(c30, a, b0); c31 = madd(c31, a, b1);
    ap += <usize>MR << 2;
    bp += <usize>NR << 2;
  }
  if (mr == MR && nr == NR && !overwrite) {
    addRow(c, c00, c01);
    addRow(c + ldc, c10, c11);
    addRow(c + 2 * ldc, c20, c21);
    addRow(c + 3 * ldc, c30, c31);
    return;
  }
  // Stored whole (all MR×NR floats), into C itself or the staging tile of an edge.
  const full = mr == MR && nr == NR;
  const out = full ? c : tile;
  const ld = full ? ldc : <usize>NR << 2;
  storeRow(out, c00, c01);
  storeRow(out + ld, c10, c11);
  storeRow(out + 2 * ld, c20, c21);
  storeRow(out + 3 * ld, c30, c31);
  if (!full) addTile(tile, c, ldc, mr, nr, overwrite);
}

@inline function storeRow(dst: usize, lo: v128, hi: v128): void {
  v128.store(dst, lo);
  v128.store(dst, hi, 16);
}

@inline function addRow(dst: usize, lo: v128, hi: v128): void {
  v128.store(dst, f32x4.add(v128.load(dst), lo));
  v128.store(dst, f32x4.add(v128.load(dst, 16), hi), 16);
}

/** Adds (or, when `overwrite`, copies) the top-left mr×nr of a staged tile into C (edge tiles only). */
function addTile(tile: usize, c: usize, ldc: usize, mr: i32, nr: i32, overwrite: bool): void {
  for (let i = 0; i < mr; i++) {
    const src = tile + (<usize>(i * NR) << 2);
    const dst = c + <usize>i * ldc;
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 2;
      store<f32>(dst + o, overwrite ? load<f32>(src + o) : load<f32>(dst + o) + load<f32>(src + o));
    }
  }
}

/**
 * Packs `count` lanes (rows of op(A) or columns of op(B)) × kc steps into consecutive panels of
 * `width` lanes, p-major: dst[panel + p·width + lane] = src[start + lane·laneStride + p·pStride]
 * (element indices). The strides express the transpose; lanes past `count` are zero.
 */
function packPanels(
  src: usize, dst: usize, start: i32, count: i32, laneStride: i32, pStride: i32, kc: i32, width: i32,
): void {
  let panel = dst;
  const panelBytes = <usize>width * <usize>kc << 2;
  for (let l0 = 0; l0 < count; l0 += width) {
    const lanes = min(width, count - l0);
    const first = src + (<usize>(start + l0 * laneStride) << 2);
    if (laneStride == 1) packLanesInner(first, panel, lanes, <usize>pStride << 2, kc, width);
    else packStepsInner(first, panel, lanes, <usize>laneStride << 2, kc, width);
    panel += panelBytes;
  }
}

/** Lanes contiguous in src (transposed A, plain B): one row segment per step. */
function packLanesInner(src: usize, dst: usize, lanes: i32, pStrideBytes: usize, kc: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  if (lanes == 8 && width == 8) {
    for (let p = 0; p < kc; p++, src += pStrideBytes, dst += rowBytes) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
    }
    return;
  }
  if (lanes == 4 && width == 4) {
    for (let p = 0; p < kc; p++, src += pStrideBytes, dst += rowBytes) v128.store(dst, v128.load(src));
    return;
  }
  for (let p = 0; p < kc; p++, src += pStrideBytes, dst += rowBytes) {
    let lane = 0;
    for (; lane < lanes; lane++) store<f32>(dst + (<usize>lane << 2), load<f32>(src + (<usize>lane << 2)));
    for (; lane < width; lane++) store<f32>(dst + (<usize>lane << 2), 0);
  }
}

/**
 * Steps contiguous in src (plain A, transposed B): a transpose. Full panels go four lanes × four
 * steps at a time through a 4×4 register transpose (scalar strided stores made this the costliest
 * part of plain-A and transposed-B products: the conv weight gradient's colᵀ, every layer's A);
 * partial panels and the last kc % 4 steps go one float at a time.
 */
function packStepsInner(src: usize, dst: usize, lanes: i32, laneStrideBytes: usize, kc: i32, width: i32): void {
  let done = 0;
  if (lanes == width && (width & 3) == 0) {
    done = kc & ~3;
    for (let l = 0; l < width; l += 4) transposeQuads(src + <usize>l * laneStrideBytes, dst + (<usize>l << 2), laneStrideBytes, done, width);
  }
  if (done < kc) packStepsScalar(src + (<usize>done << 2), dst + (<usize>(done * width) << 2), lanes, laneStrideBytes, kc - done, width);
}

/** Four lanes (rows at laneStrideBytes) × `steps` (a multiple of 4) into a panel `width` wide. */
@inline function transposeQuads(src: usize, dst: usize, laneStrideBytes: usize, steps: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  const s1 = src + laneStrideBytes, s2 = s1 + laneStrideBytes, s3 = s2 + laneStrideBytes;
  for (let p = 0; p < steps; p += 4) {
    const off = <usize>p << 2;
    const r0 = v128.load(src + off), r1 = v128.load(s1 + off), r2 = v128.load(s2 + off), r3 = v128.load(s3 + off);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const o = dst + <usize>p * rowBytes;
    v128.store(o, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
    v128.store(o + rowBytes, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
    v128.store(o + 2 * rowBytes, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
    v128.store(o + 3 * rowBytes, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
  }
}

/** packStepsInner one float at a time (lanes past `lanes` zero). */
function packStepsScalar(src: usize, dst: usize, lanes: i32, laneStrideBytes: usize, kc: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  for (let lane = 0; lane < width; lane++) {
    let o = dst + (<usize>lane << 2);
    if (lane >= lanes) {
      for (let p = 0; p < kc; p++, o += rowBytes) store<f32>(o, 0);
      continue;
    }
    let s = src + <usize>lane * laneStrideBytes;
    for (let p = 0; p < kc; p++, o += rowBytes, s += 4) store<f32>(o, load<f32>(s));
  }
}
