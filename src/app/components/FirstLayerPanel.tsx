import { useEffect, useRef, useState } from 'react';
import type { FirstLayerWeights } from '../../../workers/api';
import { useAppState, useController } from '../context';
import { PlaygroundController } from '../playground-controller';
import { weightsToRgba } from '../weights-image';
import { Panel } from './Panel';

function UnitTile({ layer, unit }: { layer: FirstLayerWeights; unit: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w] = layer.imageShape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const rgba = weightsToRgba(layer.weights, unit * layer.inputs, layer.inputs);
    ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w, h), 0, 0);
  }, [layer, unit, h, w]);
  return <canvas ref={ref} width={w} height={h} className="unit-tile" data-testid="first-layer-unit" title={`hidden unit ${unit + 1}`}
    role="img" aria-label={`weights of hidden unit ${unit + 1} as a ${h}×${w} image`} />;
}

/**
 * What each first-layer unit of the MLP looks for, drawn as an image of its weights; refreshed
 * whenever the page's model changes (a finished run, an import, a restore).
 */
export function FirstLayerPanel() {
  const controller = useController();
  const model = useAppState((s) => s.model);
  const idle = useAppState((s) => s.phase === 'idle');
  const [layer, setLayer] = useState<FirstLayerWeights | null>(null);
  useEffect(() => {
    if (!(controller instanceof PlaygroundController) || !idle || model?.kind !== 'mlp') return;
    let current = true;
    void controller.firstLayerWeights().then((result) => {
      if (current) setLayer(result);
    });
    return () => {
      current = false;
    };
  }, [controller, model, idle]);
  if (!layer || model?.kind !== 'mlp') return null;
  const [h, w] = layer.imageShape;
  const more = layer.units > layer.shown ? ` (the first ${layer.shown} of ${layer.units})` : '';
  return (
    <Panel title="What the first layer looks for" className="first-layer">
      <p className="muted small">
        Each tile is one hidden unit's {layer.inputs} input weights as a {h}×{w} image{more}:{' '}
        <span className="key-pos">red</span> where ink raises the unit's output, <span className="key-neg">blue</span> where it lowers it.
      </p>
      <div className="unit-grid" data-testid="first-layer">
        {Array.from({ length: layer.shown }, (_, u) => <UnitTile key={u} layer={layer} unit={u} />)}
      </div>
    </Panel>
  );
}
