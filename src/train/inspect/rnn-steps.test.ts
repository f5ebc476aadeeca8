import { describe, expect, it } from 'vitest';
import { simplifyDrawing } from '../../data/simplify';
import { encodeStroke3, type Drawing } from '../../data/strokes';
import type { Backend } from '../../kernels/backend';
import { CpuBackend } from '../../kernels/cpu';
import { WasmBackend } from '../../kernels/wasm';
import { readHost } from '../../nn/host';
import { SequencePacker } from '../../nn/layers/gru-input';
import { RnnModel } from '../../nn/models';
import { predictDrawing } from '../sequence-eval';
import { canvasStepPredictions, stepPredictions } from './rnn-steps';

const CONFIG = { hidden: 6, layers: 2, max_len: 12, delta_scale: 20, outputSize: 4 };
// Two strokes, 9 points (Quick Draw simplified format).
const DRAWING: Drawing = [
  [[10, 60, 120, 90, 20], [30, 10, 40, 100, 80]],
  [[130, 200, 250, 140], [50, 20, 90, 60]],
];

/** Softmax of the model's logits for one stroke-3 sequence, by hand. */
async function predictSequence(model: RnnModel, sequence: Float32Array): Promise<number[]> {
  const packer = new SequencePacker(model.backend);
  try {
    const logits = Array.from(await readHost(model.backend, model.forward(packer.packList([sequence]), false)));
    const top = Math.max(...logits);
    const exps = logits.map((v) => Math.exp(v - top));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  } finally {
    packer.dispose();
  }
}

describe.each([
  ['CPU', () => new CpuBackend()],
  ['WebAssembly', () => new WasmBackend()],
] as [string, () => Backend][])('stepPredictions on %s', (_, makeBackend) => {
  it('step T is predictDrawing, step t is the prediction of the first t rows', async () => {
    const model = new RnnModel(makeBackend(), CONFIG, 5);
    const result = await stepPredictions(model, DRAWING);
    const { data } = encodeStroke3(DRAWING, CONFIG.max_len, CONFIG.delta_scale);
    expect(result).toMatchObject({ steps: 9, classCount: 4, deltaScale: 20, strokeEnds: [5, 9] });
    expect(result.probs.length).toBe(9 * 4);
    expect(result.sequence).toEqual(data.slice(0, 27));
    const final = await predictDrawing(model, DRAWING);
    final.forEach((p, c) => expect(result.probs[8 * 4 + c]).toBeCloseTo(p, 5));
    for (const t of [1, 2, 5, 6, 8]) {
      const expected = await predictSequence(model, data.slice(0, 3 * t));
      expected.forEach((p, c) => expect(result.probs[(t - 1) * 4 + c]).toBeCloseTo(p, 5));
    }
    // The prefixes really differ (else the comparison above would prove little).
    expect(Math.abs(result.probs[0] - result.probs[8 * 4])).toBeGreaterThan(1e-4);
  });

  it('cuts at max_len and leaves no tensors behind in the live model', async () => {
    const backend = makeBackend();
    const model = new RnnModel(backend, CONFIG, 5);
    const long: Drawing = [[Array.from({ length: 20 }, (_, i) => i * 10), Array.from({ length: 20 }, (_, i) => (i * 37) % 250)]];
    const before = backend.liveTensors();
    const result = await stepPredictions(model, long);
    expect(backend.liveTensors()).toBe(before);
    expect(result.steps).toBe(12);
    expect(result.strokeEnds).toEqual([]);
    const final = await predictDrawing(model, long);
    final.forEach((p, c) => expect(result.probs[11 * 4 + c]).toBeCloseTo(p, 5));
  });
});

describe('canvasStepPredictions', () => {
  it('simplifies canvas strokes as predictStrokes does; nothing drawn gives null', async () => {
    const model = new RnnModel(new CpuBackend(), CONFIG, 2);
    const canvas: Drawing = [
      [Array.from({ length: 40 }, (_, i) => 20 + i * 5), Array.from({ length: 40 }, (_, i) => 100 + 40 * Math.sin(i / 6))],
      [[150, 180, 210], [40, 200, 40]],
    ];
    const got = (await canvasStepPredictions(model, canvas))!;
    const direct = await stepPredictions(model, simplifyDrawing(canvas));
    expect(got.steps).toBe(direct.steps);
    expect(got.probs).toEqual(direct.probs);
    expect(await canvasStepPredictions(model, [])).toBeNull();
    await expect(canvasStepPredictions(model, 'nope' as unknown as Drawing)).rejects.toThrow('The drawing must be a list of strokes');
  });

});
