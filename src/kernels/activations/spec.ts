import type { FloatArray } from '../backend';

/** Weight init that keeps the activation's variance: He for the ReLU family, Xavier for saturating units. */
export type InitFamily = 'he' | 'xavier';

/**
 * Everything about one activation, declared once: the CPU, WASM and WebGL2 backends, the input
 * checks, nn's layers, weight init and the MLP settings all read it from the registry (index.ts).
 * `slope` is the leaky slope of the op call; an activation that ignores it says so with usesSlope.
 */
export interface ActivationSpec {
  readonly name: string;
  /** f(x) as PyTorch defines it, in float64: the reference every backend is tested against. */
  forward(x: number, slope: number): number;
  /** f'(x) from the input x and the output y = f(x), as PyTorch's autograd takes it (relu'(0) = 0). */
  derivative(x: number, y: number, slope: number): number;
  /**
   * Whether f' is exact when the output stands in for the input (derivative(y, y) = derivative(x, y)
   * for every x): only then can a Dense layer fuse f, since it keeps y but not x.
   */
  derivativeFromOutput(slope: number): boolean;
  /** The leaky slope matters (a model's config then records it). */
  readonly usesSlope: boolean;
  readonly init: InitFamily;
  readonly glsl: {
    /** f in terms of `v` (and `u_slope`). */
    readonly forward: string;
    /** dx in terms of x (input), y (output), d (= dy) and u_slope. */
    readonly backward: string;
    /** GLSL functions the two expressions call (only this activation's programs include them). */
    readonly functions?: string;
  };
  /**
   * Loops specialised for this activation (a call per element through forward/derivative is
   * slower): out = f(x) and dx = dy ⊙ f'. Without them the CPU backend loops over the scalar
   * functions above. out may alias x, dx may alias dy.
   */
  readonly loops?: {
    forward(x: FloatArray, out: FloatArray, n: number, slope: number): void;
    backward(x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray, n: number, slope: number): void;
  };
}
