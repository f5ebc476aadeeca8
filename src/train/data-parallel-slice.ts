/**
 * One slice of a batch: which rows it is, how its inputs are cut out of the batch, and how a
 * model computes its share of the mean gradient. Used by the leader (slice 0, on the master
 * model) and by every helper (on a replica), in a Worker or in-process alike.
 */
import type { Backend, Tensor } from '../kernels/backend';
import { readHostSync } from '../nn/host';
import { setDropoutRows } from '../nn/layers/dropout';
import { STEP_FEATURES } from '../nn/layers/gru-input';
import type { ClassifierLoss, LossOptions } from '../nn/loss';
import { buildModel, inputLayoutOf, lossFor, modelInputSize, takesSequences } from '../nn/models';
import { dropoutLayersOf } from './run-state';
import type { Model, ModelKind } from '../nn/types';

/** Rows [offset, offset + rows) of a batch of `total`; `steps` > 0 for time-major sequence batches. */
export interface SliceJob {
  offset: number;
  rows: number;
  total: number;
  /** Time steps of a sequence batch (its input is [steps·rows, 3]); 0 for image batches. */
  steps: number;
}

/** A helper's answer: its slice's mean loss (unscaled) and how many rows it predicted right. */
export interface SliceOutcome {
  loss: number;
  correct: number;
}

/** A slice's host data; `lengths` only for sequence batches. Lengths exactly the slice's. */
export interface SliceData {
  x: Float32Array;
  labels: Float32Array;
  lengths: Float32Array | null;
}

/** What a helper needs to build a replica of the master model (weights come every step). */
export interface ReplicaSpec {
  kind: ModelKind;
  /** The master's resolved config (structured-cloneable), as its kind's spec reads it. */
  config: object;
  /** The model reads sequence batches: every slice then carries lengths. */
  sequences: boolean;
  /** The seed the master model was built with: dropout layers are seeded from it. */
  seed: number;
  /** The master's loss settings (label smoothing, digit loss): a slice's gradient is the same loss's. */
  loss: LossOptions;
  /** The master's dropout stream positions (a resumed run): the replica's masks go on from there. */
  dropoutCalls?: number[];
}

/** Contiguous slices of `total` rows over `parts` workers, the first ones one row larger. */
export function sliceBounds(total: number, parts: number): SliceJob[] {
  const base = Math.floor(total / parts), extra = total % parts;
  const jobs: SliceJob[] = [];
  let offset = 0;
  for (let k = 0; k < parts; k++) {
    const rows = base + (k < extra ? 1 : 0);
    jobs.push({ offset, rows, total, steps: 0 });
    offset += rows;
  }
  return jobs;
}

/** Input floats of a slice: rows × per-example values (images) or steps × rows × 3 (sequences). */
export function sliceFloats(job: SliceJob, batchFloats: number): number {
  return job.steps > 0 ? job.steps * job.rows * STEP_FEATURES : (batchFloats / job.total) * job.rows;
}

/**
 * Copies a slice's rows out of a batch's host input into `out` (at least sliceFloats long):
 * contiguous rows for images, and for time-major sequences row t·total + offset + b → t·rows + b.
 */
export function copySliceInput(x: ArrayLike<number>, job: SliceJob, out: Float32Array): void {
  if (job.steps === 0) {
    const per = x.length / job.total;
    copyRange(x, job.offset * per, job.rows * per, out, 0);
    return;
  }
  const F = STEP_FEATURES;
  for (let t = 0; t < job.steps; t++) {
    copyRange(x, (t * job.total + job.offset) * F, job.rows * F, out, t * job.rows * F);
  }
}

function copyRange(src: ArrayLike<number>, from: number, n: number, dst: Float32Array, at: number): void {
  if (src instanceof Float32Array) dst.set(src.subarray(from, from + n), at);
  else for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
}

/** The replica description of a model built by buildModel(kind, config, seed). */
export function replicaSpecOf(model: Model, seed: number, loss: LossOptions): ReplicaSpec {
  const dropoutCalls = dropoutLayersOf(model).map((d) => d.callCount);
  const config = structuredClone(model.config);
  return { kind: model.kind, config, sequences: takesSequences(model), seed, loss: { ...loss }, dropoutCalls };
}

/** Most input floats one slice of at most `rows` rows can carry for this model. */
export function sliceCapacity(model: Model, rows: number): number {
  const layout = inputLayoutOf(model);
  if (layout.kind === 'sequence') return rows * layout.maxLen * layout.features;
  return rows * layout.shape.reduce((a, b) => a * b, 1);
}

/** Total values of the model's parameters (the length of a flat weights or gradients array). */
export function flatParamSize(model: Model): number {
  return model.params.reduce((n, p) => n + p.value.size, 0);
}

interface SliceTensors {
  input: Tensor;
  labels: Tensor;
  lengths: Tensor | null;
  preds: Tensor;
}

/**
 * Computes a slice's contribution to a batch's mean gradient on a model: forward (dropout drawn
 * as the rows of the whole batch), loss, dlogits scaled by rows/total (so slices sum to the
 * full-batch mean), backward into the model's grads. Needs a backend with readSync. The model and
 * the loss belong to the caller (the leader's are the training loop's), so dispose() frees neither.
 */
export class SliceComputer {
  private readonly tensors = new Map<string, SliceTensors>();
  private readonly backend: Backend;

  constructor(readonly model: Model, private readonly loss: ClassifierLoss) {
    this.backend = model.backend;
    if (!this.backend.readSync) {
      throw new Error(`data-parallel training needs kernels that read synchronously (WebAssembly or CPU), not ${this.backend.name}`);
    }
  }

  /** Zeroes the grads, then adds this slice's scaled gradient; the outcome's loss is the slice mean. */
  compute(job: SliceJob, data: SliceData): SliceOutcome {
    const { model, backend } = this;
    model.zeroGrad();
    if (job.rows === 0) return { loss: 0, correct: 0 };
    const t = this.tensorsFor(job);
    backend.write(t.input, data.x.subarray(0, t.input.size));
    backend.write(t.labels, data.labels.subarray(0, job.rows));
    if (t.lengths) backend.write(t.lengths, data.lengths!.subarray(0, job.rows));
    setDropoutRows(backend, { offset: job.offset, rows: job.rows, total: job.total });
    let logits: Tensor;
    try {
      logits = model.forward(t, true);
    } finally {
      setDropoutRows(backend, null);
    }
    const out = this.loss.forward(logits, t.labels);
    const loss = readHostSync(backend, out.loss)[0];
    if (!Number.isFinite(loss)) return { loss, correct: 0 };
    backend.argmaxRows(this.loss.scores(logits), t.preds);
    const predicted = readHostSync(backend, t.preds);
    let correct = 0;
    for (let r = 0; r < job.rows; r++) if (predicted[r] === data.labels[r]) correct++;
    backend.scale(out.dlogits, job.rows / job.total, out.dlogits);
    model.backward(out.dlogits);
    return { loss, correct };
  }

  /**
   * The slice's class probabilities (inference: no dropout, no stream advanced), as the loss gives
   * them to an evaluation, into out[0, rows·classes).
   */
  probabilities(job: SliceJob, data: SliceData, loss: ClassifierLoss, out: Float32Array): void {
    if (job.rows === 0) return;
    const t = this.tensorsFor(job);
    this.backend.write(t.input, data.x.subarray(0, t.input.size));
    this.backend.write(t.labels, data.labels.subarray(0, job.rows));
    if (t.lengths) this.backend.write(t.lengths, data.lengths!.subarray(0, job.rows));
    const probs = readHostSync(this.backend, loss.forward(this.model.forward(t, false), t.labels).probs);
    out.set(probs.subarray(0, job.rows * loss.classes));
  }

  /** Sets every parameter from a flat array (params in model order). */
  loadWeights(flat: Float32Array): void {
    let at = 0;
    for (const p of this.model.params) {
      this.backend.write(p.value, flat.subarray(at, at + p.value.size));
      at += p.value.size;
    }
  }

  /** Copies every parameter's value (or grad) into a flat array, params in model order. */
  exportFlat(which: 'value' | 'grad', out: Float32Array): void {
    let at = 0;
    for (const p of this.model.params) {
      out.set(readHostSync(this.backend, p[which]), at);
      at += p.value.size;
    }
  }

  dispose(): void {
    for (const t of this.tensors.values()) {
      for (const x of [t.input, t.labels, t.lengths, t.preds]) if (x) this.backend.dispose(x);
    }
    this.tensors.clear();
  }

  private tensorsFor(job: SliceJob): SliceTensors {
    const key = `${job.rows}x${job.steps}`;
    let t = this.tensors.get(key);
    if (!t) {
      const b = this.backend;
      const sequence = job.steps > 0;
      if (sequence !== takesSequences(this.model)) throw new Error(`a ${this.model.kind} model cannot take this batch layout`);
      const inputShape = sequence ? [job.steps * job.rows, STEP_FEATURES] : [job.rows, modelInputSize(this.model)!];
      t = {
        input: b.tensor(inputShape),
        labels: b.tensor([job.rows]),
        lengths: sequence ? b.tensor([job.rows]) : null,
        preds: b.tensor([job.rows]),
      };
      this.tensors.set(key, t);
    }
    return t;
  }
}

/** A helper's side: a replica of the master model that loads the published weights and computes its slice. */
export class SliceHelper {
  private readonly computer: SliceComputer;
  private readonly loss: ClassifierLoss;
  /** Evaluation reads plain softmax probabilities, as evaluateBatches does on the leader. */
  private evalLoss: ClassifierLoss | null = null;

  constructor(backend: Backend, spec: ReplicaSpec) {
    const model = buildModel(backend, spec.kind, spec.config, spec.seed);
    dropoutLayersOf(model).forEach((d, i) => (d.callCount = spec.dropoutCalls?.[i] ?? 0));
    this.loss = lossFor(model, spec.loss);
    this.computer = new SliceComputer(model, this.loss);
  }

  /** Loads `weights`, computes the slice, writes its scaled gradient into `grads`. */
  run(weights: Float32Array, job: SliceJob, data: SliceData, grads: Float32Array): SliceOutcome {
    this.computer.loadWeights(weights);
    const outcome = this.computer.compute(job, data);
    this.computer.exportFlat('grad', grads);
    return outcome;
  }

  /** Loads `weights`, writes the slice's class probabilities into `out` (an evaluation). */
  evaluate(weights: Float32Array, job: SliceJob, data: SliceData, out: Float32Array): void {
    this.computer.loadWeights(weights);
    this.evalLoss ??= lossFor(this.computer.model);
    this.computer.probabilities(job, data, this.evalLoss, out);
  }

  dispose(): void {
    this.computer.dispose();
    this.loss.dispose();
    this.evalLoss?.dispose();
    this.computer.model.dispose();
  }
}
