import { memo, useEffect, useRef } from 'react';
import type { Drawing } from '../../../data/strokes';
import { COORD_MAX } from '../../../data/strokes';

/**
 * A drawing in Quick Draw coordinates (0..255) drawn as lines on a small square canvas; `dots`
 * marks every point (the steps the network reads).
 */
export const DoodleCanvas = memo(function DoodleCanvas(props: { strokes: Drawing; size: number; label: string; dots?: boolean; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { strokes, size, dots = false } = props;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const pad = Math.max(2, size * 0.06);
    const scale = (size - 2 * pad) / COORD_MAX;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = '#0f172a';
    ctx.lineWidth = Math.max(1, size / 90);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const [xs, ys] of strokes) {
      ctx.beginPath();
      xs.forEach((x, i) => (i === 0 ? ctx.moveTo(pad + x * scale, pad + ys[i] * scale) : ctx.lineTo(pad + x * scale, pad + ys[i] * scale)));
      if (xs.length === 1) ctx.lineTo(pad + xs[0] * scale + 0.5, pad + ys[0] * scale);
      ctx.stroke();
    }
    if (!dots) return;
    ctx.fillStyle = '#0284c7';
    for (const [xs, ys] of strokes) xs.forEach((x, i) => ctx.fillRect(pad + x * scale - 1.5, pad + ys[i] * scale - 1.5, 3, 3));
  }, [strokes, size, dots]);
  return <canvas ref={ref} className="doodle" width={size} height={size} role="img" aria-label={props.label} data-testid={props.testId} />;
});
