import { useEffect, useRef } from 'react';

/**
 * Draws a 28×28 (or side×side, or side × width) uint8 image, 255 = ink, as light ink on a dark
 * ground; `size` is the displayed height.
 */
export function PixelCanvas(props: { pixels: Uint8Array | null; side?: number; width?: number; size: number; label?: string }) {
  const side = props.side ?? 28;
  const width = props.width ?? side;
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(width, side);
    for (let i = 0; i < width * side; i++) {
      const v = props.pixels ? props.pixels[i] : 0;
      image.data[i * 4] = v;
      image.data[i * 4 + 1] = v;
      image.data[i * 4 + 2] = v;
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [props.pixels, side, width]);
  return (
    <canvas
      ref={ref}
      className="pixel-canvas"
      width={width}
      height={side}
      style={{ width: (props.size * width) / side, height: props.size }}
      aria-label={props.label}
      role={props.label ? 'img' : undefined}
    />
  );
}
