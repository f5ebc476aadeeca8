import type { Tensor } from '../../kernels/backend';
import type { Param } from '../types';

/**
 * One stage of a network, ConvNetJS style: it owns its parameters and its buffers, remembers what
 * its backward pass needs from the last forward, and hands back tensors it owns.
 */
export interface Layer {
  readonly name: string;
  params(): Param[];
  /** Output for this batch; owned by the layer, valid until the next forward with the same batch size. */
  forward(x: Tensor, training: boolean): Tensor;
  /**
   * Accumulates parameter gradients from dL/dy and returns dL/dx (owned by the layer), or null
   * when the layer was built without an input gradient (the first layer of a network needs none).
   */
  backward(dy: Tensor): Tensor | null;
  dispose(): void;
}

/**
 * Buffers keyed by batch size. Training batches, the last partial batch and batch-1 prediction
 * each get their own set, created on first use and reused after, so steady state allocates nothing.
 */
export class PerBatch<T> {
  private readonly sets = new Map<number, T>();

  constructor(
    private readonly create: (batch: number) => T,
    private readonly release: (item: T) => void,
  ) {}

  get(batch: number): T {
    let item = this.sets.get(batch);
    if (item === undefined) {
      item = this.create(batch);
      this.sets.set(batch, item);
    }
    return item;
  }

  dispose(): void {
    for (const item of this.sets.values()) this.release(item);
    this.sets.clear();
  }
}

export function batchOf(t: Tensor): number {
  return t.shape.length === 0 ? 1 : t.shape[0];
}
