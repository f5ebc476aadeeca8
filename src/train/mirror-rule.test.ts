import { describe, expect, it } from 'vitest';
import { SequenceBuilder } from '../data/quickdraw-shard';
import { drawingAt, encodeStroke3, fillStroke3, mirrorDrawing, mirrorSequenceSet, type Drawing } from '../data/strokes';
import { CpuBackend } from '../kernels/cpu';
import { SequenceBatcher } from './sequence-batches';
import { readQuickDrawSampleDrawings } from './testing/shared-data';

const backend = new CpuBackend();
const MAX_LEN = 60;
const DELTA_SCALE = 5;

function pointsOf(drawing: Drawing): number {
  return drawing.reduce((n, [xs]) => n + xs.length, 0);
}

/** Real doodles (the bundled sample) of two classes as one set. */
function sampleSet() {
  const builder = new SequenceBuilder();
  ['cat', 'fish'].forEach((name, label) => {
    for (const drawing of readQuickDrawSampleDrawings(name, 40)) builder.addDrawing(drawing, pointsOf(drawing), label);
  });
  return builder.toSet(['cat', 'fish']);
}

/** Row `r` of a time-major batch (step t of row r at 3·(t·B + r)), its first `steps` steps. */
function rowOf(x: Float32Array, rows: number, r: number, steps: number): Float32Array {
  const out = new Float32Array(3 * steps);
  for (let t = 0; t < steps; t++) out.set(x.subarray(3 * (t * rows + r), 3 * (t * rows + r) + 3), 3 * t);
  return out;
}

describe('the stroke mirror rule', () => {
  it('training mirrors a drawing exactly as the page (mirror-averaged prediction) and evaluation do', () => {
    const set = sampleSet();
    const evaluation = mirrorSequenceSet(set);
    const training = new SequenceBatcher(backend, set, null, {
      batchSize: set.count, maxLen: MAX_LEN, deltaScale: DELTA_SCALE, augment: { scale: 0, mirror: true },
    });
    training.shuffleForEpoch(4, 1);
    const batch = training.batch(0);
    const x = Float32Array.from(backend.readSync!(batch.input));
    let mirrored = 0;
    for (let r = 0; r < batch.size; r++) {
      const ex = training.exampleAt(0, r);
      const drawing = drawingAt(set, ex);
      const page = encodeStroke3(mirrorDrawing(drawing), MAX_LEN, DELTA_SCALE);
      const plain = encodeStroke3(drawing, MAX_LEN, DELTA_SCALE);
      const steps = page.length;
      const evaluated = new Float32Array(3 * steps);
      fillStroke3(evaluation, ex, MAX_LEN, DELTA_SCALE, evaluated, 0);
      expect(evaluated).toEqual(page.data.subarray(0, 3 * steps));
      const trained = rowOf(x, batch.size, r, steps);
      if (trained.every((v, i) => v === plain.data[i])) continue;
      mirrored++;
      trained.forEach((v, i) => expect(v).toBeCloseTo(page.data[i], 5));
    }
    // About half the drawings are mirrored in training; the rest are read as drawn.
    expect(mirrored).toBeGreaterThan(20);
    expect(mirrored).toBeLessThan(60);
    training.dispose();
  });
});
