import type { AdamParams } from '../../backend';
import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';

/**
 * In-place optimizer updates. Each updated tensor is one pass that reads the old values and
 * renders a fresh texture the handle then takes over (engine ping-pong). Passes that need the
 * OLD param run before the pass that replaces it.
 */
const SGD = `${PRELUDE}
uniform sampler2D u_p, u_g; uniform float u_lr, u_wd;
void main() { float p = fetchSame(u_p); o_color = vec4(p - u_lr * (fetchSame(u_g) + u_wd * p), 0.0, 0.0, 0.0); }`;

const MOMENTUM_V = `${PRELUDE}
uniform sampler2D u_p, u_g, u_v; uniform float u_mu, u_wd;
void main() {
  o_color = vec4(u_mu * fetchSame(u_v) + fetchSame(u_g) + u_wd * fetchSame(u_p), 0.0, 0.0, 0.0);
}`;

/** p − lr·v, with v the freshly updated velocity. */
const MINUS_LR_TIMES = `${PRELUDE}
uniform sampler2D u_p, u_v; uniform float u_lr;
void main() { o_color = vec4(fetchSame(u_p) - u_lr * fetchSame(u_v), 0.0, 0.0, 0.0); }`;

/** m ← β·m + (1−β)·g' (u_square 0) or v ← β·v + (1−β)·g'² (u_square 1), g' = g + l2·p. */
const ADAM_MOMENT = `${PRELUDE}
uniform sampler2D u_p, u_g, u_s; uniform float u_beta, u_l2; uniform int u_square;
void main() {
  float g = fetchSame(u_g) + u_l2 * fetchSame(u_p);
  float x = u_square == 1 ? g * g : g;
  o_color = vec4(u_beta * fetchSame(u_s) + (1.0 - u_beta) * x, 0.0, 0.0, 0.0);
}`;

const ADAM_PARAM = `${PRELUDE}
uniform sampler2D u_p, u_m, u_v; uniform float u_shrink, u_stepSize, u_sqrtBc2, u_eps;
void main() {
  float denom = sqrt(fetchSame(u_v)) / u_sqrtBc2 + u_eps;
  o_color = vec4(fetchSame(u_p) * u_shrink - u_stepSize * fetchSame(u_m) / denom, 0.0, 0.0, 0.0);
}`;

export function sgdPass(e: GlEngine, p: GlTensor, g: GlTensor, lr: number, wd: number): void {
  e.use('sgd', SGD).tex('u_p', p).tex('u_g', g).float('u_lr', lr).float('u_wd', wd).drawTo(p);
}

export function momentumPass(
  e: GlEngine, p: GlTensor, g: GlTensor, v: GlTensor, lr: number, mu: number, wd: number,
): void {
  e.use('momentum:v', MOMENTUM_V).tex('u_p', p).tex('u_g', g).tex('u_v', v).float('u_mu', mu).float('u_wd', wd).drawTo(v);
  e.use('minusLrTimes', MINUS_LR_TIMES).tex('u_p', p).tex('u_v', v).float('u_lr', lr).drawTo(p);
}

export function adamPass(e: GlEngine, p: GlTensor, g: GlTensor, m: GlTensor, v: GlTensor, o: AdamParams): void {
  const l2 = o.decoupled ? 0 : o.weightDecay;
  e.use('adam:moment', ADAM_MOMENT).tex('u_p', p).tex('u_g', g).tex('u_s', m)
    .float('u_beta', o.beta1).float('u_l2', l2).int('u_square', 0).drawTo(m);
  e.use('adam:moment', ADAM_MOMENT).tex('u_p', p).tex('u_g', g).tex('u_s', v)
    .float('u_beta', o.beta2).float('u_l2', l2).int('u_square', 1).drawTo(v);
  e.use('adam:param', ADAM_PARAM).tex('u_p', p).tex('u_m', m).tex('u_v', v)
    .float('u_shrink', o.decoupled ? 1 - o.lr * o.weightDecay : 1)
    .float('u_stepSize', o.lr / (1 - Math.pow(o.beta1, o.step)))
    .float('u_sqrtBc2', Math.sqrt(1 - Math.pow(o.beta2, o.step)))
    .float('u_eps', o.eps).drawTo(p);
}
