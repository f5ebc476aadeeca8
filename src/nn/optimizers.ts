import type { AdamParams, Backend, Tensor } from '../kernels/backend';
import { readHost } from './host';
import type { Param } from './types';

/** What an optimizer needs (train's OptimizerConfig fits it; nn does not import from train). */
export interface OptimizerSettings {
  kind: 'sgd' | 'momentum' | 'adam' | 'adamw';
  lr: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay: number;
}

/** An optimizer's resumable state: its update count and its per-param moments, in param order. */
export interface OptimizerState {
  kind: OptimizerSettings['kind'];
  steps: number;
  /** Each state tensor's values (velocity; or m then v), in the order stateTensors() gives. */
  tensors: Float32Array[];
}

/**
 * Updates parameters in place from their gradients. L2 / weight decay applies only to params with
 * `decay` (weights, not biases). Each optimizer owns its state tensors, one set per param.
 */
export interface Optimizer {
  readonly kind: OptimizerSettings['kind'];
  lr: number;
  /** Number of updates applied so far. */
  readonly steps: number;
  step(): void;
  /** Host copy of the state, for a run checkpoint. */
  saveState(): Promise<OptimizerState>;
  /** Puts a saved state back; throws (changing nothing) when it is another optimizer's or shape. */
  loadState(state: OptimizerState): void;
  dispose(): void;
}

/** The save/load every optimizer shares: its tensors differ, not how they are saved. */
abstract class StatefulOptimizer {
  abstract readonly kind: OptimizerSettings['kind'];
  steps = 0;

  constructor(protected readonly backend: Backend) {}

  /** Every state tensor, in a fixed order. */
  protected abstract stateTensors(): Tensor[];

  async saveState(): Promise<OptimizerState> {
    const tensors: Float32Array[] = [];
    for (const t of this.stateTensors()) tensors.push(Float32Array.from(await readHost(this.backend, t)));
    return { kind: this.kind, steps: this.steps, tensors };
  }

  loadState(state: OptimizerState): void {
    const own = this.stateTensors();
    if (state.kind !== this.kind) throw new Error(`the saved optimizer is ${state.kind}, this run uses ${this.kind}`);
    if (!(Number.isInteger(state.steps) && state.steps >= 0)) throw new Error(`the saved optimizer step count is invalid (${state.steps})`);
    if (state.tensors.length !== own.length || own.some((t, i) => t.size !== state.tensors[i].length)) {
      throw new Error(`the saved ${this.kind} state does not fit this model's parameters`);
    }
    own.forEach((t, i) => this.backend.write(t, state.tensors[i]));
    this.steps = state.steps;
  }
}

export class Sgd extends StatefulOptimizer implements Optimizer {
  readonly kind = 'sgd';

  constructor(
    backend: Backend,
    private readonly params: Param[],
    public lr: number,
    private readonly weightDecay: number,
  ) {
    super(backend);
  }

  protected stateTensors(): Tensor[] {
    return [];
  }

  step(): void {
    for (const p of this.params) {
      this.backend.sgdStep(p.value, p.grad, this.lr, p.decay ? this.weightDecay : 0);
    }
    this.steps++;
  }

  dispose(): void {}
}

export class Momentum extends StatefulOptimizer implements Optimizer {
  readonly kind = 'momentum';
  private readonly velocity: Tensor[];

  constructor(
    backend: Backend,
    private readonly params: Param[],
    public lr: number,
    private readonly momentum: number,
    private readonly weightDecay: number,
  ) {
    super(backend);
    this.velocity = params.map((p) => backend.tensor(p.value.shape));
  }

  protected stateTensors(): Tensor[] {
    return this.velocity;
  }

  step(): void {
    this.params.forEach((p, i) => {
      const wd = p.decay ? this.weightDecay : 0;
      this.backend.momentumStep(p.value, p.grad, this.velocity[i], this.lr, this.momentum, wd);
    });
    this.steps++;
  }

  dispose(): void {
    for (const v of this.velocity) this.backend.dispose(v);
  }
}

/** PyTorch Adam (L2 added to the gradient) or AdamW (decoupled decay). */
export class Adam extends StatefulOptimizer implements Optimizer {
  readonly kind: 'adam' | 'adamw';
  private readonly m: Tensor[];
  private readonly v: Tensor[];
  // One hyperparameter record mutated per step instead of a fresh object per param.
  private readonly hp: AdamParams;

  constructor(
    backend: Backend,
    private readonly params: Param[],
    public lr: number,
    private readonly weightDecay: number,
    decoupled: boolean,
    betas: { beta1: number; beta2: number; eps: number },
  ) {
    super(backend);
    this.kind = decoupled ? 'adamw' : 'adam';
    this.m = params.map((p) => backend.tensor(p.value.shape));
    this.v = params.map((p) => backend.tensor(p.value.shape));
    this.hp = { lr, ...betas, step: 0, weightDecay, decoupled };
  }

  protected stateTensors(): Tensor[] {
    return [...this.m, ...this.v];
  }

  step(): void {
    this.steps++;
    this.hp.lr = this.lr;
    this.hp.step = this.steps;
    this.params.forEach((p, i) => {
      this.hp.weightDecay = p.decay ? this.weightDecay : 0;
      this.backend.adamStep(p.value, p.grad, this.m[i], this.v[i], this.hp);
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) this.backend.dispose(t);
  }
}

export function createOptimizer(backend: Backend, params: Param[], config: OptimizerSettings): Optimizer {
  if (!(config.lr > 0) || !Number.isFinite(config.lr)) {
    throw new Error(`learning rate must be a positive number, got ${config.lr}`);
  }
  if (!(config.weightDecay >= 0)) throw new Error(`weight decay must be ≥ 0, got ${config.weightDecay}`);
  const wd = config.weightDecay;
  switch (config.kind) {
    case 'sgd':
      return new Sgd(backend, params, config.lr, wd);
    case 'momentum':
      return new Momentum(backend, params, config.lr, config.momentum ?? 0.9, wd);
    case 'adam':
    case 'adamw': {
      const betas = { beta1: config.beta1 ?? 0.9, beta2: config.beta2 ?? 0.999, eps: config.eps ?? 1e-8 };
      return new Adam(backend, params, config.lr, wd, config.kind === 'adamw', betas);
    }
    default:
      throw new Error(`unknown optimizer '${String((config as { kind: unknown }).kind)}'`);
  }
}

/**
 * Global-norm gradient clipping as torch.nn.utils.clip_grad_norm_: if ‖g‖₂ over all params exceeds
 * maxNorm, every gradient is scaled by maxNorm/(‖g‖ + 1e-6). The norm is summed on the backend and
 * read back once.
 */
export class GradNormClipper {
  private readonly total: Tensor;
  private readonly part: Tensor;

  constructor(private readonly backend: Backend) {
    this.total = backend.tensor([1]);
    this.part = backend.tensor([1]);
  }

  /** Returns the norm before clipping. */
  async clip(params: Param[], maxNorm: number): Promise<number> {
    const norm = await this.norm(params);
    if (Number.isFinite(norm) && norm > maxNorm) {
      const factor = maxNorm / (norm + 1e-6);
      for (const p of params) this.backend.scale(p.grad, factor, p.grad);
    }
    return norm;
  }

  async norm(params: Param[]): Promise<number> {
    this.backend.fill(this.total, 0);
    for (const p of params) {
      this.backend.sumSquares(p.grad, this.part);
      this.backend.axpy(1, this.part, this.total);
    }
    const host = await readHost(this.backend, this.total);
    return Math.sqrt(host[0]);
  }

  dispose(): void {
    this.backend.dispose(this.total);
    this.backend.dispose(this.part);
  }
}
