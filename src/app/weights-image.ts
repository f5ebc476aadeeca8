/**
 * A weight vector as a picture: red where the unit wants ink, blue where ink counts against it,
 * white for zero, each unit scaled by its own largest |weight| (so every tile uses the full range).
 */
export function weightsToRgba(weights: Float32Array, offset: number, length: number): Uint8ClampedArray {
  let scale = 0;
  for (let i = 0; i < length; i++) scale = Math.max(scale, Math.abs(weights[offset + i]));
  const rgba = new Uint8ClampedArray(length * 4);
  for (let i = 0; i < length; i++) {
    const v = scale > 0 ? weights[offset + i] / scale : 0;
    const fade = Math.round(255 * (1 - Math.abs(v)));
    rgba[i * 4] = v >= 0 ? 255 : fade;
    rgba[i * 4 + 1] = fade;
    rgba[i * 4 + 2] = v >= 0 ? fade : 255;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
