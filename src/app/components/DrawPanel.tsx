import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { CnnController } from '../cnn-controller';
import { useAppState, useInkController } from '../context';
import type { MlpController } from '../mlp-controller';
import { RequestCoalescer } from '../request-coalescer';
import { DRAW_SIDE, InkSurface, NO_KEYBOARD_DRAWING } from './draw-canvas';
import { Panel } from './Panel';
import { PixelCanvas } from './PixelCanvas';
import { ProbBars } from './ProbBars';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Sends the drawing to the worker at most once per animation frame, one request at a time
 * (RequestCoalescer).
 */
class PredictScheduler {
  private frame = 0;
  private readonly requests: RequestCoalescer;

  constructor(surface: () => InkSurface | null, private readonly controller: MlpController | CnnController, width: number) {
    this.requests = new RequestCoalescer((isCurrent) => {
      const ink = surface();
      if (!ink) return null;
      if (!ink.hasInk) {
        controller.clearPrediction();
        return null;
      }
      return controller.predictInk(ink.readInk(), width, DRAW_SIDE, isCurrent);
    });
  }

  request(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      void this.requests.request();
    });
  }

  clear(): void {
    this.requests.invalidate();
    this.controller.clearPrediction();
  }

  cancel(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}

/** Top `k` classes by probability, most likely first. */
function topClasses(probs: number[], k: number): number[] {
  return probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a]).slice(0, k);
}

/**
 * `pair`: a 2:1 canvas for two digits, one per half (with a faint divider), read as "00".."99";
 * the three most likely numbers are listed instead of one bar per class.
 */
export function DrawPanel({ disabled = false, pair = false }: { disabled?: boolean; pair?: boolean }) {
  const controller = useInkController();
  const width = pair ? 2 * DRAW_SIDE : DRAW_SIDE;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const surface = useRef<InkSurface | null>(null);
  const prediction = useAppState((s) => (disabled ? null : s.prediction));
  const classes = useAppState((s) => s.model?.classes ?? DIGITS);
  // A new model, or every finished epoch during training, re-reads the drawing.
  const modelVersion = useAppState((s) => `${s.model?.parameterCount}:${s.model?.origin}:${s.epochPoints.length}:${s.evalResult?.report.accuracy}`);
  const scheduler = useMemo(() => new PredictScheduler(() => surface.current, controller, width), [controller, width]);
  const request = useCallback(() => scheduler.request(), [scheduler]);
  useEffect(() => () => scheduler.cancel(), [scheduler]);

  useEffect(() => {
    if (canvasRef.current) surface.current = new InkSurface(canvasRef.current);
  }, []);

  useEffect(() => {
    if (!disabled && surface.current?.hasInk) request();
  }, [modelVersion, disabled, request]);

  const probs = prediction?.probs ?? null;
  let topLabel = '';
  if (probs) {
    let top = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[top]) top = i;
    topLabel = classes[top] ?? String(top);
  }

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (disabled || !surface.current) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    surface.current.begin(e.nativeEvent);
    request();
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!surface.current?.drawing) return;
    surface.current.move(e.nativeEvent);
    request();
  };
  const onPointerEnd = () => {
    surface.current?.end();
  };
  const clear = () => {
    surface.current?.clear();
    scheduler.clear();
  };

  return (
    <Panel title={pair ? '5 · Draw a two-digit number' : '5 · Draw a digit'} className="draw-panel">
      <div className="draw-layout">
        <div className="draw-area">
          <div className="draw-frame">
            <canvas
              ref={canvasRef}
              data-testid="draw-canvas"
              className={`draw-canvas${pair ? ' pair' : ''}${disabled ? ' disabled' : ''}`}
              width={width}
              height={DRAW_SIDE}
              role="img"
              aria-label={`${pair
                ? 'Drawing area: draw the tens digit in the left box and the ones digit in the right box'
                : 'Drawing area: draw a digit with the mouse, a pen or a finger'}. ${NO_KEYBOARD_DRAWING}`}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerEnd}
              onPointerCancel={onPointerEnd}
              onLostPointerCapture={onPointerEnd}
            />
            {/* Drawn over the canvas, not on it: the divider must never become ink. */}
            {pair && <span className="draw-divider" aria-hidden="true" />}
          </div>
          <button type="button" data-testid="clear-button" disabled={disabled} onClick={clear}>
            Clear
          </button>
        </div>
        <div className="draw-verdict">
          <span className="muted">It’s a</span>
          <output className="prediction" data-testid="prediction" aria-live="polite">{topLabel}</output>
          <PixelCanvas
            pixels={prediction?.input ?? null}
            width={pair ? 56 : 28}
            size={pair ? 56 : 84}
            label={pair ? 'What the network sees (28×56)' : 'What the network sees (28×28)'}
          />
          <span className="muted small">what the network sees</span>
        </div>
        <div className="draw-probs">
          {pair
            ? <ProbBars probs={probs && topClasses(probs, 3).map((i) => probs[i])} classes={probs ? topClasses(probs, 3).map((i) => classes[i]) : []} />
            : <ProbBars probs={probs} classes={classes} />}
        </div>
        <div className="draw-explain muted small">
          <p>
            {pair
              ? 'Write the tens digit in the left box and the ones digit in the right box. Each box is prepared the way MNIST’s digits were: cropped to the ink, scaled so its longer side is 20 pixels, and centred by mass in 28×28.'
              : 'Your drawing is prepared the way MNIST’s digits were: cropped to the ink, scaled so its longer side is 20 pixels, and placed in a 28×28 square with its centre of mass in the middle.'}
          </p>
          <p>{pair ? 'The bars are the three most likely numbers; they update as you draw.' : 'Each bar is the network’s probability for one digit; the predictions update as you draw.'}</p>
          {!disabled && <DrawHint />}
        </div>
      </div>
    </Panel>
  );
}

function DrawHint() {
  const hasModel = useAppState((s) => s.model !== null);
  const training = useAppState((s) => s.phase !== 'idle');
  if (hasModel || training) return null;
  return <p className="draw-no-model">No trained network yet: train one (or import a weight file) and it will read your drawing.</p>;
}
