import type { Backend, Tensor } from '../kernels/backend';
import { readHost } from '../nn/host';
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

  /** Host copies of the saved values (null before the first save), for a run checkpoint. */
  async saveState(): Promise<Float32Array[] | null> {
    if (!this.saved) return null;
    const out: Float32Array[] = [];
    for (const t of this.copies) out.push(Float32Array.from(await readHost(this.backend, t)));
    return out;
  }

  loadState(values: Float32Array[]): void {
    if (values.length !== this.copies.length || this.copies.some((t, i) => t.size !== values[i].length)) {
      throw new Error('the saved best-epoch weights do not fit this model');
    }
    this.copies.forEach((t, i) => this.backend.write(t, values[i]));
    this.saved = true;
  }

  dispose(): void {
    for (const t of this.copies) this.backend.dispose(t);
  }
}
