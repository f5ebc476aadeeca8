/**
 * A feature map as a picture, light on dark like "what the network sees": 0 is black and the map's
 * own largest value white (each map scaled alone, so a weak but shaped response still shows).
 * A map that is zero everywhere (no response to this drawing) stays black.
 */
export function featureMapToRgba(values: Float32Array, offset: number, length: number): Uint8ClampedArray {
  let top = 0;
  for (let i = 0; i < length; i++) top = Math.max(top, values[offset + i]);
  const rgba = new Uint8ClampedArray(length * 4);
  for (let i = 0; i < length; i++) {
    const v = top > 0 ? Math.round((255 * Math.max(0, values[offset + i])) / top) : 0;
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
