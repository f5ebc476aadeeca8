import type { Backend, Tensor } from '../kernels/backend';
import { readHost } from '../nn/host';
import type { Param } from '../nn/types';
import { ParamSnapshot } from './snapshot';

export interface WeightAverageState {
  updates: number;
  tensors: Float32Array[];
}

/**
 * An exponential moving average of the weights over the training steps (Polyak averaging): the
 * averaged network is what gets evaluated and kept. Why: on small data a recurrent net's dev
 * accuracy jumps from step to step with the optimizer's noise, and the average of the recent
 * weights generalizes better than any one of them.
 *
 * The decay warms up as min(decay, (1 + n) / (10 + n)) after n updates, so the average does not
 * drag the initial weights along for thousands of steps. Two ops per parameter per step (scale,
 * axpy) on the backend, nothing allocated.
 */
export class WeightAverage {
  private readonly averages: Tensor[];
  private readonly raw: ParamSnapshot;
  private updates = 0;
  private swapped = false;

  constructor(
    private readonly backend: Backend,
    private readonly params: Param[],
    readonly decay: number,
  ) {
    if (!(decay > 0 && decay < 1)) throw new Error(`the weight-average decay must be in (0, 1), got ${decay}`);
    this.averages = params.map((p) => backend.tensor(p.value.shape));
    this.raw = new ParamSnapshot(backend, params);
  }

  /** Folds the current weights in; call after every optimizer step. */
  update(): void {
    const d = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
    this.params.forEach((p, i) => {
      const avg = this.averages[i];
      if (this.updates === 0) {
        this.backend.copy(p.value, avg);
        return;
      }
      this.backend.scale(avg, d, avg);
      this.backend.axpy(1 - d, p.value, avg);
    });
    this.updates++;
  }

  /** Puts the averaged weights into the model (the trained ones kept aside); no-op before any update. */
  swapIn(): void {
    if (this.swapped || this.updates === 0) return;
    this.raw.save();
    this.params.forEach((p, i) => this.backend.copy(this.averages[i], p.value));
    this.swapped = true;
  }

  /** Puts the trained weights back, so training goes on from them. */
  swapOut(): void {
    if (!this.swapped) return;
    this.raw.restore();
    this.swapped = false;
  }

  /** The averages and the update count, for a run checkpoint (call between steps, swapped out). */
  async saveState(): Promise<WeightAverageState> {
    const tensors: Float32Array[] = [];
    for (const t of this.averages) tensors.push(Float32Array.from(await readHost(this.backend, t)));
    return { updates: this.updates, tensors };
  }

  loadState(state: WeightAverageState): void {
    if (state.tensors.length !== this.averages.length || this.averages.some((t, i) => t.size !== state.tensors[i].length)) {
      throw new Error('the saved weight average does not fit this model');
    }
    this.averages.forEach((t, i) => this.backend.write(t, state.tensors[i]));
    this.updates = state.updates;
  }

  dispose(): void {
    for (const t of this.averages) this.backend.dispose(t);
    this.raw.dispose();
  }
}
