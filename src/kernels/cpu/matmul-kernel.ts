import type { FloatArray } from '../backend';

/** Micro-tile height (rows of A) and width (columns of B). */
export const MR = 8;
export const NR = 8;

/**
 * The GEMM inner kernel: a 8×8 tile of C accumulated in 64 locals over kc steps of the packed
 * panels (ap: p-major MR-row panel, bp: p-major NR-column panel), then added into c.
 * Written out by hand because V8 only keeps values in registers when they are plain locals; a
 * 8×8 tile measured ~10% faster than 4×4 (fewer loads and bounds checks per multiply-add).
 * Full tiles add straight into c; edge tiles (mr < MR or nr < NR) go through a staging buffer.
 */
export function microKernel(
  ap: Float64Array, aOff: number, bp: Float64Array, bOff: number, kc: number,
  c: FloatArray, cOff: number, ldc: number, mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
  let c40 = 0, c41 = 0, c42 = 0, c43 = 0, c44 = 0, c45 = 0, c46 = 0, c47 = 0;
  let c50 = 0, c51 = 0, c52 = 0, c53 = 0, c54 = 0, c55 = 0, c56 = 0, c57 = 0;
  let c60 = 0, c61 = 0, c62 = 0, c63 = 0, c64 = 0, c65 = 0, c66 = 0, c67 = 0;
  let c70 = 0, c71 = 0, c72 = 0, c73 = 0, c74 = 0, c75 = 0, c76 = 0, c77 = 0;
  let ai = aOff;
  let bi = bOff;
  const aEnd = aOff + kc * MR;
  for (; ai < aEnd; ai += MR, bi += NR) {
    const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3], a4 = ap[ai + 4], a5 = ap[ai + 5], a6 = ap[ai + 6], a7 = ap[ai + 7];
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3], b4 = bp[bi + 4], b5 = bp[bi + 5], b6 = bp[bi + 6], b7 = bp[bi + 7];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3; c04 += a0 * b4; c05 += a0 * b5; c06 += a0 * b6; c07 += a0 * b7;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3; c14 += a1 * b4; c15 += a1 * b5; c16 += a1 * b6; c17 += a1 * b7;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3; c24 += a2 * b4; c25 += a2 * b5; c26 += a2 * b6; c27 += a2 * b7;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3; c34 += a3 * b4; c35 += a3 * b5; c36 += a3 * b6; c37 += a3 * b7;
    c40 += a4 * b0; c41 += a4 * b1; c42 += a4 * b2; c43 += a4 * b3; c44 += a4 * b4; c45 += a4 * b5; c46 += a4 * b6; c47 += a4 * b7;
    c50 += a5 * b0; c51 += a5 * b1; c52 += a5 * b2; c53 += a5 * b3; c54 += a5 * b4; c55 += a5 * b5; c56 += a5 * b6; c57 += a5 * b7;
    c60 += a6 * b0; c61 += a6 * b1; c62 += a6 * b2; c63 += a6 * b3; c64 += a6 * b4; c65 += a6 * b5; c66 += a6 * b6; c67 += a6 * b7;
    c70 += a7 * b0; c71 += a7 * b1; c72 += a7 * b2; c73 += a7 * b3; c74 += a7 * b4; c75 += a7 * b5; c76 += a7 * b6; c77 += a7 * b7;
  }
  if (mr === MR && nr === NR) {
    let o = cOff;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; c[o + 4] += c04; c[o + 5] += c05; c[o + 6] += c06; c[o + 7] += c07;
    o += ldc;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; c[o + 4] += c14; c[o + 5] += c15; c[o + 6] += c16; c[o + 7] += c17;
    o += ldc;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; c[o + 4] += c24; c[o + 5] += c25; c[o + 6] += c26; c[o + 7] += c27;
    o += ldc;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33; c[o + 4] += c34; c[o + 5] += c35; c[o + 6] += c36; c[o + 7] += c37;
    o += ldc;
    c[o] += c40; c[o + 1] += c41; c[o + 2] += c42; c[o + 3] += c43; c[o + 4] += c44; c[o + 5] += c45; c[o + 6] += c46; c[o + 7] += c47;
    o += ldc;
    c[o] += c50; c[o + 1] += c51; c[o + 2] += c52; c[o + 3] += c53; c[o + 4] += c54; c[o + 5] += c55; c[o + 6] += c56; c[o + 7] += c57;
    o += ldc;
    c[o] += c60; c[o + 1] += c61; c[o + 2] += c62; c[o + 3] += c63; c[o + 4] += c64; c[o + 5] += c65; c[o + 6] += c66; c[o + 7] += c67;
    o += ldc;
    c[o] += c70; c[o + 1] += c71; c[o + 2] += c72; c[o + 3] += c73; c[o + 4] += c74; c[o + 5] += c75; c[o + 6] += c76; c[o + 7] += c77;
    return;
  }
  const t = EDGE_TILE;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c04; t[5] = c05; t[6] = c06; t[7] = c07;
  t[8] = c10; t[9] = c11; t[10] = c12; t[11] = c13; t[12] = c14; t[13] = c15; t[14] = c16; t[15] = c17;
  t[16] = c20; t[17] = c21; t[18] = c22; t[19] = c23; t[20] = c24; t[21] = c25; t[22] = c26; t[23] = c27;
  t[24] = c30; t[25] = c31; t[26] = c32; t[27] = c33; t[28] = c34; t[29] = c35; t[30] = c36; t[31] = c37;
  t[32] = c40; t[33] = c41; t[34] = c42; t[35] = c43; t[36] = c44; t[37] = c45; t[38] = c46; t[39] = c47;
  t[40] = c50; t[41] = c51; t[42] = c52; t[43] = c53; t[44] = c54; t[45] = c55; t[46] = c56; t[47] = c57;
  t[48] = c60; t[49] = c61; t[50] = c62; t[51] = c63; t[52] = c64; t[53] = c65; t[54] = c66; t[55] = c67;
  t[56] = c70; t[57] = c71; t[58] = c72; t[59] = c73; t[60] = c74; t[61] = c75; t[62] = c76; t[63] = c77;
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) c[cOff + i * ldc + j] += t[i * NR + j];
  }
}

/** Staging for partial edge tiles (JS is single-threaded per realm, so one buffer suffices). */
const EDGE_TILE = new Float64Array(MR * NR);
