/**
 * The BiGRU's reading of a doodle as it unfolds: the class probabilities it would give if the
 * drawing stopped after step t, for every t = 1..T, in one forward pass over a batch of the T
 * prefixes (lengths 1..T; the packed GRU reads each only up to its length).
 */
import { simplifyCanvasStrokes } from '../../data/simplify';
import { encodeStroke3, type Drawing } from '../../data/strokes';
import { readHost } from '../../nn/host';
import { SequencePacker } from '../../nn/layers/gru-input';
import { buildModel, classCountOf, lossFor, sequenceLayoutOf } from '../../nn/models';
import type { Model } from '../../nn/types';
import type { RnnStepPredictions } from './types';

/**
 * A copy of `model` (same weights) for one pass: the GRU keeps buffers per (batch, steps) shape for
 * good, and a T×T batch for every new length T would pile them up in the live model.
 */
function scratchCopy(model: Model): Model {
  const copy = buildModel(model.backend, model.kind, model.config, 0);
  model.params.forEach((p, i) => model.backend.copy(p.value, copy.params[i].value));
  return copy;
}

/** Steps (1-based) whose pen value ends a stroke. */
function strokeEndsOf(sequence: Float32Array, steps: number): number[] {
  const ends: number[] = [];
  for (let t = 0; t < steps; t++) if (sequence[3 * t + 2] >= 0.5) ends.push(t + 1);
  return ends;
}

/** Probabilities after each step of `drawing` (Quick Draw simplified format, 0..255), cut at max_len. */
export async function stepPredictions(model: Model, drawing: Drawing): Promise<RnnStepPredictions> {
  const { maxLen, deltaScale } = sequenceLayoutOf(model);
  const classCount = classCountOf(model);
  const { data, length: steps } = encodeStroke3(drawing, maxLen, deltaScale);
  const sequence = data.slice(0, 3 * steps);
  const prefixes = Array.from({ length: steps }, (_, t) => sequence.subarray(0, 3 * (t + 1)));
  const copy = scratchCopy(model);
  const packer = new SequencePacker(model.backend);
  const loss = lossFor(copy);
  const labels = model.backend.tensor([steps]);
  try {
    const logits = copy.forward(packer.packList(prefixes, steps), false);
    const probs = Float32Array.from(await readHost(model.backend, loss.forward(logits, labels).probs));
    return { steps, classCount, probs, sequence, deltaScale, strokeEnds: strokeEndsOf(sequence, steps) };
  } finally {
    model.backend.dispose(labels);
    loss.dispose();
    packer.dispose();
    copy.dispose();
  }
}

/**
 * Canvas strokes ([xs, ys], any scale) simplified as predictStrokes does, then stepPredictions;
 * null when nothing is drawn.
 */
export async function canvasStepPredictions(model: Model, strokes: Drawing): Promise<RnnStepPredictions | null> {
  const simplified = simplifyCanvasStrokes(strokes);
  if (simplified.length === 0) return null;
  return stepPredictions(model, simplified);
}
