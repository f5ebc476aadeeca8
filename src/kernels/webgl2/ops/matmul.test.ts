import { describe, expect, it } from 'vitest';
import { matmulTileSizes } from './matmul';

describe('matmulTileSizes', () => {
  it('keeps a product that fits in one piece', () => {
    expect(matmulTileSizes({ m: 8192, n: 384, k: 32768 }, 8192)).toEqual({ rows: 8192, cols: 384, depth: 32768 });
    expect(matmulTileSizes({ m: 12800, n: 384, k: 3 }, 16384)).toEqual({ rows: 12800, cols: 384, depth: 3 });
  });

  it('cuts rows and columns to the texture size (a multiple of 8) and the reduction to 4 per texel', () => {
    // BiGRU input projection of a 256 × 100 evaluation batch on SwiftShader (8,192).
    expect(matmulTileSizes({ m: 25600, n: 384, k: 3 }, 8192)).toEqual({ rows: 8192, cols: 384, depth: 3 });
    // Rows padded to 8 must fit: 8,190 rows pack to 8,192 (fits), 8,193 to 8,200 (does not).
    expect(matmulTileSizes({ m: 8190, n: 8, k: 8 }, 8192).rows).toBe(8190);
    expect(matmulTileSizes({ m: 8193, n: 8, k: 8 }, 8192).rows).toBe(8192);
    expect(matmulTileSizes({ m: 5, n: 100, k: 40000 }, 8190)).toEqual({ rows: 5, cols: 100, depth: 32760 });
    expect(matmulTileSizes({ m: 45, n: 37, k: 150 }, 20)).toEqual({ rows: 16, cols: 16, depth: 80 });
  });
});
