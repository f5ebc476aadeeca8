import type { Backend, Tensor } from '../kernels/backend';
import type { Param } from '../nn/types';

/** A backend-side copy of every parameter value (for divergence rollback and best-epoch restore). */
export class ParamSnapshot {
  private readonly copies: Tensor[];
  /** false until the first save. */
  saved = false;

  constructor(
    private readonly backend: Backend,
    private readonly params: Param[],
  ) {
    this.copies = params.map((p) => backend.tensor(p.value.shape));
  }

  save(): void {
    this.params.forEach((p, i) => this.backend.copy(p.value, this.copies[i]));
    this.saved = true;
  }

  /** Puts the saved values back; a no-op before the first save. */
  restore(): void {
    if (!this.saved) return;
    this.params.forEach((p, i) => this.backend.copy(this.copies[i], p.value));
  }

  dispose(): void {
    for (const t of this.copies) this.backend.dispose(t);
  }
}
