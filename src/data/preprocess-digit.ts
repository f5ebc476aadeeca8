/**
 * Turns a hand-drawn digit into what an MNIST network expects, following MNIST's own recipe:
 * crop to the ink, scale the longest side to 20 px keeping the aspect ratio (area averaging, which
 * anti-aliases like the original NIST normalisation), then place it in a 28×28 field so that its
 * centre of mass sits at the centre. Pixels: 0 = background, 255 = ink.
 */

export const MNIST_SIDE = 28;
export const MNIST_BOX = 20;

/** Ink below this is treated as canvas noise when finding the bounding box. */
const INK_THRESHOLD = 16;

interface Box {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * gray: ink intensities (0 = background … 255 = ink), row-major width × height.
 * Returns 784 uint8 pixels, or null when nothing was drawn.
 */
export function preprocessDigit(
  gray: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
): Uint8Array | null {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`preprocessDigit: bad canvas size ${width}×${height}`);
  }
  if (gray.length !== width * height) {
    throw new Error(`preprocessDigit: expected ${width * height} pixels, got ${gray.length}`);
  }
  const box = inkBoundingBox(gray, width, height);
  if (!box) return null;
  const scale = MNIST_BOX / Math.max(box.width, box.height);
  const outW = Math.max(1, Math.min(MNIST_BOX, Math.round(box.width * scale)));
  const outH = Math.max(1, Math.min(MNIST_BOX, Math.round(box.height * scale)));
  const scaled = resampleArea(gray, width, box, outW, outH);
  stretchToFullRange(scaled);
  return centreByMass(scaled, outW, outH);
}

function inkBoundingBox(gray: ArrayLike<number>, width: number, height: number): Box | null {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (gray[row + x] < INK_THRESHOLD) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (maxX < 0) return null;
  return { x0: minX, y0: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/**
 * Box-filter resampling of the cropped region to outW × outH: each output pixel is the
 * coverage-weighted mean of the source pixels under it (works for shrinking and enlarging).
 */
function resampleArea(
  gray: ArrayLike<number>, width: number, box: Box, outW: number, outH: number,
): Float64Array {
  const horizontal = new Float64Array(outW * box.height);
  const sx = box.width / outW;
  for (let y = 0; y < box.height; y++) {
    const srcRow = (box.y0 + y) * width + box.x0;
    for (let ox = 0; ox < outW; ox++) {
      horizontal[y * outW + ox] = coverageMean(ox * sx, (ox + 1) * sx, (i) => gray[srcRow + i]);
    }
  }
  const out = new Float64Array(outW * outH);
  const sy = box.height / outH;
  for (let ox = 0; ox < outW; ox++) {
    for (let oy = 0; oy < outH; oy++) {
      out[oy * outW + ox] = coverageMean(oy * sy, (oy + 1) * sy, (i) => horizontal[i * outW + ox]);
    }
  }
  return out;
}

/** Mean of sample(i) over the continuous interval [from, to), weighting partial cells. */
function coverageMean(from: number, to: number, sample: (i: number) => number): number {
  let sum = 0;
  const first = Math.floor(from);
  const last = Math.ceil(to) - 1;
  for (let i = first; i <= last; i++) {
    const weight = Math.min(to, i + 1) - Math.max(from, i);
    if (weight > 0) sum += sample(i) * weight;
  }
  return sum / (to - from);
}

/** Thin strokes come out grey after shrinking; MNIST digits reach full ink, so stretch to 255. */
function stretchToFullRange(pixels: Float64Array): void {
  let max = 0;
  for (const v of pixels) if (v > max) max = v;
  if (max <= 0) return;
  const k = 255 / max;
  for (let i = 0; i < pixels.length; i++) pixels[i] *= k;
}

function centreByMass(pixels: Float64Array, w: number, h: number): Uint8Array {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = pixels[y * w + x];
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  // MNIST puts the centre of mass at index (14, 14) — measured on its own images, not 13.5.
  const centre = MNIST_SIDE / 2;
  const offX = clamp(Math.round(centre - mx / mass), 0, MNIST_SIDE - w);
  const offY = clamp(Math.round(centre - my / mass), 0, MNIST_SIDE - h);
  const out = new Uint8Array(MNIST_SIDE * MNIST_SIDE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      out[(y + offY) * MNIST_SIDE + x + offX] = Math.round(clamp(pixels[y * w + x], 0, 255));
    }
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Centre of mass (index coordinates) and ink bounding box of 28×28 pixels; used by tests and the UI. */
export function describeDigit(pixels: Uint8Array): {
  centreX: number; centreY: number; boxWidth: number; boxHeight: number;
} {
  let mass = 0;
  let mx = 0;
  let my = 0;
  let minX = MNIST_SIDE;
  let minY = MNIST_SIDE;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < MNIST_SIDE; y++) {
    for (let x = 0; x < MNIST_SIDE; x++) {
      const v = pixels[y * MNIST_SIDE + x];
      if (v === 0) continue;
      mass += v;
      mx += v * x;
      my += v * y;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  return {
    centreX: mass ? mx / mass : NaN,
    centreY: mass ? my / mass : NaN,
    boxWidth: maxX - minX + 1,
    boxHeight: maxY - minY + 1,
  };
}

/**
 * A two-box drawing (width = 2 × height, ink 0 … 255) → 28×56 pixels, each half prepared like an
 * MNIST digit in its own 28×28 square. The page asks for one digit per box, so the box is the
 * digit: splitting the ink into connected blobs instead would fail whenever the two digits touch
 * (or one digit is drawn in two pieces, like a "5" whose bar is lifted). Null when a box is empty.
 */
export function preprocessPair(ink: Uint8ClampedArray, width: number, height: number): Uint8Array | null {
  if (width !== 2 * height) throw new Error(`A two-digit drawing must be twice as wide as high, got ${width}×${height}`);
  if (ink.length !== width * height) throw new Error(`Expected ${width * height} pixels, got ${ink.length}`);
  const half = height;
  const left = new Uint8ClampedArray(half * height);
  const right = new Uint8ClampedArray(half * height);
  for (let y = 0; y < height; y++) {
    left.set(ink.subarray(y * width, y * width + half), y * half);
    right.set(ink.subarray(y * width + half, (y + 1) * width), y * half);
  }
  const tens = preprocessDigit(left, half, height);
  const ones = preprocessDigit(right, half, height);
  if (!tens || !ones) return null;
  const side = MNIST_SIDE;
  const out = new Uint8Array(side * 2 * side);
  for (let y = 0; y < side; y++) {
    out.set(tens.subarray(y * side, (y + 1) * side), y * 2 * side);
    out.set(ones.subarray(y * side, (y + 1) * side), y * 2 * side + side);
  }
  return out;
}
