import type { Backend, Tensor } from '../../kernels/backend';
import type { Layer } from '../layers/layer';
import { Sequential } from '../layers/sequential';
import { countParameters, zeroGrads } from '../params';
import type { InputNorm, Model, ModelBatch, ModelKind, Param } from '../types';

/**
 * A model that is one chain of layers (the MLP, the CNNs): subclasses build the layers and say what
 * their architecture JSON is; running, gradients and cleanup are the chain's.
 */
export abstract class SequentialModel implements Model {
  abstract readonly kind: ModelKind;
  abstract readonly config: object;
  norm: InputNorm | null = null;
  private chain: Sequential | null = null;
  private paramList: Param[] = [];

  constructor(readonly backend: Backend) {}

  get params(): Param[] {
    return this.paramList;
  }

  /** Images only: a batch with lengths is a sequence batch, which no chain of these layers reads. */
  forward(batch: ModelBatch, training: boolean): Tensor {
    if (batch.lengths) throw new Error(`a ${this.kind} model cannot take sequence batches`);
    return this.net.forward(batch.input, training);
  }

  /** forward, handing each layer's output to `visit` (see Sequential.forwardVisiting). */
  forwardVisiting(input: Tensor, training: boolean, visit: (layer: Layer, output: Tensor) => void): Tensor {
    return this.net.forwardVisiting(input, training, visit);
  }

  backward(dlogits: Tensor): void {
    this.net.backward(dlogits);
  }

  zeroGrad(): void {
    zeroGrads(this.backend, this.params);
  }

  parameterCount(): number {
    return countParameters(this.params);
  }

  dispose(): void {
    this.net.dispose();
  }

  abstract configJson(): Record<string, unknown>;

  /** Called once by the subclass constructor, before any weights are initialized. */
  protected setLayers(name: string, layers: Layer[]): void {
    this.chain = new Sequential(name, layers);
    this.paramList = this.chain.params();
  }

  private get net(): Sequential {
    if (!this.chain) throw new Error('model used before its layers were set');
    return this.chain;
  }
}
