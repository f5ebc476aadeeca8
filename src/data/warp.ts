/**
 * Small random rotations and scalings of digit images, for augmentation: handwriting varies in slant
 * and size far more than a ±2 px shift covers. Side-by-side digits (width a multiple of height) are
 * warped one square tile at a time, each about its own centre, so one digit never slides into the other.
 */
import type { Rng } from '../kernels/rng';

export interface WarpOptions {
  /** Largest rotation in degrees; each tile turns by an angle uniform in [−rotate, rotate]. */
  rotate: number;
  /** Largest relative change of size; each tile is scaled by a factor uniform in [1 − scale, 1 + scale]. */
  scale: number;
}

export function checkWarp(opts: WarpOptions): void {
  if (!(opts.rotate >= 0 && opts.rotate <= 45)) throw new Error(`The augmentation rotation must be 0..45 degrees, got ${opts.rotate}`);
  if (!(opts.scale >= 0 && opts.scale < 0.5)) throw new Error(`The augmentation scaling must be in [0, 0.5), got ${opts.scale}`);
}

/** One scratch tile, grown on demand, so warping a batch allocates nothing once warm. */
let scratch = new Float32Array(0);

/** Tiles of an image: square ones (two 28×28 digits side by side in a 28×56 pair), else the whole image. */
export function tilesOf(height: number, width: number): { count: number; size: number } {
  return width % height === 0 ? { count: width / height, size: height } : { count: 1, size: width };
}

/**
 * Warps each tile of one [height, width] image at `offset` in place: inverse-maps every output pixel
 * through the rotation and scaling about the tile's centre and samples the input bilinearly, zero
 * outside. Draws two random numbers per tile (angle, then scale), whatever the options.
 */
export function warpImage(pixels: Float32Array, offset: number, height: number, width: number, rng: Rng, opts: WarpOptions): void {
  const { count, size: tileW } = tilesOf(height, width);
  if (scratch.length < height * tileW) scratch = new Float32Array(height * tileW);
  for (let t = 0; t < count; t++) {
    const angle = ((opts.rotate * Math.PI) / 180) * (2 * rng.next() - 1);
    const factor = 1 + opts.scale * (2 * rng.next() - 1);
    warpTile(pixels, offset + t * tileW, width, height, tileW, angle, factor);
  }
}

function warpTile(pixels: Float32Array, at: number, stride: number, height: number, tileW: number, angle: number, factor: number): void {
  const src = scratch;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < tileW; x++) src[y * tileW + x] = pixels[at + y * stride + x];
  }
  // Output (x, y) reads the input at c + R(−angle)·(p − c) / factor.
  const cos = Math.cos(angle) / factor, sin = Math.sin(angle) / factor;
  const cx = (tileW - 1) / 2, cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    for (let x = 0; x < tileW; x++) {
      const dx = x - cx;
      const sx = cx + cos * dx + sin * dy;
      const sy = cy - sin * dx + cos * dy;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      // Most samples fall inside the tile: the four texels read directly (the same arithmetic as bilinear()).
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < tileW && y0 + 1 < height) {
        const fx = sx - x0, fy = sy - y0, i = y0 * tileW + x0;
        pixels[at + y * stride + x] = (1 - fy) * ((1 - fx) * src[i] + fx * src[i + 1]) + fy * ((1 - fx) * src[i + tileW] + fx * src[i + tileW + 1]);
      } else {
        pixels[at + y * stride + x] = bilinear(tileW, height, sx, sy);
      }
    }
  }
}

/** Bilinear sample at (x, y) with a zero border: the general case of warpTile's inner loop. */
function bilinear(w: number, h: number, x: number, y: number): number {
  const x0 = Math.floor(x), y0 = Math.floor(y);
  // Wholly outside: every texel is the zero border.
  if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) return 0;
  const fx = x - x0, fy = y - y0;
  return (
    (1 - fy) * ((1 - fx) * texel(w, h, x0, y0) + fx * texel(w, h, x0 + 1, y0)) +
    fy * ((1 - fx) * texel(w, h, x0, y0 + 1) + fx * texel(w, h, x0 + 1, y0 + 1))
  );
}

function texel(w: number, h: number, x: number, y: number): number {
  return x < 0 || y < 0 || x >= w || y >= h ? 0 : scratch[y * w + x];
}
