import { activationSpec, type ActivationKind } from '../../activations';
import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';

/**
 * Texel-for-texel passes: inputs and output have the same element count, hence the same
 * layout (tensor.ts), so each fragment reads its own texel position in every input.
 */

/** The declarations an activation's GLSL expressions need: u_slope and its own functions. */
export function activationFunctions(kind: ActivationKind): string {
  return `\nuniform float u_slope;\n${activationSpec(kind).glsl.functions ?? ''}\n`;
}

/** f(v) in GLSL (with activationFunctions(kind) in scope). */
export function activationOfV(kind: ActivationKind): string {
  return activationSpec(kind).glsl.forward;
}

const forwardSource = (kind: ActivationKind): string => `${PRELUDE}${activationFunctions(kind)}
uniform sampler2D u_x;
void main() { float v = fetchSame(u_x); o_color = vec4(${activationOfV(kind)}, 0.0, 0.0, 0.0); }`;

/** dx in terms of x (pre-activation), y (output) and d = dy, as the activation declares it. */
const backwardSource = (kind: ActivationKind): string => `${PRELUDE}${activationFunctions(kind)}
uniform sampler2D u_x, u_y, u_dy;
void main() {
  float x = fetchSame(u_x), y = fetchSame(u_y), d = fetchSame(u_dy);
  o_color = vec4(${activationSpec(kind).glsl.backward}, 0.0, 0.0, 0.0);
}`;

/** A program per activation, its source built on first use (an activation registered late works too). */
export function programsByKind(
  prefix: string, sourceOf: (kind: ActivationKind) => string,
): (kind: ActivationKind) => { key: string; source: string } {
  const programs = new Map<ActivationKind, { key: string; source: string }>();
  return (kind) => {
    let p = programs.get(kind);
    if (p === undefined) {
      p = { key: `${prefix}:${kind}`, source: sourceOf(kind) };
      programs.set(kind, p);
    }
    return p;
  };
}

const forwardProgram = programsByKind('act', forwardSource);
const backwardProgram = programsByKind('actBack', backwardSource);

export function activationPass(e: GlEngine, kind: ActivationKind, x: GlTensor, out: GlTensor, slope: number): void {
  if (kind === 'identity' && out === x) return;
  const p = forwardProgram(kind);
  e.use(p.key, p.source).tex('u_x', x).float('u_slope', slope).drawTo(out);
}

export function activationBackwardPass(
  e: GlEngine, kind: ActivationKind, x: GlTensor, y: GlTensor, dy: GlTensor, dx: GlTensor, slope: number,
): void {
  if (kind === 'identity' && dx === dy) return;
  const p = backwardProgram(kind);
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
