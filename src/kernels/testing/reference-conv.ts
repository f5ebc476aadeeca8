/**
 * Naive float64 references for convolution and pooling, written straight from PyTorch's
 * definitions (Conv2d is cross-correlation; MaxPool2d floor mode) with one loop per index and no
 * im2col, so they share no structure with the fast kernels. NCHW, row-major.
 */
type Arr = ArrayLike<number>;

export interface ConvDims {
  batch: number;
  inC: number;
  h: number;
  w: number;
  outC: number;
  k: number;
  pad: number;
}

export function convOutSize(d: ConvDims): [number, number] {
  return [d.h + 2 * d.pad - d.k + 1, d.w + 2 * d.pad - d.k + 1];
}

/** Visits every (b, o, oy, ox, c, ky, kx) whose input pixel lies inside the image. */
function forEachTap(
  d: ConvDims, visit: (outIdx: number, xIdx: number, wIdx: number, o: number) => void,
): void {
  const [ho, wo] = convOutSize(d);
  for (let b = 0; b < d.batch; b++) {
    for (let o = 0; o < d.outC; o++) {
      for (let oy = 0; oy < ho; oy++) {
        for (let ox = 0; ox < wo; ox++) {
          const outIdx = ((b * d.outC + o) * ho + oy) * wo + ox;
          for (let c = 0; c < d.inC; c++) {
            for (let ky = 0; ky < d.k; ky++) {
              for (let kx = 0; kx < d.k; kx++) {
                const iy = oy + ky - d.pad, ix = ox + kx - d.pad;
                if (iy < 0 || iy >= d.h || ix < 0 || ix >= d.w) continue;
                visit(outIdx, ((b * d.inC + c) * d.h + iy) * d.w + ix, ((o * d.inC + c) * d.k + ky) * d.k + kx, o);
              }
            }
          }
        }
      }
    }
  }
}

/** out[b,o,y,x] = bias[o] + Σ_{c,ky,kx} w[o,c,ky,kx] · x[b,c,y+ky−pad,x+kx−pad]. */
export function conv2dRef(x: Arr, w: Arr, bias: Arr, d: ConvDims): Float64Array {
  const [ho, wo] = convOutSize(d);
  const out = new Float64Array(d.batch * d.outC * ho * wo);
  for (let i = 0; i < out.length; i++) out[i] = bias[Math.floor(i / (ho * wo)) % d.outC];
  forEachTap(d, (oi, xi, wi) => { out[oi] += w[wi] * x[xi]; });
  return out;
}

export function conv2dBackwardInputRef(dy: Arr, w: Arr, d: ConvDims): Float64Array {
  const dx = new Float64Array(d.batch * d.inC * d.h * d.w);
  forEachTap(d, (oi, xi, wi) => { dx[xi] += w[wi] * dy[oi]; });
  return dx;
}

export function conv2dBackwardWeightRef(x: Arr, dy: Arr, d: ConvDims): [Float64Array, Float64Array] {
  const dw = new Float64Array(d.outC * d.inC * d.k * d.k);
  const db = new Float64Array(d.outC);
  forEachTap(d, (oi, xi, wi) => { dw[wi] += x[xi] * dy[oi]; });
  const [ho, wo] = convOutSize(d);
  for (let i = 0; i < dy.length; i++) db[Math.floor(i / (ho * wo)) % d.outC] += dy[i];
  return [dw, db];
}

/** 2×2 stride-2 max pool over planes of h×w: [values, plane indices of the first maximum]. */
export function maxPool2dRef(x: Arr, planes: number, h: number, w: number): [Float64Array, Float64Array] {
  const ho = Math.floor(h / 2), wo = Math.floor(w / 2);
  const out = new Float64Array(planes * ho * wo), idx = new Float64Array(planes * ho * wo);
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        let best = -Infinity, at = -1;
        for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
          const local = (2 * oy + dy) * w + 2 * ox + dx;
          if (x[p * h * w + local] > best) [best, at] = [x[p * h * w + local], local];
        }
        const o = (p * ho + oy) * wo + ox;
        [out[o], idx[o]] = [best, at];
      }
    }
  }
  return [out, idx];
}

export function maxPool2dBackwardRef(dy: Arr, idx: Arr, planes: number, h: number, w: number): Float64Array {
  const dx = new Float64Array(planes * h * w);
  const perPlane = Math.floor(h / 2) * Math.floor(w / 2);
  for (let o = 0; o < dy.length; o++) dx[Math.floor(o / perPlane) * h * w + idx[o]] += dy[o];
  return dx;
}
