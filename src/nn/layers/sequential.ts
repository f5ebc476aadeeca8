import type { Tensor } from '../../kernels/backend';
import type { Param } from '../types';
import type { Layer } from './layer';

/** Layers applied in order; backward runs them in reverse, stopping where no input gradient is wanted. */
export class Sequential implements Layer {
  private readonly allParams: Param[];

  constructor(
    readonly name: string,
    readonly layers: Layer[],
  ) {
    this.allParams = layers.flatMap((l) => l.params());
  }

  params(): Param[] {
    return this.allParams;
  }

  forward(x: Tensor, training: boolean): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, training);
    return h;
  }

  /**
   * forward that shows `visit` each layer's output as it is made (for looking inside the network,
   * e.g. feature maps); the outputs are the layers' own tensors, so copy what must outlive the call.
   */
  forwardVisiting(x: Tensor, training: boolean, visit: (layer: Layer, output: Tensor) => void): Tensor {
    let h = x;
    for (const layer of this.layers) {
      h = layer.forward(h, training);
      visit(layer, h);
    }
    return h;
  }

  backward(dy: Tensor): Tensor | null {
    let g: Tensor | null = dy;
    for (let i = this.layers.length - 1; i >= 0 && g !== null; i--) g = this.layers[i].backward(g);
    return g;
  }

  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }
}
