import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../kernels/cpu';
import {
  MODEL_KINDS, MODEL_KIND_NAMES, buildModel, classCountOf, inputLayoutOf, isModelKind, lossFor, modelInputShape, modelKind,
  takesSequences,
} from '.';

const configs = {
  mlp: { hidden: [5], activation: 'relu', inputSize: 12, outputSize: 7 },
  cnn: { padding: 1, channels: [2], fc: 4, inputShape: [1, 6, 8], outputSize: 9 },
  cnn2head: { padding: 0, channels: [2], fc: 4, inputShape: [1, 6, 8] },
  rnn: { hidden: 3, layers: 1, max_len: 11, delta_scale: 2, outputSize: 6 },
} as const;

describe('the model registry', () => {
  const backend = new CpuBackend();

  it('holds one spec per kind, each naming its own kind', () => {
    expect([...MODEL_KIND_NAMES].sort()).toEqual(Object.keys(configs).sort());
    for (const kind of MODEL_KIND_NAMES) expect(MODEL_KINDS[kind].kind).toBe(kind);
    expect(isModelKind('rnn')).toBe(true);
    expect(isModelKind('gpt')).toBe(false);
    expect(isModelKind('toString')).toBe(false);
    expect(() => modelKind('gpt')).toThrow("model kind 'gpt' is not supported yet");
  });

  it('builds each kind with exactly the tensors, classes and loss its spec says', () => {
    for (const kind of MODEL_KIND_NAMES) {
      const model = buildModel(backend, kind, configs[kind], 1);
      const spec = modelKind(kind);
      expect(model.kind).toBe(kind);
      expect(spec.tensorShapes(model.config)).toEqual(model.params.map((p) => ({ name: p.name, shape: [...p.value.shape] })));
      const loss = lossFor(model);
      expect(loss.classes).toBe(classCountOf(model));
      loss.dispose();
      model.dispose();
    }
    expect(classCountOf(buildModel(backend, 'cnn2head', configs.cnn2head, 1))).toBe(100);
  });

  it('says how each kind reads its input', () => {
    const layouts = Object.fromEntries(MODEL_KIND_NAMES.map((k) => [k, inputLayoutOf(buildModel(backend, k, configs[k], 1))]));
    expect(layouts).toEqual({
      mlp: { kind: 'image', shape: [12] },
      cnn: { kind: 'image', shape: [1, 6, 8] },
      cnn2head: { kind: 'image', shape: [1, 6, 8] },
      rnn: { kind: 'sequence', features: 3, maxLen: 11, deltaScale: 2 },
    });
    const rnn = buildModel(backend, 'rnn', configs.rnn, 1);
    expect(takesSequences(rnn)).toBe(true);
    expect(modelInputShape(rnn)).toBeUndefined();
  });

  it('refuses a sequence batch on an image model, and a batch without lengths on the BiGRU', () => {
    const mlp = buildModel(backend, 'mlp', configs.mlp, 1);
    const lengths = backend.tensor([2], [1, 1]);
    expect(() => mlp.forward({ input: backend.tensor([2, 12]), lengths }, false)).toThrow('a mlp model cannot take sequence batches');
    const rnn = buildModel(backend, 'rnn', configs.rnn, 1);
    expect(() => rnn.forward({ input: backend.tensor([2, 3]) }, false)).toThrow('rnn: a batch needs lengths');
    expect(rnn.forward({ input: backend.tensor([2, 3]), lengths }, false).shape).toEqual([2, 6]);
  });
});
