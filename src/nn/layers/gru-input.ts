import type { Backend, Tensor } from '../../kernels/backend';

/** Values per step of a drawing: (dx/s, dy/s, p) as docs/weights.md, `rnn`. */
export const STEP_FEATURES = 3;

/**
 * A padded batch of sequences in the layout the GRU kernels and BiGru read: time-major
 * input x [T·B, F] (row t·B + b is step t of sequence b; 2-D because matmul reads [rows, cols]) and
 * lengths [B] (real steps per sequence, as floats). Steps past a length are zeros. It is a
 * ModelBatch: a sequence model's forward takes it as it is.
 */
export interface PackedSequences {
  input: Tensor;
  lengths: Tensor;
  batch: number;
  steps: number;
}

/**
 * Buffers keyed by (batch, steps), as PerBatch is by batch: a sequence batch's buffers depend on
 * both, and nested maps keep the lookup free of per-step key strings.
 */
export class PerShape<T> {
  private readonly sets = new Map<number, Map<number, T>>();

  constructor(
    private readonly create: (batch: number, steps: number) => T,
    private readonly release: (item: T) => void,
  ) {}

  get(batch: number, steps: number): T {
    let byStep = this.sets.get(batch);
    if (!byStep) this.sets.set(batch, (byStep = new Map()));
    let item = byStep.get(steps);
    if (item === undefined) byStep.set(steps, (item = this.create(batch, steps)));
    return item;
  }

  dispose(): void {
    for (const byStep of this.sets.values()) for (const item of byStep.values()) this.release(item);
    this.sets.clear();
  }
}

interface PackBuffers extends PackedSequences {
  hostX: Float64Array;
  hostLengths: Float64Array;
}

/**
 * Rearranges batch-first [B, T, F] into time-major rows t·B + b. With `lengths`, steps at or past
 * a sequence's length are written as zeros (padding must be finite: a zero gradient times a NaN
 * input would still poison W_ih's gradient); without, everything is copied as is.
 */
export function batchFirstToTimeMajor(
  src: ArrayLike<number>, batch: number, steps: number, features: number,
  lengths: ArrayLike<number> | null, out: Float64Array,
): void {
  for (let b = 0; b < batch; b++) {
    const len = lengths ? lengths[b] : steps;
    for (let t = 0; t < steps; t++) {
      const dst = (t * batch + b) * features, from = (b * steps + t) * features;
      for (let f = 0; f < features; f++) out[dst + f] = t < len ? src[from + f] : 0;
    }
  }
}

/**
 * Turns host sequences into PackedSequences, reusing one set of tensors and host staging arrays
 * per (batch, steps) shape, so feeding a training loop allocates nothing after the first batch.
 * The returned tensors are owned by the packer and overwritten by the next pack of that shape.
 */
export class SequencePacker {
  private readonly sets: PerShape<PackBuffers>;

  constructor(
    private readonly backend: Backend,
    readonly features = STEP_FEATURES,
  ) {
    this.sets = new PerShape<PackBuffers>(
      (batch, steps) => ({
        batch, steps,
        input: backend.tensor([steps * batch, features]),
        lengths: backend.tensor([batch]),
        hostX: new Float64Array(steps * batch * features),
        hostLengths: new Float64Array(batch),
      }),
      (set) => {
        backend.dispose(set.input);
        backend.dispose(set.lengths);
      },
    );
  }

  /**
   * seqs: batch-first [B, T, F] flat (e.g. a `.io.npz` `seqs` array); lengths [B] (int64 from
   * numpy arrives as BigInt64Array) with every length in 1..T.
   */
  packBatchFirst(
    seqs: ArrayLike<number>, lengths: ArrayLike<number | bigint>, batch: number, steps: number,
  ): PackedSequences {
    if (seqs.length !== batch * steps * this.features) {
      throw new Error(`sequences: expected ${batch}×${steps}×${this.features} = ${batch * steps * this.features} values, got ${seqs.length}`);
    }
    if (lengths.length !== batch) throw new Error(`sequences: expected ${batch} lengths, got ${lengths.length}`);
    const set = this.buffers(batch, steps);
    for (let b = 0; b < batch; b++) set.hostLengths[b] = checkedLength(lengths[b], b, steps);
    batchFirstToTimeMajor(seqs, batch, steps, this.features, set.hostLengths, set.hostX);
    return this.upload(set);
  }

  /**
   * Variable-length sequences, each flat [len_i·F]; every sequence is cut to its first `steps`
   * steps (default: the longest), shorter ones are zero-padded.
   */
  packList(seqs: readonly ArrayLike<number>[], steps?: number): PackedSequences {
    if (seqs.length === 0) throw new Error('sequences: a batch needs at least one sequence');
    const F = this.features;
    let longest = 0;
    seqs.forEach((s, i) => {
      if (s.length === 0) throw new Error(`sequence ${i} is empty: a drawing with no points cannot be used`);
      if (s.length % F !== 0) throw new Error(`sequence ${i}: ${s.length} values is not a whole number of ${F}-value steps`);
      longest = Math.max(longest, s.length / F);
    });
    const T = steps ?? longest;
    if (!Number.isInteger(T) || T < 1) throw new Error(`sequences: steps must be a positive integer, got ${T}`);
    const set = this.buffers(seqs.length, T);
    const B = seqs.length;
    set.hostX.fill(0);
    seqs.forEach((s, b) => {
      const len = Math.min(T, s.length / F);
      set.hostLengths[b] = len;
      for (let t = 0; t < len; t++) {
        for (let f = 0; f < F; f++) set.hostX[(t * B + b) * F + f] = s[t * F + f];
      }
    });
    return this.upload(set);
  }

  dispose(): void {
    this.sets.dispose();
  }

  private buffers(batch: number, steps: number): PackBuffers {
    return this.sets.get(batch, steps);
  }

  private upload(set: PackBuffers): PackedSequences {
    this.backend.write(set.input, set.hostX);
    this.backend.write(set.lengths, set.hostLengths);
    return set;
  }
}

function checkedLength(value: number | bigint, index: number, steps: number): number {
  const len = Number(value);
  if (!Number.isInteger(len) || len < 1 || len > steps) {
    throw new Error(`sequence ${index}: length ${String(value)} must be an integer from 1 to ${steps} (empty drawings cannot be used)`);
  }
  return len;
}
