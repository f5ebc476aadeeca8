import { PRELUDE, type GlEngine } from '../engine';
import type { GlTensor } from '../tensor';

/**
 * Inverted dropout with the shared counter hash of backend.ts (`hashUniform`), in 32-bit uint
 * arithmetic so the mask is bit-identical to the CPU's. hash/2³² ≥ p is decided in integers
 * as hash ≥ ⌈p·2³²⌉ (a float32 conversion of the hash would round and flip edge cases).
 */
const MASK = `${PRELUDE}
uniform uint u_seed, u_threshold; uniform float u_keep;
void main() {
  uint h = (uint(outIndex()) * 0x9e3779b1u) ^ (u_seed * 0x85ebca77u);
  h = (h ^ (h >> 16u)) * 0x7feb352du;
  h = (h ^ (h >> 15u)) * 0x846ca68bu;
  h = h ^ (h >> 16u);
  o_color = vec4(h >= u_threshold ? u_keep : 0.0, 0.0, 0.0, 0.0);
}`;

const APPLY = `${PRELUDE}
uniform sampler2D u_x, u_mask;
void main() { o_color = vec4(fetchSame(u_x) * fetchSame(u_mask), 0.0, 0.0, 0.0); }`;

const TWO_POW_32 = 4294967296;

export function dropoutPass(e: GlEngine, x: GlTensor, mask: GlTensor, out: GlTensor, p: number, seed: number): void {
  const threshold = Math.ceil(p * TWO_POW_32);
  // p ≥ 1 − 2⁻³² keeps nothing (no 32-bit hash reaches the threshold).
  const keep = p >= 1 || threshold >= TWO_POW_32 ? 0 : 1 / (1 - p);
  e.use('dropout:mask', MASK).uint('u_seed', seed | 0).uint('u_threshold', keep === 0 ? 0 : threshold)
    .float('u_keep', keep).drawTo(mask);
  e.use('dropout:apply', APPLY).tex('u_x', x).tex('u_mask', mask).drawTo(out);
}
