import type { FloatArray } from '../backend';
import type { PoolGeometry } from '../validate-conv';

/**
 * Max-pool 2×2, stride 2, NCHW. Output is ⌊H/2⌋ × ⌊W/2⌋ (PyTorch's floor mode drops an odd last
 * row/column). The winner's index inside its H×W plane is stored as a float (exact: planes are
 * far below 2^24 pixels), which is PyTorch's return_indices convention.
 */

/** Scans each window row-major; the first maximum wins ties and a NaN wins outright (PyTorch). */
export function maxPool2dForward(x: FloatArray, out: FloatArray, argmax: FloatArray, g: PoolGeometry): void {
  const { planes, height, width, outH, outW } = g;
  const planeIn = height * width, planeOut = outH * outW;
  for (let pl = 0; pl < planes; pl++) {
    const xBase = pl * planeIn;
    let o = pl * planeOut;
    for (let oy = 0; oy < outH; oy++) {
      const top = 2 * oy * width;
      for (let ox = 0; ox < outW; ox++, o++) {
        const i0 = top + 2 * ox, i1 = i0 + 1, i2 = i0 + width, i3 = i2 + 1;
        let best = x[xBase + i0], at = i0;
        if (best === best) {
          const v1 = x[xBase + i1], v2 = x[xBase + i2], v3 = x[xBase + i3];
          if (v1 > best || v1 !== v1) { best = v1; at = i1; }
          if (best === best && (v2 > best || v2 !== v2)) { best = v2; at = i2; }
          if (best === best && (v3 > best || v3 !== v3)) { best = v3; at = i3; }
        }
        out[o] = best;
        argmax[o] = at;
      }
    }
  }
}

/** Zeroes dx, then routes each dy to the input pixel that won its window. */
export function maxPool2dBackward(dy: FloatArray, argmax: FloatArray, dx: FloatArray, g: PoolGeometry): void {
  const { planes, height, width, outH, outW } = g;
  const planeIn = height * width, planeOut = outH * outW;
  dx.fill(0, 0, planes * planeIn);
  for (let pl = 0; pl < planes; pl++) {
    const xBase = pl * planeIn;
    for (let o = pl * planeOut, end = o + planeOut; o < end; o++) {
      const at = argmax[o];
      if (!(at >= 0 && at < planeIn && (at | 0) === at)) {
        throw new Error(`maxPool2dBackward: argmax holds ${at}, not a pixel index of a ${height}×${width} plane (pass the argmax filled by maxPool2d)`);
      }
      dx[xBase + at] += dy[o];
    }
  }
}
