import { useEffect, useMemo, useRef, useState } from 'react';
import { useAppState } from '../../context';
import type { RnnController } from '../../rnn-controller';
import { RequestCoalescer } from '../../request-coalescer';
import { NO_KEYBOARD_DRAWING } from '../draw-canvas';
import { Panel } from '../Panel';
import { ProbBars } from '../ProbBars';
import { DoodleCanvas } from './DoodleCanvas';
import { RnnStepsView } from './RnnStepsView';
import { describeSteps, sequenceToDrawing } from './sequence-view';
import { StrokeRecorder } from './stroke-recorder';
import { useRnnController, useRnnState } from './use-rnn';

const SIDE = 280;
const PEN = 4;
const TOP_SHOWN = 3;
const NO_CLASSES: string[] = [];

/** The strokes are sent after each one ends, one request at a time (RequestCoalescer). */
class StrokePredictor {
  private readonly requests: RequestCoalescer;

  constructor(private readonly recorder: StrokeRecorder, private readonly controller: RnnController) {
    this.requests = new RequestCoalescer((isCurrent) =>
      recorder.strokes.length === 0 ? null : controller.predictStrokes(recorder.strokes, isCurrent));
  }

  request(): Promise<void> {
    return this.requests.request();
  }

  clear(): void {
    this.requests.invalidate();
    this.recorder.clear();
    this.controller.clearPrediction();
  }
}

function toCanvas(canvas: HTMLCanvasElement, e: { clientX: number; clientY: number }): { x: number; y: number } {
  const r = canvas.getBoundingClientRect();
  return { x: ((e.clientX - r.left) / r.width) * canvas.width, y: ((e.clientY - r.top) / r.height) * canvas.height };
}

function paper(ctx: CanvasRenderingContext2D): void {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, SIDE, SIDE);
  ctx.strokeStyle = '#0f172a';
  ctx.lineWidth = PEN;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
}

function SeenView() {
  const seen = useRnnState((s) => s.seen);
  const strokes = useMemo(() => (seen ? sequenceToDrawing(seen.sequence, seen.deltaScale) : []), [seen]);
  if (!seen) return <p className="muted small">Draw something to see the sequence the network reads.</p>;
  return (
    <div className="seen-view">
      <DoodleCanvas strokes={strokes} size={140} dots label="The simplified drawing the network reads" testId="sequence-canvas" />
      <span className="small" data-testid="sequence-steps">{describeSteps(seen.steps, seen.points)}</span>
    </div>
  );
}

/** Top `k` classes by probability, most likely first. */
function topClasses(probs: number[], k: number): number[] {
  return probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a]).slice(0, k);
}

export function RnnDrawPanel() {
  const controller = useRnnController();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const ctxRef = useRef<CanvasRenderingContext2D | null>(null);
  const recorder = useMemo(() => new StrokeRecorder(), []);
  const predictor = useMemo(() => new StrokePredictor(recorder, controller), [recorder, controller]);
  const [showSeen, setShowSeen] = useState(false);
  const mirrorAverage = useRnnState((s) => s.mirrorAverage);
  const probs = useAppState((s) => s.prediction.probs);
  const classes = useAppState((s) => s.model?.classes ?? NO_CLASSES);
  const hasModel = useAppState((s) => s.model !== null);
  // A new model, or every finished epoch during training, re-reads the drawing.
  const modelVersion = useAppState((s) => `${s.model?.parameterCount}:${s.model?.origin}:${s.epochPoints.length}:${s.evalResult?.report.accuracy}`);

  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d') ?? null;
    ctxRef.current = ctx;
    if (ctx) paper(ctx);
  }, []);
  useEffect(() => {
    void predictor.request();
  }, [modelVersion, mirrorAverage, predictor]);

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = toCanvas(e.currentTarget, e);
    recorder.begin(p.x, p.y);
    ctxRef.current?.beginPath();
    ctxRef.current?.moveTo(p.x, p.y);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!recorder.drawing) return;
    const events = typeof e.nativeEvent.getCoalescedEvents === 'function' ? e.nativeEvent.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e.nativeEvent]) {
      const p = toCanvas(e.currentTarget, ev);
      if (recorder.add(p.x, p.y)) {
        ctxRef.current?.lineTo(p.x, p.y);
        ctxRef.current?.stroke();
      }
    }
  };
  const onPointerEnd = () => {
    if (recorder.end()) void predictor.request();
  };
  const clear = () => {
    predictor.clear();
    if (ctxRef.current) paper(ctxRef.current);
  };

  const top = probs ? topClasses(probs, TOP_SHOWN) : [];
  const topLabel = probs && top.length ? (classes[top[0]] ?? String(top[0])) : '';
  return (
    <Panel title="5 · Draw a doodle" className="draw-panel">
      <div className="draw-layout">
        <div className="draw-area">
          <canvas
            ref={canvasRef}
            data-testid="draw-canvas"
            className="draw-canvas doodle-canvas"
            width={SIDE}
            height={SIDE}
            role="img"
            aria-label={`Drawing area: draw one of the classes with the mouse, a pen or a finger. ${NO_KEYBOARD_DRAWING}`}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerEnd}
            onPointerCancel={onPointerEnd}
            onLostPointerCapture={onPointerEnd}
          />
          <button type="button" data-testid="clear-button" onClick={clear}>Clear</button>
        </div>
        <div className="draw-verdict doodle-verdict">
          <span className="muted">It’s a</span>
          <output className="prediction" data-testid="prediction" aria-live="polite">{topLabel}</output>
          <label className="check-field small">
            <input type="checkbox" data-testid="show-sequence" checked={showSeen} onChange={(e) => setShowSeen(e.target.checked)} />
            <span>Show what the network sees</span>
          </label>
          {showSeen && <SeenView />}
          <label className="check-field small" title="Test-time augmentation: the default recipe trains on mirrored drawings too, and averaging both readings is about half a point more accurate on the test set">
            <input type="checkbox" data-testid="mirror-average-checkbox" checked={mirrorAverage}
              onChange={(e) => controller.setMirrorAverage(e.target.checked)} />
            <span>Also read it mirrored and average the two (used by “Evaluate” too)</span>
          </label>
        </div>
        <div className="draw-probs">
          <ProbBars probs={probs && top.map((i) => probs[i])} classes={top.map((i) => classes[i] ?? String(i))} />
        </div>
        <div className="draw-explain muted small">
          <p>
            After every stroke your drawing is simplified the way Quick, Draw!’s data was: moved to the top-left corner,
            scaled to 0..255, resampled and thinned (Ramer–Douglas–Peucker, ε = 2). The network reads the remaining
            points as pen moves, in the order you drew them.
          </p>
          <p>The bars are the three most likely classes.</p>
          {!hasModel && <p className="draw-no-model">No trained network yet: train one (or import a weight file) and it will read your drawing.</p>}
        </div>
      </div>
      <RnnStepsView recorder={recorder} />
    </Panel>
  );
}
