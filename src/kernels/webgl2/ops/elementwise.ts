import type { ActivationKind } from '../../backend';
import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';

/**
 * Texel-for-texel passes: inputs and output have the same element count, hence the same
 * layout (tensor.ts), so each fragment reads its own texel position in every input.
 * tanh and sigmoid are written so exp only sees non-positive arguments (no overflow to NaN on
 * huge inputs, as the CPU kernels).
 */
export const ACTIVATION_FUNCTIONS = `
uniform float u_slope;
float sigmoidOf(float v) {
  if (v >= 0.0) return 1.0 / (1.0 + exp(-v));
  float e = exp(v);
  return e / (1.0 + e);
}
float tanhOf(float v) {
  float t = exp(-2.0 * abs(v));
  float r = (1.0 - t) / (1.0 + t);
  return v < 0.0 ? -r : r;
}
`;

/** f(v) in GLSL (with ACTIVATION_FUNCTIONS and its u_slope in scope). */
export const ACTIVATION_OF_V: Record<ActivationKind, string> = {
  relu: 'v > 0.0 ? v : 0.0',
  leaky_relu: 'v > 0.0 ? v : v * u_slope',
  tanh: 'tanhOf(v)',
  sigmoid: 'sigmoidOf(v)',
  identity: 'v',
};

/** dx in terms of x (pre-activation), y (output) and d = dy, as PyTorch's derivatives. */
const BACKWARD: Record<ActivationKind, string> = {
  relu: 'x > 0.0 ? d : 0.0',
  leaky_relu: 'x > 0.0 ? d : d * u_slope',
  tanh: 'd * (1.0 - y * y)',
  sigmoid: 'd * y * (1.0 - y)',
  identity: 'd',
};

const forwardSource = (kind: ActivationKind): string => `${PRELUDE}${ACTIVATION_FUNCTIONS}
uniform sampler2D u_x;
void main() { float v = fetchSame(u_x); o_color = vec4(${ACTIVATION_OF_V[kind]}, 0.0, 0.0, 0.0); }`;

const backwardSource = (kind: ActivationKind): string => `${PRELUDE}${ACTIVATION_FUNCTIONS}
uniform sampler2D u_x, u_y, u_dy;
void main() {
  float x = fetchSame(u_x), y = fetchSame(u_y), d = fetchSame(u_dy);
  o_color = vec4(${BACKWARD[kind]}, 0.0, 0.0, 0.0);
}`;

const KINDS = Object.keys(ACTIVATION_OF_V) as ActivationKind[];
const FORWARD_PROGRAMS = new Map(KINDS.map((k) => [k, { key: `act:${k}`, source: forwardSource(k) }]));
const BACKWARD_PROGRAMS = new Map(KINDS.map((k) => [k, { key: `actBack:${k}`, source: backwardSource(k) }]));

export function activationPass(e: GlEngine, kind: ActivationKind, x: GlTensor, out: GlTensor, slope: number): void {
  if (kind === 'identity' && out === x) return;
  const p = FORWARD_PROGRAMS.get(kind)!;
  e.use(p.key, p.source).tex('u_x', x).float('u_slope', slope).drawTo(out);
}

export function activationBackwardPass(
  e: GlEngine, kind: ActivationKind, x: GlTensor, y: GlTensor, dy: GlTensor, dx: GlTensor, slope: number,
): void {
  if (kind === 'identity' && dx === dy) return;
  const p = BACKWARD_PROGRAMS.get(kind)!;
  e.use(p.key, p.source).tex('u_x', x).tex('u_y', y).tex('u_dy', dy).float('u_slope', slope).drawTo(dx);
}

const SCALE = `${PRELUDE}
uniform sampler2D u_x; uniform float u_alpha;
void main() { o_color = vec4(u_alpha * fetchSame(u_x), 0.0, 0.0, 0.0); }`;

const AXPY = `${PRELUDE}
uniform sampler2D u_x, u_y; uniform float u_alpha;
void main() { o_color = vec4(fetchSame(u_y) + u_alpha * fetchSame(u_x), 0.0, 0.0, 0.0); }`;

const MUL = `${PRELUDE}
uniform sampler2D u_a, u_b;
void main() { o_color = vec4(fetchSame(u_a) * fetchSame(u_b), 0.0, 0.0, 0.0); }`;

const COPY = `${PRELUDE}
uniform sampler2D u_x;
void main() { o_color = vec4(fetchSame(u_x), 0.0, 0.0, 0.0); }`;

export function scalePass(e: GlEngine, x: GlTensor, alpha: number, out: GlTensor): void {
  e.use('scale', SCALE).tex('u_x', x).float('u_alpha', alpha).drawTo(out);
}

export function axpyPass(e: GlEngine, alpha: number, x: GlTensor, y: GlTensor): void {
  e.use('axpy', AXPY).tex('u_x', x).tex('u_y', y).float('u_alpha', alpha).drawTo(y);
}

export function mulPass(e: GlEngine, a: GlTensor, b: GlTensor, out: GlTensor): void {
  e.use('mul', MUL).tex('u_a', a).tex('u_b', b).drawTo(out);
}

export function copyPass(e: GlEngine, src: GlTensor, dst: GlTensor): void {
  if (src === dst) return;
  e.use('copy', COPY).tex('u_x', src).drawTo(dst);
}
