import { memo, useEffect, useRef, useState } from 'react';
import type { CnnFeatureMaps, CnnFeatures, CnnFilterBank } from '../../../../workers/api';
import { useAppState } from '../../context';
import { weightsToRgba } from '../../weights-image';
import { Panel } from '../Panel';
import { featureMapToRgba } from './feature-image';
import { useCnnController } from './use-cnn-controller';

function Tile(props: { rgba: Uint8ClampedArray; width: number; height: number; className: string; title: string; testId: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { rgba, width, height } = props;
  useEffect(() => {
    ref.current?.getContext('2d')?.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  }, [rgba, width, height]);
  return <canvas ref={ref} width={width} height={height} className={props.className} title={props.title} role="img" aria-label={props.title} data-testid={props.testId} />;
}

const FilterBank = memo(function FilterBank({ bank }: { bank: CnnFilterBank }) {
  const { kernel: k, outChannels, inChannels } = bank;
  const how = inChannels > 1 ? `, each the mean of its ${inChannels} input-channel kernels` : '';
  return (
    <div className="cnn-bank">
      <span className="small">{bank.name}: {outChannels} filters of {k}×{k}{how}</span>
      <div className="cnn-tiles">
        {Array.from({ length: outChannels }, (_, o) => (
          <Tile key={o} rgba={weightsToRgba(bank.weights, o * k * k, k * k)} width={k} height={k}
            className="cnn-filter-tile" title={`${bank.name} filter ${o + 1}`} testId="cnn-filter" />
        ))}
      </div>
    </div>
  );
});

const MapBlock = memo(function MapBlock({ block, index }: { block: CnnFeatureMaps; index: number }) {
  const { channels, height: h, width: w } = block;
  return (
    <div className="cnn-bank">
      <span className="small">After conv block {index + 1} (conv → max-pool → ReLU): {channels} maps of {h}×{w}</span>
      <div className="cnn-tiles">
        {Array.from({ length: channels }, (_, c) => (
          <Tile key={c} rgba={featureMapToRgba(block.values, c * h * w, h * w)} width={w} height={h}
            className="cnn-map-tile" title={`block ${index + 1}, map ${c + 1}`} testId="cnn-feature-map" />
        ))}
      </div>
    </div>
  );
});

/**
 * Inside the CNN: its filters, and what each conv block makes of the current drawing. Asked for
 * again whenever the prediction changes (each stroke, each epoch of a run, a new model).
 */
export function CnnFeaturesPanel() {
  const controller = useCnnController();
  const model = useAppState((s) => s.model);
  const input = useAppState((s) => s.prediction.input);
  const epochs = useAppState((s) => s.epochPoints.length);
  const [features, setFeatures] = useState<CnnFeatures | null>(null);
  useEffect(() => {
    let current = true;
    void controller.cnnFeatures(input).then((result) => {
      if (current) setFeatures(result);
    });
    return () => {
      current = false;
    };
  }, [controller, model, input, epochs]);
  if (!features) return null;
  return (
    <Panel title="Inside the CNN" className="span-all cnn-features">
      <p className="muted small">
        Filters: <span className="key-pos">red</span> weights respond to ink, <span className="key-neg">blue</span> ones
        against it (each tile scaled to its own largest weight).
      </p>
      <div data-testid="cnn-filters">
        {features.filters.map((bank) => <FilterBank key={bank.name} bank={bank} />)}
      </div>
      <div data-testid="cnn-feature-maps">
        {features.maps
          ? features.maps.map((block, i) => <MapBlock key={block.name} block={block} index={i} />)
          : <p className="muted small">Draw a number above to see what each conv block makes of it.</p>}
        {features.maps && <p className="muted small">Feature maps for your drawing: brighter = a stronger response (each map scaled to its own maximum).</p>}
      </div>
    </Panel>
  );
}
