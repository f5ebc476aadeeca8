import type { Backend, MatmulOptions, Tensor } from '../../kernels/backend';
import { Rng } from '../../kernels/rng';
import { Dropout } from '../layers/dropout';
import { BiGru } from '../layers/gru';
import { ColumnBlocks } from '../layers/gru-columns';
import { STEP_FEATURES } from '../layers/gru-input';
import { PerBatch } from '../layers/layer';
import type { InputNorm, Model, ModelBatch, ModelKind, Param, RnnConfig } from '../types';
import { countParameters, disposeParams, newParam, zeroGrads } from '../params';
import type { TensorShape } from './kind-spec';

export type ResolvedRnnConfig = Required<RnnConfig>;

const PLAIN: MatmulOptions = {};
const TRANS_B: MatmulOptions = { transB: true };
const TRANS_B_ACC: MatmulOptions = { transB: true, accumulate: true };

function positiveInteger(key: 'hidden' | 'layers' | 'max_len' | 'outputSize', value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`rnn config: "${key}" must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Fills defaults (10 classes, no dropout) and rejects nonsense with a message a user can act on. */
export function resolveRnnConfig(config: RnnConfig): ResolvedRnnConfig {
  const c = config ?? ({} as RnnConfig);
  const resolved: ResolvedRnnConfig = {
    hidden: positiveInteger('hidden', c.hidden),
    layers: positiveInteger('layers', c.layers),
    max_len: positiveInteger('max_len', c.max_len),
    delta_scale: c.delta_scale,
    dropout: c.dropout ?? 0,
    head_dropout: c.head_dropout ?? 0,
    outputSize: positiveInteger('outputSize', c.outputSize ?? 10),
  };
  if (typeof resolved.delta_scale !== 'number' || !(resolved.delta_scale > 0) || !Number.isFinite(resolved.delta_scale)) {
    throw new Error(`rnn config: "delta_scale" must be a positive number, got ${JSON.stringify(c.delta_scale)}`);
  }
  if (!(typeof resolved.dropout === 'number' && resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw new Error(`rnn config: dropout must be in [0, 1), got ${JSON.stringify(c.dropout)}`);
  }
  if (!(typeof resolved.head_dropout === 'number' && resolved.head_dropout >= 0 && resolved.head_dropout < 1)) {
    throw new Error(`rnn config: head_dropout must be in [0, 1), got ${JSON.stringify(c.head_dropout)}`);
  }
  return resolved;
}

/** The tensors an rnn of this config holds, named as nn.GRU's state_dict (gru.*), then fc. */
export function rnnTensorShapes(config: ResolvedRnnConfig): TensorShape[] {
  const { hidden: H, layers, outputSize: C } = config;
  const shapes: TensorShape[] = [];
  for (let k = 0; k < layers; k++) {
    for (const suffix of [`_l${k}`, `_l${k}_reverse`]) {
      shapes.push(
        { name: `gru.weight_ih${suffix}`, shape: [3 * H, k === 0 ? STEP_FEATURES : 2 * H] },
        { name: `gru.weight_hh${suffix}`, shape: [3 * H, H] },
        { name: `gru.bias_ih${suffix}`, shape: [3 * H] },
        { name: `gru.bias_hh${suffix}`, shape: [3 * H] },
      );
    }
  }
  shapes.push({ name: 'fc.weight', shape: [C, 2 * H] }, { name: 'fc.bias', shape: [C] });
  return shapes;
}

interface ClassifierBuffers {
  logits: Tensor;
  dLastForward: Tensor;
  dLastReverse: Tensor;
}

/**
 * docs/weights.md, `rnn`: BiGru (`gru.*`) → fc on concat(top forward hLast, top reverse hLast), i.e.
 * PyTorch's packed h_n[-2], h_n[-1]; logits [B, C].
 *
 * Its batches carry their lengths: `forward({ input, lengths }, training)` with input the time-major
 * x [T·B, 3] of PackedSequences and lengths [B] (B comes from the lengths, T from x).
 */
export class RnnModel implements Model {
  readonly kind: ModelKind = 'rnn';
  readonly config: ResolvedRnnConfig;
  readonly params: Param[];
  readonly gru: BiGru;
  readonly fcWeight: Param;
  readonly fcBias: Param;
  norm: InputNorm | null = null;
  private readonly fcBlocks: ColumnBlocks;
  /** Training-only dropout on the forward and the reverse final state. */
  private readonly headDropout: readonly [Dropout, Dropout];
  private readonly buffers: PerBatch<ClassifierBuffers>;
  private finalStates: readonly [Tensor, Tensor] | null = null;
  private active: ClassifierBuffers | null = null;

  constructor(readonly backend: Backend, config: RnnConfig, seed: number) {
    this.config = resolveRnnConfig(config);
    const { hidden: H, layers, dropout, outputSize: C } = this.config;
    this.gru = new BiGru(backend, 'gru', { hidden: H, layers, dropout, inputSize: STEP_FEATURES, seed });
    this.fcWeight = newParam(backend, 'fc.weight', [C, 2 * H], true);
    this.fcBias = newParam(backend, 'fc.bias', [C], false);
    this.fcBlocks = new ColumnBlocks(backend, this.fcWeight, 2);
    const p = this.config.head_dropout;
    this.headDropout = [new Dropout(backend, 'head.forward', p, H, seed ^ 0x51ed), new Dropout(backend, 'head.reverse', p, H, seed ^ 0x2f3a)];
    // fc.bias last: callers read the class count from the last param's shape.
    this.params = [...this.gru.params(), this.fcWeight, this.fcBias];
    this.buffers = new PerBatch<ClassifierBuffers>(
      (b) => ({ logits: backend.tensor([b, C]), dLastForward: backend.tensor([b, H]), dLastReverse: backend.tensor([b, H]) }),
      (s) => [s.logits, s.dLastForward, s.dLastReverse].forEach((t) => backend.dispose(t)),
    );
    this.init(seed);
  }

  get classes(): number {
    return this.config.outputSize;
  }

  /** input: x [T·B, 3] time-major (see PackedSequences); lengths [B]. Returns logits [B, C]. */
  forward(batch: ModelBatch, training: boolean): Tensor {
    const { input, lengths } = batch;
    if (!lengths || lengths.shape.length !== 1 || lengths.size < 1) {
      throw new Error(`rnn: a batch needs lengths, a 1-D tensor with one length per sequence, got ${lengths ? `[${lengths.shape.join(',')}]` : 'none'}`);
    }
    const [topForward, topReverse] = this.gru.forward(input, lengths, training);
    const hForward = this.headDropout[0].forward(topForward, training);
    const hReverse = this.headDropout[1].forward(topReverse, training);
    this.finalStates = [hForward, hReverse];
    const s = (this.active = this.buffers.get(lengths.size));
    this.fcBlocks.refresh();
    this.backend.matmul(hForward, this.fcBlocks.blocks[0], s.logits, TRANS_B);
    this.backend.matmul(hReverse, this.fcBlocks.blocks[1], s.logits, TRANS_B_ACC);
    this.backend.addRowVector(s.logits, this.fcBias.value, s.logits);
    return s.logits;
  }

  backward(dlogits: Tensor): void {
    const s = this.active, states = this.finalStates;
    if (!s || !states) throw new Error('rnn: backward called before forward');
    this.fcBlocks.accumulateGrad(0, dlogits, states[0]);
    this.fcBlocks.accumulateGrad(1, dlogits, states[1]);
    this.backend.sumRows(dlogits, this.fcBias.grad, true);
    this.backend.matmul(dlogits, this.fcBlocks.blocks[0], s.dLastForward, PLAIN);
    this.backend.matmul(dlogits, this.fcBlocks.blocks[1], s.dLastReverse, PLAIN);
    this.gru.backward(this.headDropout[0].backward(s.dLastForward), this.headDropout[1].backward(s.dLastReverse));
  }

  zeroGrad(): void {
    zeroGrads(this.backend, this.params);
  }

  parameterCount(): number {
    return countParameters(this.params);
  }

  dispose(): void {
    this.buffers.dispose();
    this.fcBlocks.dispose();
    this.headDropout.forEach((d) => d.dispose());
    this.gru.dispose();
    disposeParams(this.backend, [this.fcWeight, this.fcBias]);
    this.finalStates = this.active = null;
  }

  /** The architecture JSON of docs/weights.md (what goes into a weight file's `config`). */
  configJson(): Record<string, unknown> {
    const { hidden, layers, max_len, delta_scale, dropout, head_dropout } = this.config;
    const json: Record<string, unknown> = { hidden, layers, max_len, delta_scale };
    if (dropout > 0) json.dropout = dropout;
    if (head_dropout > 0) json.head_dropout = head_dropout;
    return json;
  }

  /** GRU as nn.GRU, fc as nn.Linear (weight and bias U(−1/√fan_in, 1/√fan_in)), one seeded stream. */
  private init(seed: number): void {
    const rng = new Rng(seed);
    this.gru.init(rng);
    const bound = 1 / Math.sqrt(2 * this.config.hidden);
    for (const p of [this.fcWeight, this.fcBias]) {
      const values = new Float64Array(p.value.size);
      for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * bound;
      this.backend.write(p.value, values);
    }
  }
}

/** What a weight file's config + tensors say about the architecture (classes from its class list). */
export function rnnConfigFromWeights(w: {
  config: Record<string, unknown>; classes: string[]; tensors: Map<string, { shape: number[] }>;
}): RnnConfig {
  const c = w.config ?? {};
  const config = {
    hidden: c.hidden, layers: c.layers, max_len: c.max_len, delta_scale: c.delta_scale,
  } as RnnConfig;
  if (c.dropout !== undefined) config.dropout = Number(c.dropout);
  if (c.head_dropout !== undefined) config.head_dropout = Number(c.head_dropout);
  const fc = w.tensors.get('fc.weight');
  if (Array.isArray(w.classes) && w.classes.length > 0) config.outputSize = w.classes.length;
  else if (fc && fc.shape.length === 2) config.outputSize = fc.shape[0];
  return config;
}
