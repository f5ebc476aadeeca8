import type { AdamParams } from '../../backend';
import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';
import type { GlTexture } from '../textures';

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

/**
 * The whole Adam update in one pass: m, v and param rendered at once into three fresh textures
 * (multiple render targets), which the handles then take over. Reads p, g, m, v once each
 * instead of nine fetches over three passes.
 */
const ADAM_FUSED = `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
uniform sampler2D u_p, u_g, u_m, u_v;
uniform float u_beta1, u_beta2, u_l2, u_shrink, u_stepSize, u_sqrtBc2, u_eps;
layout(location = 0) out vec4 o_p;
layout(location = 1) out vec4 o_m;
layout(location = 2) out vec4 o_v;
void main() {
  ivec2 at = ivec2(gl_FragCoord.xy);
  float p = texelFetch(u_p, at, 0).r;
  float g = texelFetch(u_g, at, 0).r + u_l2 * p;
  float m = u_beta1 * texelFetch(u_m, at, 0).r + (1.0 - u_beta1) * g;
  float v = u_beta2 * texelFetch(u_v, at, 0).r + (1.0 - u_beta2) * (g * g);
  float denom = sqrt(v) / u_sqrtBc2 + u_eps;
  o_p = vec4(p * u_shrink - u_stepSize * m / denom, 0.0, 0.0, 0.0);
  o_m = vec4(m, 0.0, 0.0, 0.0);
  o_v = vec4(v, 0.0, 0.0, 0.0);
}`;

/** Reused texture lists of the fused pass (no array per call). */
const adamTargets: GlTexture[] = [];
const adamOld: GlTexture[] = [];

export function adamPass(e: GlEngine, p: GlTensor, g: GlTensor, m: GlTensor, v: GlTensor, o: AdamParams): void {
  const distinct = p !== g && p !== m && p !== v && g !== m && g !== v && m !== v;
  if (distinct && p.texture && m.texture && v.texture) adamFusedPass(e, p, g, m, v, o);
  else adamThreePasses(e, p, g, m, v, o);
}

function adamFusedPass(e: GlEngine, p: GlTensor, g: GlTensor, m: GlTensor, v: GlTensor, o: AdamParams): void {
  const old = adamOld;
  old[0] = p.texture!;
  old[1] = m.texture!;
  old[2] = v.texture!;
  for (let i = 0; i < 3; i++) adamTargets[i] = e.pool.acquire(old[i].width, old[i].height, old[i].channels, false);
  e.use('adam:fused', ADAM_FUSED).tex('u_p', p).tex('u_g', g).tex('u_m', m).tex('u_v', v)
    .float('u_beta1', o.beta1).float('u_beta2', o.beta2).float('u_l2', o.decoupled ? 0 : o.weightDecay)
    .float('u_shrink', o.decoupled ? 1 - o.lr * o.weightDecay : 1)
    .float('u_stepSize', o.lr / (1 - Math.pow(o.beta1, o.step)))
    .float('u_sqrtBc2', Math.sqrt(1 - Math.pow(o.beta2, o.step)))
    .float('u_eps', o.eps).drawToMany(adamTargets, 3);
  for (let i = 0; i < 3; i++) e.pool.release(old[i]);
  p.texture = adamTargets[0];
  m.texture = adamTargets[1];
  v.texture = adamTargets[2];
  p.hostValid = m.hostValid = v.hostValid = false;
}

function adamThreePasses(e: GlEngine, p: GlTensor, g: GlTensor, m: GlTensor, v: GlTensor, o: AdamParams): void {
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
