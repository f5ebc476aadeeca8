import { describe, expect, it } from 'vitest';
import { drawingAt, mirrorDrawing, type Drawing } from '../data/strokes';
import { CpuBackend } from '../kernels/cpu';
import { RnnModel } from '../nn/models/rnn';
import { evaluateSequences, predictDrawing } from './sequence-eval';
import { SequenceBuilder } from '../data/quickdraw-shard';
import { Rng } from '../kernels/rng';

const DRAWING: Drawing = [[[10, 40, 90, 120], [30, 35, 80, 60]], [[200, 180], [20, 90]]];

/** Random drawings inside the canvas, labels 0..2. */
function randomDrawings(count: number): ReturnType<SequenceBuilder['toSet']> {
  const rng = new Rng(7);
  const b = new SequenceBuilder();
  for (let i = 0; i < count; i++) {
    const points = 2 + rng.int(12);
    const xs = Array.from({ length: points }, () => rng.int(256)), ys = Array.from({ length: points }, () => rng.int(256));
    b.addDrawing([[xs, ys]], points, rng.int(3));
  }
  return b.toSet(['a', 'b', 'c']);
}

function toyModel(): RnnModel {
  return new RnnModel(new CpuBackend({ precision: 'f64' }), { hidden: 6, layers: 2, max_len: 16, delta_scale: 20, outputSize: 3 }, 5);
}

describe('mirror-averaged prediction', () => {
  it('is the mean of the drawing’s and its mirror image’s probabilities, the same for both', async () => {
    const model = toyModel();
    const plain = await predictDrawing(model, DRAWING);
    const mirrored = await predictDrawing(model, mirrorDrawing(DRAWING));
    const averaged = await predictDrawing(model, DRAWING, { mirrorAverage: true });
    // The untrained net tells the two apart, so the check below is not trivially true.
    expect(Math.max(...plain.map((p, c) => Math.abs(p - mirrored[c])))).toBeGreaterThan(1e-4);
    averaged.forEach((p, c) => expect(p).toBeCloseTo((plain[c] + mirrored[c]) / 2, 6));
    const fromMirror = await predictDrawing(model, mirrorDrawing(DRAWING), { mirrorAverage: true });
    fromMirror.forEach((p, c) => expect(p).toBeCloseTo(averaged[c], 6));
  });

  it('evaluating a set averages every drawing with its own mirror image (batched as one at a time)', async () => {
    const model = toyModel();
    const set = randomDrawings(40);
    const report = await evaluateSequences(model, set, 'test', { mirrorAverage: true });
    let lossSum = 0, correct = 0;
    for (let i = 0; i < set.count; i++) {
      const probs = await predictDrawing(model, drawingAt(set, i), { mirrorAverage: true });
      lossSum -= Math.log(probs[set.labels[i]]);
      if (probs.indexOf(Math.max(...probs)) === set.labels[i]) correct++;
    }
    expect(report.count).toBe(40);
    expect(report.loss).toBeCloseTo(lossSum / set.count, 5);
    expect(report.accuracy).toBeCloseTo(correct / set.count, 10);
    const plainReport = await evaluateSequences(model, set, 'test');
    expect(plainReport.loss).not.toBeCloseTo(report.loss, 4);
  });
});
