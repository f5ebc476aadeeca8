import type { Tensor } from '../backend';
import type { GlTexture } from './textures';

/**
 * Tensor layout on the GPU: one R32F texture, elements in flat row-major order filling texture
 * rows of width W = min(n, MAX_ROW_WIDTH); element i lives at texel (i mod W, ⌊i / W⌋) and the
 * tail of the last row is padding no op reads.
 *
 * Why flat rather than [rows, cols]: the layout then depends only on the element count, so
 * tensors of equal size (whatever their shapes, e.g. [B,784] vs [B,28,28]) share it and every
 * elementwise op, copy and optimizer step is a texel-for-texel pass with no index arithmetic.
 * Matmul does not lose by it: it first packs its operands into RGBA textures, 4 consecutive
 * k-values per texel with one matrix row per texture row (see ops/matmul.ts), so its inner loop
 * is two vec4 fetches and a dot product whatever the flat layout was.
 */
export const MAX_ROW_WIDTH = 4096;

export interface TextureLayout {
  width: number;
  height: number;
}

export function layoutOf(size: number): TextureLayout {
  const width = Math.max(1, Math.min(size, MAX_ROW_WIDTH));
  return { width, height: Math.max(1, Math.ceil(size / width)) };
}

/**
 * A WebGL2 tensor handle. `texture` changes when an op writes the tensor while also reading it
 * (ping-pong: the op renders into a fresh pooled texture and the handle takes it over), so
 * code must never cache a tensor's texture across ops. null once disposed, and for size 0.
 */
export class GlTensor implements Tensor {
  texture: GlTexture | null;
  disposed = false;
  /**
   * Host copy of small tensors last set from the host (labels, lengths), valid until an op
   * writes the tensor: lets ops validate integer inputs without a GPU read-back.
   */
  host: Float32Array | null = null;
  hostValid = false;
  /**
   * fill(t, 0) not yet done on the GPU: an op that overwrites or accumulates into `t` skips both
   * the clear and the accumulation; any other use clears first (GlMemory.handle).
   */
  zeroPending = false;

  constructor(
    readonly shape: readonly number[],
    readonly size: number,
    readonly id: number,
    readonly owner: object,
    texture: GlTexture | null,
  ) {
    this.texture = texture;
  }
}
